import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { labelOf, maskIdNumber, parseYyyymmdd } from '@shouwang/domain';
import { type CompiledRule, parseRule, type RuleScope } from '@shouwang/rules';
import type { DB } from '../../db/connection.ts';
import type { RegionLevel } from '../../db/database.ts';
import { appVersion } from '../../version.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { ruleHitsQuery } from '../quality/rule-sql.ts';
import { isWithinRange, regionLevels, regionRange, significantDigits } from '../regions/region-code.ts';
import type { RegionsService } from '../regions/regions.service.ts';
import { ageOn } from '../registry/registry.mapper.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { analyticsErrors } from './analytics.errors.ts';
import { writeReportXlsx } from './analytics.export.ts';
import { customPersonColumns, writeCustomPersonsXlsx } from './custom-statistics.export.ts';
import {
  type CustomHits,
  type CustomMatch,
  type CustomPersonRow,
  CustomStatisticsRepository,
  interactiveStatementTimeoutMilliseconds,
  type SavedStatisticRecord,
} from './custom-statistics.repository.ts';

export interface CustomQuery {
  expression: string;
  scope: RuleScope;
  /** Defaults to the caller's own region. */
  regionCode?: string;
  /** Statistics year; defaults to the year of the statistics reference date. */
  year?: number;
}

export interface CustomCountRow {
  regionCode: string;
  regionName: string;
  level: RegionLevel;
  hasChildren: boolean;
  households: number;
  persons: number;
}

export interface CustomCountView {
  expression: string;
  scope: RuleScope;
  region: { code: string; name: string; fullName: string; level: RegionLevel };
  path: Array<{ code: string; name: string; level: string }>;
  year: number;
  /** YYYY-MM-DD: ages and months are taken at this date. */
  referenceDate: string;
  incomeLine: number;
  /** The conditions as one line of zh-CN text, for titles. */
  conditionText: string;
  rows: CustomCountRow[];
  totals: CustomCountRow;
  /** When the numbers were taken from the registry (always live). */
  dataDate: Date;
}

export interface CustomPerson {
  id: string;
  name: string | null;
  idNumber: string | null;
  relation: string | null;
  gender: string | null;
  age: number | null;
  ethnicity: string | null;
  education: string | null;
  schooling: string | null;
  health: string | null;
  laborSkill: string | null;
  workLocation: string | null;
  dibao: string | null;
  tekun: string | null;
  householdNo: string;
  regionCode: string;
  countyName: string | null;
  townshipName: string | null;
  villageName: string | null;
  householdType: string | null;
  monitoringCategory: string | null;
  riskEliminated: boolean | null;
}

const scopeLabels: Record<RuleScope, string> = { person: '按人员', household: '按农户' };
const exportBatchSize = 5000;

/** Age at the reference date as the rule language computes it: the ID's birth date when valid, else the recorded one. */
export function ageAtReference(
  idNumber: string | null,
  birthDay: string | null,
  referenceDate: string,
): number | null {
  const id = idNumber?.trim() ?? '';
  const digits = [18, 20, 22].includes(id.length) ? id.slice(6, 14) : '';
  const fromId =
    digits && parseYyyymmdd(digits)
      ? `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`
      : null;
  return ageOn(fromId ?? birthDay, referenceDate);
}

/** A row of the person list as it leaves the server: labels for codes, the ID number masked. */
export function toCustomPerson(row: CustomPersonRow, referenceDate: string): CustomPerson {
  return {
    id: row.id,
    name: row.name,
    idNumber: maskIdNumber(row.idNumber),
    relation: row.relation ? labelOf('relation', row.relation) : null,
    gender: row.gender ? labelOf('gender', row.gender) : null,
    age: ageAtReference(row.idNumber, row.birthDay, referenceDate),
    ethnicity: row.ethnicity,
    education: row.education ? labelOf('education', row.education) : null,
    schooling: row.schooling ? labelOf('schooling', row.schooling) : null,
    health: row.health ? labelOf('health', row.health) : null,
    laborSkill: row.laborSkill ? labelOf('laborSkill', row.laborSkill) : null,
    workLocation: row.workLocation ? labelOf('workLocation', row.workLocation) : null,
    dibao: row.dibao ? labelOf('dibao', row.dibao) : null,
    tekun: row.tekun ? labelOf('tekun', row.tekun) : null,
    householdNo: row.householdNo,
    regionCode: row.regionCode,
    countyName: row.countyName,
    townshipName: row.townshipName,
    villageName: row.villageName,
    householdType: row.householdType ? labelOf('householdType', row.householdType) : null,
    monitoringCategory: row.monitoringCategory ? labelOf('monitoringCategory', row.monitoringCategory) : null,
    riskEliminated: row.riskEliminated,
  };
}

