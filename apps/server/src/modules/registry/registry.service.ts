import { beijingToday } from '@shouwang/domain';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/connection.ts';
import type { Database, PersonStatus } from '../../db/database.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { isWithinRange, type RegionRange, regionRange } from '../regions/region-code.ts';
import type { RegionsService } from '../regions/regions.service.ts';
import { nationalRowValues } from './national-rows.ts';
import { registryErrors } from './registry.errors.ts';
import { householdFields, personFields } from './registry.fields.ts';
import {
  type FieldHistoryInsert,
  type HouseholdChanges,
  type HouseholdRecord,
  type HouseholdSearchOptions,
  type PersonChanges,
  type PersonSearchOptions,
  type PersonWithHousehold,
  RegistryRepository,
  type TextMatch,
} from './registry.repository.ts';
import {
  buildChangeSet,
  checkHouseholdConsistency,
  checkPersonConsistency,
  checkRiskTypes,
  type FieldChange,
  historyText,
  mergedRecord,
} from './registry.validation.ts';

/**
 * How hard a list tries for an exact total. Counting two million households, or a rare combination of
 * filters over a province, costs more than the page itself; past the cap or the time limit the total is
 * the planner's estimate, answered with `totalExact: false` (the screen shows "约 N").
 */
export const countLimits = { cap: 50_000, timeoutMilliseconds: 150 };

/** The total of a list from what the page and the bounded count found, estimating only when needed. */
export async function resolveTotal(options: {
  offset: number;
  pageSize: number;
  found: number;
  counted: number | undefined;
  estimate: () => Promise<number>;
}): Promise<{ total: number; totalExact: boolean }> {
  const { offset, pageSize, found, counted } = options;
  // A short page is the last one: its end is the exact total, however long counting would take.
  if ((found > 0 && found < pageSize) || (offset === 0 && found === 0)) {
    return { total: offset + found, totalExact: true };
  }
  if (counted !== undefined && counted <= countLimits.cap) return { total: counted, totalExact: true };
  const estimated = await options.estimate();
  return { total: Math.max(estimated, counted ?? 0, offset + found + 1), totalExact: false };
}

/** What a closed monitoring case writes onto its household. */
export type MonitoringDecision =
  | {
      kind: 'identified';
      category: string;
      /** YYYYMM */
      month: string;
      risks: string[];
      measures: Array<{ category: string; value: string }>;
    }
  | { kind: 'eliminated'; method: string; month: string };

export interface HouseholdListQuery {
  regionCode?: string;
  householdType?: string;
  monitoringCategory?: string;
  riskEliminated?: boolean;
  riskType?: string;
  hasFindings?: boolean;
  q?: string;
  status: 'active' | 'absent' | 'all';
  page: number;
  pageSize: number;
}

export interface PersonListQuery {
  regionCode?: string;
  gender?: string;
  ageFrom?: number;
  ageTo?: number;
  health?: string;
  laborSkill?: string;
  education?: string;
  schooling?: string;
  q?: string;
  status: PersonStatus | 'all';
  page: number;
  pageSize: number;
}

export interface HouseholdUpdate {
  /** The `updatedAt` the editor loaded. */
  updatedAt: string;
  /** Editable household fields; `risks` replaces the risk types (codes, in order). */
  [field: string]: unknown;
}

export interface PersonUpdate {
  updatedAt: string;
  [field: string]: unknown;
}

/**
 * Reads the search box as a member's name or ID number: a full ID (18, or 20/22 for a disability
 * certificate), its last 4 or more characters, or the beginning of a name. Digits too short for an ID
 * match nothing here; a 户编号 is recognised by the service, which looks it up first.
 */
export function parseSearchText(text: string | undefined): TextMatch | undefined {
  const trimmed = text?.trim() ?? '';
  if (!trimmed) return undefined;
  const upper = trimmed.toUpperCase();
  if (/^\d{17}[\dX](\d{2}|\d{4})?$/.test(upper)) return { idNumber: upper.slice(0, 18) };
  if (/^\d{3,16}[\dX]$/.test(upper)) return { idSuffix: upper };
  if (/^\d+$/.test(trimmed)) return {};
  return { namePrefix: trimmed };
}

