import os from 'node:os';
import { maskIdNumber } from '@shouwang/domain';
import { type CompiledRule, parseRule, type RuleScope } from '@shouwang/rules';
import { CompiledQuery, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../db/connection.ts';
import type {
  QualityExemptionStatus,
  QualityFindingStatus,
  QualityRunTrigger,
  RegionLevel,
} from '../../db/database.ts';
import { preparedStatement } from '../../db/prepared-statements.ts';
import { exportSnapshot, forEachConcurrently, readInSnapshot } from '../../db/snapshots.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { type RegionRange, regionRange, significantDigits } from '../regions/region-code.ts';
import type { RegionsService } from '../regions/regions.service.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { qualityErrors } from './quality.errors.ts';
import {
  type FindingRow,
  type HitFilter,
  type MergeCounts,
  QualityRepository,
  type RuleCount,
  type RuleRecord,
  type RunRecord,
} from './quality.repository.ts';

/** What the SQL compiler needs to know beyond the rule: the province settings of the run. */
export interface RuleSqlContext {
  referenceDate: string;
  statisticsYear: number;
  incomeLine: number;
}

export interface RuleHit {
  ruleCode: string;
  householdId: string;
  personId: string | null;
}

/** The SQL compiler: the hits of some rules over the filtered households, as one set-based query. */
export type RuleHitsQuery = (
  rules: ReadonlyArray<{ code: string; rule?: CompiledRule }>,
  context: RuleSqlContext,
  filter: { scope: RegionRange; householdIds?: readonly string[] },
) => RawBuilder<RuleHit>;

export interface RunProgress {
  phase: 'checking' | 'merging' | 'done';
  /** 0 … 1 */
  progress: number;
}

export interface RunResult {
  run: RunRecord;
  rules: RuleCount[];
}

export interface RuleInput {
  code: string;
  name: string;
  category: string;
  scope: RuleScope;
  severity: 'error' | 'warning';
  whenText: string;
  note?: string | null;
  enabled?: boolean;
}

export interface RuleUpdate {
  /** The version the editor loaded. */
  version: number;
  name?: string;
  category?: string;
  severity?: 'error' | 'warning';
  whenText?: string;
  note?: string | null;
}

const ruleCodePattern = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/;
const childLevel: Partial<Record<RegionLevel, RegionLevel>> = {
  province: 'city',
  city: 'county',
  county: 'township',
  township: 'village',
};
const previewSampleSize = 20;
const maxExemptionDays = 3 * 366;
const recheckRetryMilliseconds = 5_000;
/** Region parts of a full run checked at once, each on its own connection: one per core, at most 4. */
const partConnections = Math.min(4, Math.max(1, os.availableParallelism()));
const importRunAttempts = 10;
const importRunRetryMilliseconds = 60_000;

export interface QualityDependencies {
  db: DB;
  audit: AuditService;
  regions: RegionsService;
  settings: SettingsService;
  province: string;
  ruleHitsQuery: RuleHitsQuery;
}

/**
 * Quality rules as data, runs that turn their hits into findings with history, the instant re-check of
 * an edited household, findings by rule / region / household, and exemptions.
 */
export class QualityService {
  private readonly repository: QualityRepository;
  private readonly db: DB;
  /** Runs started in the background (API, schedule, after an import), still going in this process. */
  private readonly running = new Set<Promise<unknown>>();
  private compiled: { key: string; rules: CompiledRuleSet } | undefined;
  private recheckCompiled:
    | { key: string; statement: { withHouseholds(householdIds: string[]): CompiledQuery<RuleHit> } }
    | undefined;
  /** Households whose re-check waited for a full run to end. */
  private readonly pendingRechecks = new Set<string>();
  private recheckTimer: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(private readonly dependencies: QualityDependencies) {
    this.db = dependencies.db;
    this.repository = new QualityRepository(dependencies.db);
  }

  // Rules

  async listRules(): Promise<RuleRecord[]> {
    return this.repository.listRules();
  }

  async getRuleOrThrow(code: string): Promise<RuleRecord> {
    const rule = await this.repository.findRule(code);
    if (!rule) throw qualityErrors.ruleNotFound(code);
    return rule;
  }

  /** Parses a rule text; a located zh-CN error when it does not parse or type-check. */
  checkRuleText(
    whenText: string,
    scope: RuleScope,
  ): { ok: true } | { ok: false; error: ReturnType<typeof locate> } {
    const parsed = parseRule(whenText, scope);
    return parsed.ok ? { ok: true } : { ok: false, error: locate(parsed.error) };
  }

  private parseOrThrow(whenText: string, scope: RuleScope): CompiledRule {
    const parsed = parseRule(whenText, scope);
    if (!parsed.ok) throw qualityErrors.invalidRule(parsed.error);
    return parsed.rule;
  }

  async createRule(principal: Principal, input: RuleInput, ip: string | null = null): Promise<RuleRecord> {
    if (!ruleCodePattern.test(input.code) || input.code.length > 32)
      throw qualityErrors.invalidRuleCode(input.code);
    this.parseOrThrow(input.whenText, input.scope);
    await this.db.transaction().execute(async (trx) => {
      if (await this.repository.lockRule(trx, input.code)) throw qualityErrors.ruleExists(input.code);
      const enabled = input.enabled ?? true;
      await this.repository.insertRule(trx, {
        code: input.code,
        name: input.name,
        category: input.category,
        scope: input.scope,
        severity: input.severity,
        whenText: input.whenText,
        note: input.note ?? null,
        enabled,
        updatedBy: principal.username,
      });
      await this.repository.insertRuleVersion(trx, {
        ruleCode: input.code,
        version: 1,
        change: 'create',
        name: input.name,
        category: input.category,
        severity: input.severity,
        previousWhenText: null,
        whenText: input.whenText,
        enabled,
        changedBy: principal.username,
      });
      await this.dependencies.audit.record(
        {
          action: 'quality.rule_create',
          actor: principal,
          ip,
          targetType: 'quality_rule',
          targetId: input.code,
          outcome: 'success',
          detail: { name: input.name, scope: input.scope, whenText: input.whenText },
        },
        trx,
      );
    });
    this.compiled = undefined;
    return this.getRuleOrThrow(input.code);
  }

  async updateRule(
    principal: Principal,
    code: string,
    update: RuleUpdate,
    ip: string | null = null,
  ): Promise<RuleRecord> {
    await this.db.transaction().execute(async (trx) => {
      const rule = await this.repository.lockRule(trx, code);
      if (!rule) throw qualityErrors.ruleNotFound(code);
      if (rule.version !== update.version) throw qualityErrors.staleRule(rule.version);
      if (update.whenText !== undefined && rule.kind === 'aggregate')
        throw qualityErrors.aggregateRuleText(code);
      if (update.whenText !== undefined) this.parseOrThrow(update.whenText, rule.scope);
      const next = {
        name: update.name ?? rule.name,
        category: update.category ?? rule.category,
        severity: update.severity ?? rule.severity,
        whenText: update.whenText ?? rule.whenText,
        note: update.note === undefined ? rule.note : update.note,
      };
      const version = rule.version + 1;
      await this.repository.updateRule(trx, code, { ...next, version, updatedBy: principal.username });
      await this.repository.insertRuleVersion(trx, {
        ruleCode: code,
        version,
        change: 'update',
        name: next.name,
        category: next.category,
        severity: next.severity,
        previousWhenText: rule.whenText,
        whenText: next.whenText,
        enabled: rule.enabled,
        changedBy: principal.username,
      });
      await this.dependencies.audit.record(
        {
          action: 'quality.rule_update',
          actor: principal,
          ip,
          targetType: 'quality_rule',
          targetId: code,
          outcome: 'success',
          detail: { version, previousWhenText: rule.whenText, whenText: next.whenText },
        },
        trx,
      );
    });
    this.compiled = undefined;
    return this.getRuleOrThrow(code);
  }

  async setRuleEnabled(
    principal: Principal,
    code: string,
    enabled: boolean,
    ip: string | null = null,
  ): Promise<RuleRecord> {
    await this.db.transaction().execute(async (trx) => {
      const rule = await this.repository.lockRule(trx, code);
      if (!rule) throw qualityErrors.ruleNotFound(code);
      if (rule.enabled === enabled) return;
      const version = rule.version + 1;
      await this.repository.updateRule(trx, code, { enabled, version, updatedBy: principal.username });
      await this.repository.insertRuleVersion(trx, {
        ruleCode: code,
        version,
        change: enabled ? 'enable' : 'disable',
        name: rule.name,
        category: rule.category,
        severity: rule.severity,
        previousWhenText: rule.whenText,
        whenText: rule.whenText,
        enabled,
        changedBy: principal.username,
      });
      await this.dependencies.audit.record(
        {
          action: enabled ? 'quality.rule_enable' : 'quality.rule_disable',
          actor: principal,
          ip,
          targetType: 'quality_rule',
          targetId: code,
          outcome: 'success',
          detail: { version },
        },
        trx,
      );
    });
    this.compiled = undefined;
    return this.getRuleOrThrow(code);
  }

  async listRuleVersions(code: string) {
    await this.getRuleOrThrow(code);
    return this.repository.listRuleVersions(code);
  }

  /**
   * What a rule text would flag in the caller's scope (or a region of it) now: households, persons, and
   * the first households found. Nothing is stored.
   */
  async preview(
    principal: Principal,
    input: { whenText: string; scope: RuleScope; regionCode?: string },
  ): Promise<{
    households: number;
    persons: number;
    sample: Array<{ householdId: string; householdNo: string; regionCode: string; headName: string | null }>;
  }> {
    const rule = this.parseOrThrow(input.whenText, input.scope);
    const range = input.regionCode
      ? await this.regionRangeOrThrow(principal, input.regionCode)
      : principal.scope;
    const context = await this.ruleContext();
    const hits = this.dependencies.ruleHitsQuery([{ code: 'PREVIEW', rule }], context, { scope: range });
    try {
      return await this.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL statement_timeout = '20s'`.execute(trx);
        return this.repository.previewHits(trx, {
          hits,
          scope: principal.scope,
          sampleSize: previewSampleSize,
        });
      });
    } catch (error) {
      if ((error as { code?: string }).code === '57014') throw qualityErrors.previewTimeout();
      throw error;
    }
  }

  // Runs

  /** The province settings a run uses: the statistics reference date, its year, and that year's line. */
  async ruleContext(): Promise<RuleSqlContext> {
    const referenceDate = await this.dependencies.settings.statisticsDate();
    const statisticsYear = Number(referenceDate.slice(0, 4));
    const incomeLine = await this.dependencies.settings.monitoringLine(statisticsYear);
    return { referenceDate, statisticsYear, incomeLine };
  }

  /** The enabled rules, parsed once per change of the rule table. */
  private async enabledRules(): Promise<CompiledRuleSet> {
    const key = await this.repository.rulesVersionKey();
    if (this.compiled?.key === key) return this.compiled.rules;
    const rules = await this.repository.listRules();
    const set: CompiledRuleSet = { expression: [], aggregate: [], skipped: [], codes: [] };
    for (const rule of rules) {
      if (!rule.enabled) continue;
      if (rule.kind === 'aggregate') {
        set.aggregate.push(rule.code);
        set.codes.push(rule.code);
        continue;
      }
      const parsed = parseRule(rule.whenText ?? '', rule.scope);
      if (parsed.ok) {
        set.expression.push({ code: rule.code, rule: parsed.rule });
        set.codes.push(rule.code);
      } else {
        // A stored rule that no longer parses (the language changed) is left out and reported by the run.
        set.skipped.push({ code: rule.code, reason: parsed.error.message });
      }
    }
    this.compiled = { key, rules: set };
    return set;
  }

  /** The aggregate rules (which group the whole registry) once per full run, over its whole region. */
  private async insertAggregateHits(
    trx: Parameters<QualityRepository['insertHits']>[0],
    rules: CompiledRuleSet,
    context: RuleSqlContext,
    filter: HitFilter,
  ): Promise<void> {
    if (rules.aggregate.length === 0) return;
    const aggregate = rules.aggregate.map((code) => ({ code }));
    await this.repository.insertHits(trx, this.dependencies.ruleHitsQuery(aggregate, context, filter));
  }

  /**
   * A full run over a region (the caller's scope by default): the hits of every enabled rule, region
   * part by region part, then one merge into the findings — all in one transaction, so a failed run
   * changes nothing. One full run at a time (advisory lock); its progress is on its run row.
   */
  async run(
    principal: Principal,
    options: {
      trigger: Exclude<QualityRunTrigger, 'recheck'>;
      regionCode?: string;
      onStarted?: (runId: string) => void;
      onProgress?: (progress: RunProgress) => void;
    },
  ): Promise<RunResult> {
    const rootCode = options.regionCode ?? principal.scope.lo;
    const root = await this.dependencies.regions.getOrThrow(principal, rootCode);
    const rootRange = regionRange(root.code, root.level);
    const childLevelOfRoot = childLevel[root.level];
    const parts: RegionRange[] = childLevelOfRoot
      ? (await this.dependencies.regions.listChildren(principal, root.code)).map((child) =>
          regionRange(child.code, child.level),
        )
      : [];
    if (parts.length === 0) parts.push(rootRange);
    const context = await this.ruleContext();
    const rules = await this.enabledRules();
    await this.repository.analyzeStaleRegistryTables();

    let runId: string | undefined;
    try {
      return await this.db.transaction().execute(async (trx) => {
        if (!(await this.repository.acquireRunLock(trx))) throw qualityErrors.runBusy();
        runId = await this.repository.insertRun(this.db, {
          trigger: options.trigger,
          status: 'running',
          regionCode: root.code,
          householdCount: null,
          startedBy: principal.username,
          settings: { ...context },
          ruleCount: rules.codes.length,
        });
        options.onStarted?.(runId);
        const id = runId;
        // Progress goes to the run row through the pool (pollers cannot see this transaction), in order.
        let progressWrites = Promise.resolve();
        const report = (progress: RunProgress) => {
          options.onProgress?.(progress);
          progressWrites = progressWrites
            .then(() => this.repository.updateRunProgress(id, progress))
            .catch(() => {});
        };
        report({ phase: 'checking', progress: 0 });
        await this.repository.createHitsTable(trx);
        // The region parts are checked on connections of their own, as many at a time as there are
        // cores, each pinned to this transaction's snapshot; their hits come back here (a few per cent
        // of the persons) and go into the run's table, while this connection runs the aggregate rules.
        const snapshot = await exportSnapshot(trx);
        let writes = this.insertAggregateHits(trx, rules, context, {
          scope: intersect(rootRange, principal.scope),
        });
        // Awaited below; a failure meanwhile must not count as unhandled.
        writes.catch(() => {});
        let checked = 0;
        await forEachConcurrently(parts, partConnections, async (part) => {
          if (rules.expression.length > 0) {
            const filter = { scope: intersect(part, principal.scope) };
            const rows = await readInSnapshot(this.db, snapshot, (reader) =>
              this.repository.selectHits(
                reader,
                this.dependencies.ruleHitsQuery(rules.expression, context, filter),
              ),
            );
            writes = writes.then(() => this.repository.insertHitRows(trx, rows));
            writes.catch(() => {});
            await writes;
          }
          checked += 1;
          report({ phase: 'checking', progress: (checked / parts.length) * 0.85 });
        });
        await writes;
        report({ phase: 'merging', progress: 0.85 });
        await this.repository.analyzeHits(trx);
        const scope = intersect(rootRange, principal.scope);
        const mergedAt = new Date();
        const merged = await this.repository.mergeFindings(trx, {
          runId: id,
          ruleCodes: rules.codes,
          filter: { scope },
          now: mergedAt,
        });
        const counts = withZeroCounts(rules.codes, await this.repository.countHitsByRule(trx));
        const summary = { ...merged, skipped: rules.skipped, rules: counts };
        // The run row is written by the pool's progress writes until here: only now may this transaction
        // take its lock.
        await progressWrites;
        await this.repository.finishRun(trx, id, {
          status: 'succeeded',
          counts: summary,
          error: null,
          covered: { ruleCodes: rules.codes, scope, mergedAt },
        });
        options.onProgress?.({ phase: 'done', progress: 1 });
        await this.dependencies.audit.record(
          {
            action: 'quality.run',
            actor: principal.userId ? principal : null,
            actorUsername: principal.username,
            targetType: 'quality_run',
            targetId: id,
            regionCode: root.code,
            outcome: 'success',
            detail: { trigger: options.trigger, ...merged },
          },
          trx,
        );
        const run = await this.repository.findRun({ scope: rootRange, id }, trx);
        if (!run) throw qualityErrors.runNotFound(id);
        return { run, rules: counts };
      });
    } catch (error) {
      if (runId) {
        const message = error instanceof Error ? error.message : String(error);
        await this.repository
          .finishRun(this.db, runId, { status: 'failed', counts: null, error: `检查失败：${message}` })
          .catch(() => {});
      }
      throw error;
    } finally {
      // Edits made while this run held the lock are re-checked now.
      await this.flushPendingRechecks();
    }
  }

  /**
   * Starts a full run in the background and answers with its run row as soon as it exists; the caller
   * polls the run for progress.
   */
  async startRun(
    principal: Principal,
    options: { trigger: Exclude<QualityRunTrigger, 'recheck'>; regionCode?: string },
  ): Promise<RunRecord> {
    const started = new Promise<string>((resolve, reject) => {
      const finished = this.run(principal, { ...options, onStarted: resolve });
      finished.catch(reject);
      const tracked = finished
        .catch(() => {
          // Recorded on the run row.
        })
        .finally(() => this.running.delete(tracked));
      this.running.add(tracked);
    });
    const runId = await started;
    return this.getRunOrThrow(principal, runId);
  }

  /** The rules' statement for re-checks, compiled once per rule set and settings. */
  private recheckStatement(rules: CompiledRuleSet, context: RuleSqlContext, province: RegionRange) {
    const key = `${this.compiled?.key}|${JSON.stringify(context)}`;
    if (this.recheckCompiled?.key === key) return this.recheckCompiled.statement;
    const marker: string[] = [];
    const compiled = this.dependencies
      .ruleHitsQuery(rules.expression, context, { scope: province, householdIds: marker })
      .compile(this.db);
    const positions = compiled.parameters.flatMap((parameter, index) =>
      parameter === marker ? [index] : [],
    );
    // A named prepared statement: each connection plans it once (then a generic plan, see
    // recheckHouseholds) instead of planning the whole rule set for every edit.
    const statement = {
      withHouseholds: (householdIds: string[]) => {
        const parameters = [...compiled.parameters];
        for (const index of positions) parameters[index] = householdIds;
        return preparedStatement(CompiledQuery.raw(compiled.sql, parameters) as CompiledQuery<RuleHit>);
      },
    };
    this.recheckCompiled = { key, statement };
    return statement;
  }

  /**
   * Re-checks some households at once (after an edit): the same hits and merge, limited to them, in one
   * short transaction that records a `recheck` run. Re-checks share the run lock; while a full run holds
   * it (its merge would wait for, or deadlock with, this one), the households are re-checked once it is
   * over — the full run may have read them before the edit.
   */
  async recheckHouseholds(householdIds: readonly string[]): Promise<MergeCounts & { deferred: boolean }> {
    const ids = [...new Set(householdIds)].filter((id) => /^\d{1,18}$/.test(id));
    const none = { found: 0, new: 0, fixed: 0, exemptionsExpired: 0 };
    if (ids.length === 0) return { ...none, deferred: false };
    const context = await this.ruleContext();
    const rules = await this.enabledRules();
    const province = regionRange(this.dependencies.province.padEnd(12, '0'), 'province');
    const merged = await this.db.transaction().execute(async (trx) => {
      if (!(await this.repository.trySharedRunLock(trx))) return undefined;
      const runId = await this.repository.insertRun(trx, {
        trigger: 'recheck',
        status: 'running',
        regionCode: province.lo,
        householdCount: ids.length,
        startedBy: null,
        settings: { ...context },
        ruleCount: rules.codes.length,
      });
      const filter = { scope: province, householdIds: ids };
      // A household's hits are a few rows: read them, then merge them as arrays. The compiled statement of
      // the rules is kept between re-checks (building and compiling it costs more than running it).
      const rows: RuleHit[] = [];
      if (rules.expression.length > 0) {
        const compiled = this.recheckStatement(rules, context, province);
        rows.push(...(await this.repository.executeHitsWithGenericPlan(trx, compiled.withHouseholds(ids))));
      }
      const aggregate = this.repository.aggregateHitsForHouseholds(rules.aggregate, filter);
      if (aggregate) rows.push(...(await aggregate.execute(trx)).rows);
      const hits = sql<RuleHit>`SELECT * FROM unnest(
          ${rows.map((row) => row.ruleCode)}::text[],
          ${rows.map((row) => row.householdId)}::bigint[],
          ${rows.map((row) => row.personId)}::bigint[]) AS hit (rule_code, household_id, person_id)`;
      const counts = await this.repository.mergeFindings(trx, {
        runId,
        ruleCodes: rules.codes,
        filter,
        now: new Date(),
        hits,
      });
      await this.repository.finishRun(trx, runId, {
        status: 'succeeded',
        counts: { ...counts },
        error: null,
      });
      return counts;
    });
    if (merged) return { ...merged, deferred: false };
    for (const id of ids) this.pendingRechecks.add(id);
    this.scheduleRecheckRetry();
    return { ...none, deferred: true };
  }

  private scheduleRecheckRetry(): void {
    if (this.recheckTimer || this.closing) return;
    this.recheckTimer = setTimeout(() => {
      this.recheckTimer = undefined;
      void this.flushPendingRechecks();
    }, recheckRetryMilliseconds);
    this.recheckTimer.unref();
  }

  /** Re-checks the households whose re-check waited for a full run. */
  async flushPendingRechecks(): Promise<void> {
    if (this.pendingRechecks.size === 0) return;
    const ids = [...this.pendingRechecks];
    this.pendingRechecks.clear();
    await this.recheckHouseholds(ids).catch(() => {
      for (const id of ids) this.pendingRechecks.add(id);
      this.scheduleRecheckRetry();
    });
  }

  /**
   * After an import: a background run over the importer's region; while another run holds the lock,
   * tried again a little later.
   */
  startImportRun(principal: Principal, attempt = 1): void {
    const tracked = this.run(principal, { trigger: 'import' })
      .catch((error) => {
        if (
          (error as { code?: string }).code === 'quality.run_busy' &&
          attempt < importRunAttempts &&
          !this.closing
        ) {
          const retry = setTimeout(
            () => this.startImportRun(principal, attempt + 1),
            importRunRetryMilliseconds,
          );
          retry.unref();
        }
        // Otherwise recorded on the run row.
      })
      .finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  /** Waits for the runs this process started (at shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running]);
    await this.flushPendingRechecks();
  }

  /** At shutdown: no new retries; the work in flight finishes. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.recheckTimer) clearTimeout(this.recheckTimer);
    this.recheckTimer = undefined;
    await this.drain();
  }

  async failAbandonedRuns(): Promise<number> {
    return this.repository.failAbandonedRuns(qualityErrors.runInterrupted().message);
  }

  async listRuns(
    principal: Principal,
    options: { trigger?: QualityRunTrigger; includeRechecks?: boolean; page: number; pageSize: number },
  ): Promise<RunRecord[]> {
    return this.repository.listRuns({
      scope: principal.scope,
      trigger: options.trigger,
      includeRechecks: options.includeRechecks ?? false,
      offset: (options.page - 1) * options.pageSize,
      limit: options.pageSize,
    });
  }

  async getRunOrThrow(principal: Pick<Principal, 'scope'>, id: string): Promise<RunRecord> {
    if (!/^\d{1,18}$/.test(id)) throw qualityErrors.runNotFound(id);
    const run = await this.repository.findRun({ scope: principal.scope, id });
    if (!run) throw qualityErrors.runNotFound(id);
    return run;
  }

  async lastScheduledRunDay(): Promise<string | undefined> {
    return this.repository.lastScheduledRunDay();
  }

  // Findings

  private async regionRangeOrThrow(principal: Principal, regionCode: string): Promise<RegionRange> {
    const region = await this.dependencies.regions.getOrThrow(principal, regionCode);
    return regionRange(region.code, region.level);
  }

  async searchFindings(
    principal: Principal,
    query: {
      ruleCode?: string;
      regionCode?: string;
      status?: QualityFindingStatus;
      householdId?: string;
      page: number;
      pageSize: number;
    },
  ) {
    const filters = {
      scope: principal.scope,
      region: query.regionCode ? await this.regionRangeOrThrow(principal, query.regionCode) : undefined,
      ruleCode: query.ruleCode,
      status: query.status,
      householdId: query.householdId,
    };
    const [rows, total] = await Promise.all([
      this.repository.searchFindings({
        ...filters,
        offset: (query.page - 1) * query.pageSize,
        limit: query.pageSize,
      }),
      this.repository.countFindings(filters),
    ]);
    return { items: rows.map(findingView), total };
  }

  /** A household's findings (open first), for its detail page; 404 outside the scope like a missing one. */
  async householdFindings(principal: Principal, householdId: string) {
    if (!/^\d{1,18}$/.test(householdId)) return [];
    const rows = await this.repository.searchFindings({
      scope: principal.scope,
      householdId,
      offset: 0,
      limit: 500,
    });
    const order: Record<string, number> = { open: 0, exempted: 1, fixed: 2 };
    return rows.map(findingView).sort((a, b) => (order[a.status] ?? 3) - (order[b.status] ?? 3));
  }

  async countByRule(principal: Principal, regionCode?: string) {
    const region = regionCode ? await this.regionRangeOrThrow(principal, regionCode) : undefined;
    return this.repository.countByRule({ scope: principal.scope, region });
  }

  /**
   * The children of a region node with their counts: households, flagged households and quality rate,
   * findings found / fixed and rectification progress. With no region, the caller's own region.
   */
  async countByRegion(principal: Principal, options: { regionCode?: string; ruleCode?: string }) {
    const region = await this.dependencies.regions.getOrThrow(
      principal,
      options.regionCode ?? principal.scope.lo,
    );
    const level = childLevel[region.level];
    const node = regionRange(region.code, region.level);
    const childDigits = level ? significantDigits[level] : 12;
    const [children, counts] = await Promise.all([
      level ? this.dependencies.regions.listChildren(principal, region.code) : Promise.resolve([region]),
      this.repository.countByRegion({
        scope: principal.scope,
        region: node,
        childDigits,
        ruleCode: options.ruleCode,
      }),
    ]);
    const byPrefix = new Map(counts.map((row) => [row.prefix, row]));
    const rows = children.map((child) => {
      const row = byPrefix.get(child.code.slice(0, childDigits));
      return regionCounts({ code: child.code, name: child.name, level: child.level }, row);
    });
    const total = regionCounts(
      { code: region.code, name: region.name, level: region.level },
      counts.reduce(
        (sum, row) => ({
          households: sum.households + row.households,
          flaggedHouseholds: sum.flaggedHouseholds + row.flaggedHouseholds,
          found: sum.found + row.found,
          open: sum.open + row.open,
          fixed: sum.fixed + row.fixed,
          exempted: sum.exempted + row.exempted,
        }),
        { households: 0, flaggedHouseholds: 0, found: 0, open: 0, fixed: 0, exempted: 0 },
      ),
    );
    return { region: { code: region.code, name: region.name, level: region.level }, total, items: rows };
  }

  /** Per rule and child region, for the ranking export's sheet per rule. */
  async countByRuleAndRegion(principal: Principal, regionCode: string) {
    const region = await this.dependencies.regions.getOrThrow(principal, regionCode);
    const level = childLevel[region.level];
    return this.repository.countByRuleAndRegion({
      scope: principal.scope,
      region: regionRange(region.code, region.level),
      childDigits: level ? significantDigits[level] : 12,
    });
  }

  async findingsPageForExport(
    principal: Principal,
    options: {
      region?: RegionRange;
      ruleCode: string;
      status?: QualityFindingStatus;
      afterId: string;
      limit: number;
    },
  ) {
    const rows = await this.repository.findingsPageForExport({ scope: principal.scope, ...options });
    return rows.map(findingView);
  }

  async resolveRegion(principal: Principal, regionCode: string | undefined) {
    return this.dependencies.regions.getOrThrow(principal, regionCode ?? principal.scope.lo);
  }

  // Exemptions

  async requestExemption(
    principal: Principal,
    findingId: string,
    input: { reason: string; expiresAt: string },
    ip: string | null = null,
  ) {
    if (!/^\d{1,18}$/.test(findingId)) throw qualityErrors.findingNotFound(findingId);
    const id = await this.db.transaction().execute(async (trx) => {
      const finding = await this.repository.findFinding({ scope: principal.scope, id: findingId }, trx);
      if (!finding) throw qualityErrors.findingNotFound(findingId);
      const expiresAt = exemptionExpiry(input.expiresAt);
      if (finding.status !== 'open') throw qualityErrors.exemptionNotOpen();
      if (await this.repository.hasPendingExemption(trx, finding.id)) throw qualityErrors.exemptionPending();
      const exemptionId = await this.repository.insertExemption(trx, {
        findingId: finding.id,
        regionCode: finding.regionCode,
        reason: input.reason.trim(),
        expiresAt,
        requestedBy: principal.userId || null,
        requestedByName: principal.displayName,
      });
      await this.dependencies.audit.record(
        {
          action: 'quality.exemption_request',
          actor: principal,
          ip,
          targetType: 'quality_exemption',
          targetId: exemptionId,
          regionCode: finding.regionCode,
          outcome: 'success',
          detail: { findingId: finding.id, ruleCode: finding.ruleCode, householdId: finding.householdId },
        },
        trx,
      );
      return exemptionId;
    });
    return this.getExemptionOrThrow(principal, id);
  }

  async decideExemption(
    principal: Principal,
    exemptionId: string,
    decision: { approve: boolean; note?: string },
    ip: string | null = null,
  ) {
    if (!/^\d{1,18}$/.test(exemptionId)) throw qualityErrors.exemptionNotFound(exemptionId);
    await this.db.transaction().execute(async (trx) => {
      const exemption = await this.repository.lockExemption(trx, { scope: principal.scope, id: exemptionId });
      if (!exemption) throw qualityErrors.exemptionNotFound(exemptionId);
      if (exemption.status !== 'requested') throw qualityErrors.exemptionDecided();
      if (principal.userId && exemption.requestedBy === principal.userId)
        throw qualityErrors.exemptionOwnRequest();
      await this.repository.decideExemption(trx, exemption.id, {
        status: decision.approve ? 'approved' : 'rejected',
        decidedBy: principal.userId || null,
        decidedByName: principal.displayName,
        decisionNote: decision.note?.trim() || null,
      });
      if (decision.approve) {
        const finding = await this.repository.findFinding(
          { scope: principal.scope, id: exemption.findingId },
          trx,
        );
        // A finding fixed meanwhile needs no exemption; the approval is kept as the record of the decision.
        if (finding && finding.status !== 'fixed') {
          await this.repository.exemptFinding(trx, finding.id, exemption.expiresAt);
        }
      }
      await this.dependencies.audit.record(
        {
          action: decision.approve ? 'quality.exemption_approve' : 'quality.exemption_reject',
          actor: principal,
          ip,
          targetType: 'quality_exemption',
          targetId: exemption.id,
          regionCode: exemption.regionCode,
          outcome: 'success',
          detail: { findingId: exemption.findingId, note: decision.note ?? null },
        },
        trx,
      );
    });
    return this.getExemptionOrThrow(principal, exemptionId);
  }

  async listExemptions(
    principal: Principal,
    query: { status?: QualityExemptionStatus; findingId?: string; page: number; pageSize: number },
  ) {
    return this.repository.listExemptions({
      scope: principal.scope,
      status: query.status,
      findingId: query.findingId,
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
    });
  }

  async getExemptionOrThrow(principal: Principal, id: string) {
    if (!/^\d{1,18}$/.test(id)) throw qualityErrors.exemptionNotFound(id);
    const exemption = await this.repository.getExemption({ scope: principal.scope, id });
    if (!exemption) throw qualityErrors.exemptionNotFound(id);
    return exemption;
  }
}

interface CompiledRuleSet {
  expression: Array<{ code: string; rule: CompiledRule }>;
  aggregate: string[];
  skipped: Array<{ code: string; reason: string }>;
  /** Every rule the run checks (expression and aggregate). */
  codes: string[];
}

function locate(error: { message: string; line: number; column: number; length: number }) {
  return { message: error.message, line: error.line, column: error.column, length: error.length };
}

/** The part of a range inside another (ranges of the region tree nest or are disjoint). */
function intersect(range: RegionRange, scope: RegionRange): RegionRange {
  const lo = [range.lo, scope.lo].sort()[1] as string;
  const hi = [range.hi, scope.hi].sort()[0] as string;
  return { lo, hi };
}

/** Every rule of the run, in code order, with zero counts where nothing was flagged. */
function withZeroCounts(codes: readonly string[], counts: RuleCount[]): RuleCount[] {
  const byCode = new Map(counts.map((count) => [count.code, count]));
  return [...codes].sort().map((code) => byCode.get(code) ?? { code, households: 0, persons: 0 });
}

function regionCounts(
  region: { code: string; name: string; level: RegionLevel },
  row:
    | {
        households: number;
        flaggedHouseholds: number;
        found: number;
        open: number;
        fixed: number;
        exempted: number;
      }
    | undefined,
) {
  const households = row?.households ?? 0;
  const flaggedHouseholds = row?.flaggedHouseholds ?? 0;
  const found = row?.found ?? 0;
  const fixed = row?.fixed ?? 0;
  return {
    ...region,
    households,
    flaggedHouseholds,
    /** Share of households with an open finding (问题户占比). */
    qualityRate: households > 0 ? flaggedHouseholds / households : 0,
    found,
    open: row?.open ?? 0,
    fixed,
    exempted: row?.exempted ?? 0,
    /** Share of findings ever found that are fixed (整改进度). */
    rectificationRate: found > 0 ? fixed / found : 0,
  };
}

function findingView(row: FindingRow) {
  return { ...row, idNumber: maskIdNumber(row.idNumber) };
}

function exemptionExpiry(text: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw qualityErrors.invalidExpiry();
  // The exemption holds through the given day, Beijing time.
  const end = new Date(`${text}T23:59:59.999+08:00`);
  const now = Date.now();
  if (
    Number.isNaN(end.getTime()) ||
    end.getTime() <= now ||
    end.getTime() > now + maxExemptionDays * 86_400_000
  ) {
    throw qualityErrors.invalidExpiry();
  }
  return end;
}