interface Resolved {
  match: CustomMatch;
  region: { code: string; name: string; fullName: string; level: RegionLevel; childCount: number };
  year: number;
  referenceDate: string;
  incomeLine: number;
  conditionText: string;
}

/**
 * Custom statistics (定制化统计): an expression of the quality rule language (person or household
 * scope) selects persons or households in a region of the caller's scope; answers the counts per child
 * region with the total, the masked person list page by page, and both as xlsx (every export audited
 * with the expression and its row count). Users keep named expressions to run again.
 */
export class CustomStatisticsService {
  private readonly repository: CustomStatisticsRepository;

  private readonly timeoutMilliseconds: number;

  constructor(
    db: DB,
    private readonly regions: RegionsService,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    options: { statementTimeoutMilliseconds?: number } = {},
  ) {
    this.timeoutMilliseconds =
      options.statementTimeoutMilliseconds ?? interactiveStatementTimeoutMilliseconds;
    this.repository = new CustomStatisticsRepository(db, this.timeoutMilliseconds);
  }

  /** PostgreSQL's statement timeout (57014) as the located zh-CN refusal. */
  private timedOut = (error: unknown): never => {
    if ((error as { code?: string }).code === '57014') {
      throw analyticsErrors.statisticTimedOut(Math.round(this.timeoutMilliseconds / 1000));
    }
    throw error;
  };

  /** Parses an expression; the located zh-CN error when it does not parse or type-check. */
  check(
    expression: string,
    scope: RuleScope,
  ): { ok: true } | { ok: false; error: { message: string; line: number; column: number; length: number } } {
    const parsed = parseRule(expression, scope);
    if (parsed.ok) return { ok: true };
    const { message, line, column, length } = parsed.error;
    return { ok: false, error: { message, line, column, length } };
  }

  private parseOrThrow(expression: string, scope: RuleScope): CompiledRule {
    const parsed = parseRule(expression, scope);
    if (!parsed.ok) throw analyticsErrors.invalidExpression(parsed.error);
    return parsed.rule;
  }

  /** The expression compiled over the region (inside the caller's scope, else 404) for the year. */
  private async resolve(caller: Principal, query: CustomQuery): Promise<Resolved> {
    const rule = this.parseOrThrow(query.expression, query.scope);
    const region = await this.regions.getOrThrow(caller, query.regionCode ?? caller.regionCode);
    const statisticsDate = await this.settings.statisticsDate();
    const currentYear = Number(statisticsDate.slice(0, 4));
    const year = query.year ?? currentYear;
    if (year > currentYear) throw analyticsErrors.invalidFilter('year', `统计年度不能晚于 ${currentYear}`);
    const referenceDate = year < currentYear ? `${year}-12-31` : statisticsDate;
    const incomeLine = await this.settings.monitoringLine(year);
    const hits = ruleHitsQuery(
      [{ code: 'CUSTOM', rule }],
      { referenceDate, statisticsYear: year, incomeLine },
      { scope: regionRange(region.code, region.level) },
    ) as CustomHits;
    const conditionText = `条件（${scopeLabels[query.scope]}）：${query.expression.replace(/\s+/g, ' ').trim()}；统计年度：${year}；统计基准日：${referenceDate}`;
    return { match: { hits, scope: query.scope }, region, year, referenceDate, incomeLine, conditionText };
  }