/** Birth-date bounds for an age range (whole years at today, Beijing time). */
export function birthBoundsForAges(
  ageFrom: number | undefined,
  ageTo: number | undefined,
  today: string = beijingToday(),
): { bornFrom?: string; bornTo?: string } {
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  const shifted = (years: number, days = 0) =>
    new Date(Date.UTC(year - years, month - 1, day + days)).toISOString().slice(0, 10);
  return {
    bornTo: ageFrom === undefined ? undefined : shifted(ageFrom),
    bornFrom: ageTo === undefined ? undefined : shifted(ageTo + 1, 1),
  };
}

export interface HouseholdDetail {
  household: HouseholdRecord;
  regionPath: Array<{ code: string; name: string; level: string }>;
  members: Awaited<ReturnType<RegistryRepository['listMembers']>>;
  incomes: Awaited<ReturnType<RegistryRepository['listIncomes']>>;
  risks: Awaited<ReturnType<RegistryRepository['listRisks']>>;
  measures: Awaited<ReturnType<RegistryRepository['listMeasures']>>;
}

/** Told the households whose data an edit changed, after it committed (the quality re-check listens). */
export type HouseholdsChangedListener = (householdIds: string[]) => Promise<void>;

/** Households and their members: lists, details, edits with field history, and audited reveals. */
export class RegistryService {
  private readonly repository: RegistryRepository;
  private readonly changeListeners: HouseholdsChangedListener[] = [];

  constructor(
    private readonly db: DB,
    private readonly regions: RegionsService,
    private readonly audit: AuditService,
  ) {
    this.repository = new RegistryRepository(db);
  }

  /** Counties a batch moved households or persons out of: their figures changed too. */
  async listCountiesMovedFrom(batchId: string): Promise<string[]> {
    return this.repository.listCountiesMovedFrom(batchId);
  }

  onHouseholdsChanged(listener: HouseholdsChangedListener): void {
    this.changeListeners.push(listener);
  }

  /** A listener's failure never undoes or fails the edit that already committed. */
  private async notifyChanged(householdIds: string[]): Promise<void> {
    for (const listener of this.changeListeners) await listener(householdIds).catch(() => {});
  }

  /**
   * For writes made through this service inside a caller's transaction (recordMonitoringDecision,
   * createHousehold): the caller tells the listeners (quality re-check, analytics refresh) once its
   * transaction has committed — they must read what was written.
   */
  async householdsChanged(householdIds: readonly string[]): Promise<void> {
    const ids = [...new Set(householdIds)];
    if (ids.length > 0) await this.notifyChanged(ids);
  }

  /** The region chosen in a filter, as a code range; outside the scope it answers 404 like a missing one. */
  private async filterRegion(
    principal: Principal,
    regionCode: string | undefined,
  ): Promise<RegionRange | undefined> {
    if (!regionCode) return undefined;
    const region = await this.regions.getOrThrow(principal, regionCode);
    return regionRange(region.code, region.level);
  }

  /** A 户编号 typed whole finds its household; anything else is a member's name or ID number. */
  private async searchText(principal: Principal, text: string | undefined): Promise<TextMatch | undefined> {
    const trimmed = text?.trim();
    if (!trimmed) return undefined;
    if (await this.repository.householdNoExists({ householdNo: trimmed, scope: principal.scope })) {
      return { householdNo: trimmed };
    }
    return parseSearchText(trimmed);
  }

  async searchHouseholds(principal: Principal, query: HouseholdListQuery) {
    const options: HouseholdSearchOptions = {
      scope: principal.scope,
      region: await this.filterRegion(principal, query.regionCode),
      householdType: query.householdType,
      monitoringCategory: query.monitoringCategory,
      riskEliminated: query.riskEliminated,
      riskType: query.riskType,
      hasFindings: query.hasFindings,
      text: await this.searchText(principal, query.q),
      status: query.status,
    };
    return searchPage(query, {
      page: (offset, limit) => this.repository.searchHouseholds({ ...options, offset, limit }),
      count: () => this.repository.countHouseholds(options, countLimits),
      estimate: () => this.repository.estimateHouseholds(options),
    });
  }