  /**
   * The resolved expression's hits, evaluated once and read from the selection cache for a few minutes:
   * the counts, every page of the list and a second look answer from it (`selectedAt`: when it was read).
   * Keyed by everything the hits depend on; the caller's access to the region was checked by resolve.
   * `ordered`: the person list is asked for, so its order is stored too (once) and `page` reads it.
   */
  private async selected(
    query: CustomQuery,
    resolved: Resolved,
    ordered = false,
  ): Promise<{
    match: CustomMatch;
    selectedAt: Date;
    page: (offset: number, limit: number) => Promise<CustomPersonRow[]>;
    persons: number;
  }> {
    const key = createHash('sha256')
      .update(
        JSON.stringify([
          appVersion,
          query.expression,
          query.scope,
          resolved.region.code,
          resolved.year,
          resolved.referenceDate,
          resolved.incomeLine,
        ]),
      )
      .digest('hex');
    const region = {
      code: resolved.region.code,
      range: regionRange(resolved.region.code, resolved.region.level),
    };
    const { hits, selectedAt, persons } = await this.repository
      .selection({ key, region, hits: resolved.match.hits, scope: resolved.match.scope, ordered })
      .catch(this.timedOut);
    return {
      match: { ...resolved.match, hits },
      selectedAt,
      persons,
      page: (offset, limit) => this.repository.pageSelection({ key, region, offset, limit }),
    };
  }

  /** Marks every cached selection stale: the registry has changed. */
  async registryChanged(): Promise<void> {
    await this.repository.forgetSelections();
  }

  /** Checks the expression, the region (in the caller's scope) and the year without counting anything. */
  async validate(
    caller: Principal,
    query: CustomQuery,
  ): Promise<{ region: Resolved['region']; referenceDate: string }> {
    const { region, referenceDate } = await this.resolve(caller, query);
    return { region, referenceDate };
  }

  async count(caller: Principal, query: CustomQuery): Promise<CustomCountView> {
    const resolved = await this.resolve(caller, query);
    const { region } = resolved;
    const childLevel = regionLevels[regionLevels.indexOf(region.level) + 1];
    const { match, selectedAt } = await this.selected(query, resolved);
    const [children, ancestors, counts] = await Promise.all([
      region.childCount > 0 ? this.regions.listChildren(caller, region.code) : Promise.resolve([]),
      this.regions.listPath(caller, region.code),
      this.repository
        .countByChild({
          ...match,
          digits: childLevel && region.childCount > 0 ? significantDigits[childLevel] : null,
        })
        .catch(this.timedOut),
    ]);
    const byRegion = new Map(counts.map((row) => [row.regionCode, row]));
    const total = byRegion.get(null);
    return {
      expression: query.expression,
      scope: query.scope,
      region: { code: region.code, name: region.name, fullName: region.fullName, level: region.level },
      path: ancestors
        .filter((item) => isWithinRange(item.code, caller.scope))
        .map((item) => ({ code: item.code, name: item.name, level: item.level })),
      year: resolved.year,
      referenceDate: resolved.referenceDate,
      incomeLine: resolved.incomeLine,
      conditionText: resolved.conditionText,
      rows: children.map((child) => ({
        regionCode: child.code,
        regionName: child.name,
        level: child.level,
        hasChildren: child.childCount > 0,
        households: byRegion.get(child.code)?.households ?? 0,
        persons: byRegion.get(child.code)?.persons ?? 0,
      })),
      totals: {
        regionCode: region.code,
        regionName: region.name,
        level: region.level,
        hasChildren: region.childCount > 0,
        households: total?.households ?? 0,
        persons: total?.persons ?? 0,
      },
      dataDate: selectedAt,
    };
  }

  async listPersons(
    caller: Principal,
    query: CustomQuery & { page: number; pageSize: number },
  ): Promise<{ items: CustomPerson[]; total: number; referenceDate: string }> {
    const resolved = await this.resolve(caller, query);
    const selection = await this.selected(query, resolved, true);
    const items = await selection.page((query.page - 1) * query.pageSize, query.pageSize);
    return {
      items: items.map((row) => toCustomPerson(row, resolved.referenceDate)),
      total: selection.persons,
      referenceDate: resolved.referenceDate,
    };
  }