  async searchPersons(principal: Principal, query: PersonListQuery) {
    const options: PersonSearchOptions = {
      scope: principal.scope,
      region: await this.filterRegion(principal, query.regionCode),
      gender: query.gender,
      ...birthBoundsForAges(query.ageFrom, query.ageTo),
      health: query.health,
      laborSkill: query.laborSkill,
      education: query.education,
      schooling: query.schooling,
      text: await this.searchText(principal, query.q),
      status: query.status,
    };
    return searchPage(query, {
      page: (offset, limit) => this.repository.searchPersons({ ...options, offset, limit }),
      count: () => this.repository.countPersons(options, countLimits),
      estimate: () => this.repository.estimatePersons(options),
    });
  }

  /** A household within the caller's scope; outside it answers exactly like a missing one. */
  async getHouseholdOrThrow(principal: Pick<Principal, 'scope'>, id: string): Promise<HouseholdRecord> {
    const household = await this.repository.findHousehold({ id, scope: principal.scope });
    if (!household) throw registryErrors.householdNotFound();
    return household;
  }

  async getHouseholdDetail(principal: Principal, id: string): Promise<HouseholdDetail> {
    const household = await this.getHouseholdOrThrow(principal, id);
    const scoped = { householdId: household.id, scope: principal.scope };
    const [regionPath, members, incomes, risks, measures] = await Promise.all([
      this.regions.listPath(principal, household.regionCode),
      this.repository.listMembers(scoped),
      this.repository.listIncomes(scoped),
      this.repository.listRisks(scoped),
      this.repository.listMeasures(scoped),
    ]);
    return { household, regionPath, members, incomes, risks, measures };
  }

  async listHistory(principal: Principal, householdId: string, page: number, pageSize: number) {
    const household = await this.getHouseholdOrThrow(principal, householdId);
    return this.repository.listHistory({
      householdId: household.id,
      scope: principal.scope,
      offset: (page - 1) * pageSize,
      limit: pageSize,
    });
  }

  async getPersonOrThrow(principal: Pick<Principal, 'scope'>, id: string): Promise<PersonWithHousehold> {
    const person = await this.repository.findPerson({ id, scope: principal.scope });
    if (!person) throw registryErrors.personNotFound();
    return person;
  }

  /**
   * Saves the fields that differ from the row, each with a history row (source `cadre`), and an audit
   * entry naming the fields — all in one transaction. A stale `updatedAt` is refused with 409.
   */
  async updateHousehold(
    principal: Principal,
    id: string,
    update: HouseholdUpdate,
    ip: string | null = null,
  ): Promise<HouseholdDetail> {
    let changedHouseholdId: string | undefined;
    await this.db.transaction().execute(async (trx) => {
      const household = await this.repository.lockHousehold(trx, {
        id,
        scope: principal.scope,
        version: update.updatedAt,
      });
      if (!household) throw registryErrors.householdNotFound();
      if (!household.current) throw registryErrors.staleHousehold(household.updatedAt);

      const { changes, errors } = buildChangeSet(householdFields, update, household);
      Object.assign(
        errors,
        checkHouseholdConsistency(
          mergedRecord(household, changes),
          new Set(changes.map((change) => change.definition.field)),
        ),
      );
      const riskChange = await this.riskChange(household.id, principal, update.risks, errors);
      if (Object.keys(errors).length > 0) throw registryErrors.invalidFields(errors);
      if (changes.length === 0 && !riskChange) return;
      changedHouseholdId = household.id;

      if (changes.length > 0) {
        await this.repository.updateHousehold(trx, household.id, columnChanges(changes) as HouseholdChanges);
      }
      const history: FieldHistoryInsert[] = changes.map((change) =>
        historyRow(change, {
          householdId: household.id,
          regionCode: household.regionCode,
          userId: principal.userId,
        }),
      );
      if (riskChange) {
        await this.repository.replaceRisks(trx, household.id, riskChange.next);
        if (changes.length === 0) await this.repository.updateHousehold(trx, household.id, {});
        history.push({
          householdId: household.id,
          personId: null,
          regionCode: household.regionCode,
          entity: 'risks',
          field: 'risks',
          oldValue: riskChange.previous.join(',') || null,
          newValue: riskChange.next.join(',') || null,
          source: 'cadre',
          batchId: null,
          userId: principal.userId || null,
        });
      }
      await this.repository.insertHistory(trx, history);
      await this.audit.record(
        {
          action: 'registry.update_household',
          actor: principal,
          ip,
          targetType: 'household',
          targetId: household.id,
          regionCode: household.regionCode,
          outcome: 'success',
          detail: { fields: history.map((row) => row.field) },
        },
        trx,
      );
    });
    if (changedHouseholdId) await this.notifyChanged([changedHouseholdId]);
    return this.getHouseholdDetail(principal, id);
  }

  /** The risk types before and after, when the submitted list differs from the stored one. */
  private async riskChange(
    householdId: string,
    principal: Principal,
    submitted: unknown,
    errors: Record<string, string>,
  ): Promise<{ previous: string[]; next: string[] } | undefined> {
    if (submitted === undefined) return undefined;
    if (!Array.isArray(submitted) || submitted.some((item) => typeof item !== 'string')) {
      errors.risks = '致贫/返贫风险格式不正确';
      return undefined;
    }
    const next = submitted as string[];
    const error = checkRiskTypes(next);
    if (error) {
      errors.risks = error;
      return undefined;
    }
    const previous = (await this.repository.listRisks({ householdId, scope: principal.scope })).map(
      (risk) => risk.riskType,
    );
    return previous.join(',') === next.join(',') ? undefined : { previous, next };
  }

  async updatePerson(
    principal: Principal,
    id: string,
    update: PersonUpdate,
    ip: string | null = null,
  ): Promise<PersonWithHousehold> {
    let changedHouseholdId: string | undefined;
    await this.db.transaction().execute(async (trx) => {
      const person = await this.repository.lockPerson(trx, {
        id,
        scope: principal.scope,
        version: update.updatedAt,
      });
      if (!person) throw registryErrors.personNotFound();
      if (!person.current) throw registryErrors.stalePerson(person.updatedAt);

      const stored = { ...person, birthDate: person.birthDay };
      const { changes, errors } = buildChangeSet(personFields, update, stored);
      const changed = new Set(changes.map((change) => change.definition.field));
      const merged = mergedRecord(stored, changes);
      const staysCurrent = merged.status === 'active' || merged.status === 'absent';
      if (changed.has('idNumber') && staysCurrent && typeof merged.idNumber === 'string') {
        if (
          await this.repository.isIdNumberTaken(trx, { idNumber: merged.idNumber, exceptPersonId: person.id })
        ) {
          errors.idNumber = '该证件号码已登记在其他在册人员名下，请核对';
        }
      }
      for (const [field, message] of Object.entries(checkPersonConsistency(merged, changed))) {
        errors[field] ??= message;
      }
      if (
        (changed.has('relation') || changed.has('status')) &&
        merged.relation === 'head' &&
        merged.status === 'active' &&
        (await this.repository.hasOtherHead(trx, {
          householdId: person.householdId,
          exceptPersonId: person.id,
        }))
      ) {
        errors[changed.has('relation') ? 'relation' : 'status'] = '本户已有户主，请先修改原户主的与户主关系';
      }
      if (Object.keys(errors).length > 0) throw registryErrors.invalidFields(errors);
      if (changes.length === 0) return;
      changedHouseholdId = person.householdId;

      await this.repository.updatePerson(trx, person.id, columnChanges(changes) as PersonChanges);
      await this.repository.insertHistory(
        trx,
        changes.map((change) => ({
          ...historyRow(change, {
            householdId: person.householdId,
            regionCode: person.regionCode,
            userId: principal.userId,
          }),
          personId: person.id,
          entity: 'person',
        })),
      );
      await this.audit.record(
        {
          action: 'registry.update_person',
          actor: principal,
          ip,
          targetType: 'person',
          targetId: person.id,
          regionCode: person.regionCode,
          outcome: 'success',
          detail: {
            householdId: person.householdId,
            fields: changes.map((change) => change.definition.field),
          },
        },
        trx,
      );
    });
    if (changedHouseholdId) await this.notifyChanged([changedHouseholdId]);
    return this.getPersonOrThrow(principal, id);
  }