  /** The counts as xlsx, laid out like a standard report; audited with the expression and row count. */
  async exportCounts(
    caller: Principal,
    view: CustomCountView,
    options: { output: Writable; ip?: string | null; title?: string },
  ): Promise<void> {
    await this.recordExport(caller, view.region.code, {
      kind: 'counts',
      expression: view.expression,
      scope: view.scope,
      year: view.year,
      rows: view.rows.length + 1,
      ip: options.ip,
    });
    const toRow = (row: CustomCountRow) => ({ ...row, values: [row.households, row.persons] });
    await writeReportXlsx(
      {
        report: { name: 'custom', title: options.title ?? '定制化统计' },
        region: view.region,
        filterText: view.conditionText.replace(/；统计基准日：.*$/, ''),
        referenceDate: view.referenceDate,
        dataDate: view.dataDate,
        columns: [
          { key: 'households', path: ['户数'], measure: 'households' },
          { key: 'persons', path: ['人数'], measure: 'persons' },
        ],
        rows: view.rows.map(toRow),
        totals: toRow(view.totals),
      },
      { output: options.output, exportedBy: exportedBy(caller) },
    );
  }

  /**
   * Every selected person as xlsx, streamed from a database cursor into the streaming sheet writer
   * (flat memory for a million rows). Audited once the row count is known, also when it fails.
   */
  async exportPersons(
    caller: Principal,
    query: CustomQuery,
    options: { output: Writable; ip?: string | null; title?: string; exportedAt?: Date },
  ): Promise<number> {
    const resolved = await this.resolve(caller, query);
    const exportedAt = options.exportedAt ?? new Date();
    const who = exportedBy(caller);
    const title = `${resolved.region.fullName}${options.title ?? '定制化统计'}人员名单`;
    const sheet = writeCustomPersonsXlsx({
      output: options.output,
      title,
      conditionText: resolved.conditionText,
      exportedBy: who,
      exportedAt,
    });
    let rows = 0;
    const audited = () => ({
      kind: 'persons' as const,
      expression: query.expression,
      scope: query.scope,
      year: resolved.year,
      rows,
      ip: options.ip,
    });
    try {
      await this.repository.forEachPersonBatch(
        { ...resolved.match, batchSize: exportBatchSize },
        async (batch) => {
          const cells = batch.map((row, index) =>
            customPersonColumns.cells(toCustomPerson(row, resolved.referenceDate), rows + index + 1),
          );
          rows += batch.length;
          await sheet.addRows(cells);
        },
      );
      await sheet.close();
    } catch (error) {
      sheet.abort(error as Error);
      await this.recordExport(caller, resolved.region.code, { ...audited(), outcome: 'failure' });
      throw error;
    }
    await this.recordExport(caller, resolved.region.code, audited());
    return rows;
  }

  private async recordExport(
    caller: Principal,
    regionCode: string,
    detail: {
      kind: 'counts' | 'persons';
      expression: string;
      scope: RuleScope;
      year: number;
      rows: number;
      ip?: string | null;
      outcome?: 'success' | 'failure';
    },
  ): Promise<void> {
    const { ip, outcome, ...rest } = detail;
    await this.audit.record({
      action: 'analytics.custom_export',
      actor: caller.userId ? caller : null,
      actorUsername: caller.userId ? undefined : caller.username,
      ip: ip ?? null,
      targetType: 'custom_statistics',
      targetId: detail.kind,
      regionCode,
      outcome: outcome ?? 'success',
      detail: { ...rest, region: regionCode },
    });
  }

  // Saved statistics: each user's own

  async listSaved(caller: Principal): Promise<SavedStatisticRecord[]> {
    return this.repository.listSaved(caller.userId);
  }

  async save(
    caller: Principal,
    input: { name: string; expression: string; scope: RuleScope; note?: string | null },
  ): Promise<SavedStatisticRecord> {
    this.parseOrThrow(input.expression, input.scope);
    const saved = await this.repository.insertSaved({
      userId: caller.userId,
      name: input.name.trim(),
      expression: input.expression,
      scope: input.scope,
      note: input.note?.trim() || null,
    });
    if (!saved) throw analyticsErrors.savedNameTaken(input.name.trim());
    return saved;
  }

  async deleteSavedOrThrow(caller: Principal, id: string): Promise<void> {
    if (!(await this.repository.deleteSaved(caller.userId, id))) throw analyticsErrors.savedNotFound(id);
  }
}

function exportedBy(caller: Principal): string {
  return `${caller.displayName}（${caller.username}）`;
}