  /** The household a current member with this ID number belongs to, within the scope. */
  async findHouseholdByIdNumber(scope: RegionRange, idNumber: string) {
    return this.repository.findHouseholdByIdNumber({ idNumber, scope });
  }

  /**
   * Writes the outcome of a monitoring case onto the household — entering monitoring (category, month,
   * risks, measures) or risk elimination (method, month) — with field history of source `monitoring`,
   * inside the caller's transaction so the case step and the household change commit together.
   */
  async recordMonitoringDecision(
    executor: Kysely<Database>,
    principal: Pick<Principal, 'userId' | 'scope'>,
    householdId: string,
    decision: MonitoringDecision,
  ): Promise<void> {
    const household = await this.repository.lockHouseholdForDecision(executor, {
      id: householdId,
      scope: principal.scope,
    });
    if (!household) throw registryErrors.householdNotFound();
    const next: Record<string, string | boolean | null> =
      decision.kind === 'identified'
        ? {
            monitoringCategory: decision.category,
            identifiedAt: decision.month,
            riskEliminated: false,
            eliminationMethod: null,
            eliminatedAt: null,
          }
        : { riskEliminated: true, eliminationMethod: decision.method, eliminatedAt: decision.month };
    const history: FieldHistoryInsert[] = [];
    const row = (field: string, oldValue: string | null, newValue: string | null): FieldHistoryInsert => ({
      householdId: household.id,
      personId: null,
      regionCode: household.regionCode,
      entity: field === 'risks' || field === 'measures' ? field : 'household',
      field,
      oldValue,
      newValue,
      source: 'monitoring',
      batchId: null,
      userId: principal.userId || null,
    });
    const changes: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(next)) {
      const previous = household[field as keyof typeof household] as string | boolean | null;
      if (previous === value) continue;
      changes[field] = value;
      history.push(row(field, historyText(previous), historyText(value)));
    }
    await this.repository.updateHousehold(executor, household.id, changes as HouseholdChanges);
    if (decision.kind === 'identified') {
      const previousRisks = await this.repository.listRiskTypes(executor, household.id);
      if (decision.risks.length > 0 && previousRisks.join(',') !== decision.risks.join(',')) {
        await this.repository.replaceRisks(executor, household.id, decision.risks);
        history.push(row('risks', previousRisks.join(',') || null, decision.risks.join(',')));
      }
      const added = await this.repository.addMeasures(executor, household.id, decision.measures);
      // Measure history rows name the category in `field`, as the import writes them.
      for (const measure of added) {
        history.push({ ...row('measures', null, measure.value), field: measure.category });
      }
    }
    await this.repository.insertHistory(executor, history);
  }

  /**
   * A household the registry did not have, recorded by a cadre (home verification of a person who is
   * not in the national data): members as verified, a local household number, and field history of
   * source `cadre` for every value written. Runs in the caller's transaction; the caller checks the
   * members (ID numbers valid, one head, none already in the registry).
   */
  async createHousehold(
    executor: Kysely<Database>,
    principal: Pick<Principal, 'userId' | 'scope'>,
    input: {
      regionCode: string;
      householdPhone: string | null;
      members: Array<{
        name: string;
        idNumber: string;
        relation: string;
        phone: string | null;
        gender: 'male' | 'female' | null;
        birthDate: string | null;
      }>;
    },
  ): Promise<{ id: string; householdNo: string }> {
    if (!isWithinRange(input.regionCode, principal.scope)) throw registryErrors.householdNotFound();
    const householdNo = await this.repository.nextLocalHouseholdNo(executor, input.regionCode);
    const { id, persons } = await this.repository.insertHouseholdWithMembers(
      executor,
      { regionCode: input.regionCode, householdNo, householdPhone: input.householdPhone },
      input.members.map((member) => ({
        name: member.name,
        idNumber: member.idNumber,
        idType: 'resident_id',
        relation: member.relation,
        gender: member.gender,
        birthDate: member.birthDate,
        phone: member.phone,
        status: 'active' as const,
      })),
    );
    const personIds = new Map(persons.map((person) => [person.idNumber, person.id]));
    const row = (
      entity: 'household' | 'person',
      field: string,
      value: string | null,
      personId: string | null = null,
    ): FieldHistoryInsert => ({
      householdId: id,
      personId,
      regionCode: input.regionCode,
      entity,
      field,
      oldValue: null,
      newValue: value,
      source: 'cadre',
      batchId: null,
      userId: principal.userId || null,
    });
    const history: FieldHistoryInsert[] = [row('household', 'householdNo', householdNo)];
    if (input.householdPhone) history.push(row('household', 'householdPhone', input.householdPhone));
    for (const member of input.members) {
      const personId = personIds.get(member.idNumber) ?? null;
      for (const [field, value] of [
        ['name', member.name],
        ['idNumber', member.idNumber],
        ['relation', member.relation],
        ['gender', member.gender],
        ['birthDate', member.birthDate],
        ['phone', member.phone],
      ] as const) {
        if (value) history.push(row('person', field, value, personId));
      }
    }
    await this.repository.insertHistory(executor, history);
    return { id, householdNo };
  }

  /**
   * The current members of the given households as rows of the national layout (text per column, in
   * column order), read in pages so that a large export never sits in memory whole.
   */
  async *nationalRows(
    principal: Pick<Principal, 'scope'>,
    householdIds: string[],
  ): AsyncGenerator<Array<string | null>> {
    let after: { householdId: string; personId: string } | null = null;
    for (;;) {
      const page = await this.repository.nationalRowsPage({
        scope: principal.scope,
        householdIds,
        after,
        limit: 2_000,
      });
      for (const row of page) yield nationalRowValues(row);
      const last = page.at(-1);
      if (!last || page.length < 2_000) return;
      after = { householdId: last.householdId, personId: last.personId };
    }
  }

  /** The whole ID number and phone of one person; every call leaves an audit entry before answering. */
  async revealPersonalData(principal: Principal, id: string, ip: string | null = null) {
    const person = await this.getPersonOrThrow(principal, id);
    await this.audit.record({
      action: 'registry.reveal_personal_data',
      actor: principal,
      ip,
      targetType: 'person',
      targetId: person.id,
      regionCode: person.regionCode,
      outcome: 'success',
      detail: { householdId: person.householdId, fields: ['idNumber', 'phone'] },
    });
    return { idNumber: person.idNumber, phone: person.phone };
  }
}

function columnChanges(changes: FieldChange[]): Record<string, unknown> {
  return Object.fromEntries(changes.map((change) => [change.definition.field, change.newValue]));
}

function historyRow(
  change: FieldChange,
  context: { householdId: string; regionCode: string; userId: string },
): FieldHistoryInsert {
  return {
    householdId: context.householdId,
    personId: null,
    regionCode: context.regionCode,
    entity: 'household',
    field: change.definition.field,
    oldValue: historyText(change.oldValue),
    newValue: historyText(change.newValue),
    source: 'cadre',
    batchId: null,
    userId: context.userId || null,
  };
}

/** One page of a list with its total: the page and a capped count run together; the estimate only if needed. */
async function searchPage<Item>(
  query: { page: number; pageSize: number },
  source: {
    page: (offset: number, limit: number) => Promise<Item[]>;
    count: () => Promise<number | undefined>;
    estimate: () => Promise<number>;
  },
) {
  const offset = (query.page - 1) * query.pageSize;
  const [items, counted] = await Promise.all([source.page(offset, query.pageSize), source.count()]);
  const total = await resolveTotal({
    offset,
    pageSize: query.pageSize,
    found: items.length,
    counted,
    estimate: source.estimate,
  });
  return { items, ...total };
}
