import { nationalColumns } from '@shouwang/domain';
import {
  type Compilable,
  CompiledQuery,
  type Expression,
  type Insertable,
  type Kysely,
  type Selectable,
  type SelectQueryBuilder,
  type SqlBool,
  sql,
  type Updateable,
} from 'kysely';
import type { DB } from '../../db/connection.ts';
import type {
  Database,
  FieldHistoryTable,
  HouseholdIncomeTable,
  HouseholdTable,
  PersonStatus,
  PersonTable,
} from '../../db/database.ts';
import { withRegionScope } from '../access/region-scope.ts';
import type { RegionRange } from '../regions/region-code.ts';
import type { NationalSourceRow } from './national-rows.ts';

type Executor = Kysely<Database>;

/** A household row; `version` is `updated_at` to the microsecond, the token of optimistic concurrency. */
export type HouseholdRecord = Omit<Selectable<HouseholdTable>, 'updatedAt'> & {
  version: string;
  regionFullName: string;
};

/** A person row; `birthDay` is the birth date as YYYY-MM-DD (a calendar day, no time zone). */
export type PersonRecord = Omit<Selectable<PersonTable>, 'updatedAt' | 'birthDate'> & {
  version: string;
  birthDay: string | null;
};

export type PersonWithHousehold = PersonRecord & { householdNo: string; regionFullName: string };

export type IncomeRecord = Selectable<HouseholdIncomeTable>;

export interface HouseholdListRecord {
  id: string;
  regionCode: string;
  householdNo: string;
  householdType: string | null;
  monitoringCategory: string | null;
  identifiedAt: string | null;
  riskEliminated: boolean | null;
  status: 'active' | 'absent';
  regionFullName: string;
  headName: string | null;
  headIdNumber: string | null;
  memberCount: number;
  riskTypes: string[];
}

export interface PersonListRecord {
  id: string;
  householdId: string;
  householdNo: string;
  regionCode: string;
  regionFullName: string;
  name: string | null;
  idNumber: string | null;
  relation: string | null;
  gender: string | null;
  birthDay: string | null;
  phone: string | null;
  education: string | null;
  schooling: string | null;
  health: string | null;
  laborSkill: string | null;
  status: PersonStatus;
}

export interface HistoryRecord {
  id: string;
  entity: string;
  field: string;
  personId: string | null;
  personName: string | null;
  oldValue: string | null;
  newValue: string | null;
  source: string;
  batchId: string | null;
  batchFileName: string | null;
  userDisplayName: string | null;
  username: string | null;
  changedAt: Date;
}

/**
 * A match on the search box: the household whose 户编号 is `householdNo`, else any member whose name
 * starts with `namePrefix` or whose ID number's first 18 characters equal `idNumber` or end with `idSuffix`.
 * An empty match finds nothing.
 */
export interface TextMatch {
  namePrefix?: string;
  idNumber?: string;
  idSuffix?: string;
  householdNo?: string;
}

export interface HouseholdSearchOptions {
  scope: RegionRange;
  /** A region chosen in the filter bar, already checked to lie within the scope. */
  region?: RegionRange;
  householdType?: string;
  /** A category code, `monitored` (any category) or `none`. */
  monitoringCategory?: string;
  riskEliminated?: boolean;
  riskType?: string;
  /** Whether the household has open quality findings (its own or its members'). */
  hasFindings?: boolean;
  text?: TextMatch;
  status: 'active' | 'absent' | 'all';
}

export interface PersonSearchOptions {
  scope: RegionRange;
  region?: RegionRange;
  gender?: string;
  /** Born on or after (YYYY-MM-DD). */
  bornFrom?: string;
  /** Born on or before (YYYY-MM-DD). */
  bornTo?: string;
  health?: string;
  laborSkill?: string;
  education?: string;
  schooling?: string;
  text?: TextMatch;
  status: PersonStatus | 'all';
}

export interface CountLimits {
  cap: number;
  timeoutMilliseconds: number;
}

/** SQLSTATE of a statement cancelled by statement_timeout. */
const queryCanceled = '57014';

export type FieldHistoryInsert = Omit<FieldHistoryTable, 'id' | 'changedAt'>;

export type HouseholdChanges = Omit<Updateable<HouseholdTable>, 'id' | 'createdAt' | 'updatedAt'>;
export type PersonChanges = Omit<Updateable<PersonTable>, 'id' | 'createdAt' | 'updatedAt'>;

/** `updated_at` as an ISO string with microseconds: equal strings mean the row has not changed. */
const versionOf = (column: string) =>
  sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const birthDayOf = (column: string) => sql<string | null>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;

/** Ids are bigint: anything else cannot name a row (and must not reach SQL as one). */
function isRowId(id: string): boolean {
  return /^\d{1,18}$/.test(id);
}

function chunks<Item>(items: Item[], size: number): Item[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/**
 * Household numbers of households recorded here (a cadre's home verification) rather than by the
 * national system, whose numbers are digits only: `SW`, the village code, a sequence.
 */
export const localHouseholdNoPrefix = 'SW';

export class RegistryRepository {
  constructor(private readonly db: DB) {}

  // ---------------------------------------------------------------------------------------------
  // Lists

  /** The filters of the household list; add one with another `$call`. */
  private householdSearch(options: HouseholdSearchOptions) {
    const { region, householdType, monitoringCategory, riskEliminated, riskType, hasFindings, text, status } =
      options;
    return withRegionScope(this.db.selectFrom('households as h'), options.scope, 'h.regionCode')
      .$call((query) => (region ? withRegionScope(query, region, 'h.regionCode') : query))
      .$call((query) => (status === 'all' ? query : query.where('h.status', '=', status)))
      .$call((query) => (householdType ? query.where('h.householdType', '=', householdType) : query))
      .$call((query) => {
        if (monitoringCategory === undefined) return query;
        if (monitoringCategory === 'monitored') return query.where('h.monitoringCategory', 'is not', null);
        if (monitoringCategory === 'none') return query.where('h.monitoringCategory', 'is', null);
        return query.where('h.monitoringCategory', '=', monitoringCategory);
      })
      .$call((query) =>
        riskEliminated === undefined ? query : query.where('h.riskEliminated', '=', riskEliminated),
      )
      .$call((query) =>
        riskType
          ? query.where((eb) =>
              eb.exists(
                eb
                  .selectFrom('householdRisks as risk')
                  .select(sql.lit(1).as('one'))
                  .whereRef('risk.householdId', '=', 'h.id')
                  .where('risk.riskType', '=', riskType),
              ),
            )
          : query,
      )
      .$call((query) => {
        if (hasFindings === undefined) return query;
        // Findings are the quality module's; the list only asks whether an open one names the household.
        return query.where((eb) => {
          const openFinding = eb.exists(
            eb
              .selectFrom('qualityFindings as finding')
              .select(sql.lit(1).as('one'))
              .whereRef('finding.householdId', '=', 'h.id')
              .where('finding.status', '=', 'open'),
          );
          return hasFindings ? openFinding : eb.not(openFinding);
        });
      })
      .$call((query) => {
        if (!text) return query;
        if (text.householdNo !== undefined) return query.where('h.householdNo', '=', text.householdNo);
        // EXISTS, not IN: the planner then either walks the list order probing each household's members
        // (a common surname) or starts from the few matching members (a full name, an ID).
        return query.where((eb) =>
          eb.exists(
            withRegionScope(eb.selectFrom('persons as member'), options.scope, 'member.regionCode')
              .select(sql.lit(1).as('one'))
              .whereRef('member.householdId', '=', 'h.id')
              .where(personMatches('member', text)),
          ),
        );
      });
  }

  /** One page in list order (region, then 户编号); names and counts are looked up for that page only. */
  async searchHouseholds(
    options: HouseholdSearchOptions & { offset: number; limit: number },
  ): Promise<HouseholdListRecord[]> {
    const page = this.householdSearch(options)
      .select([
        'h.id',
        'h.regionCode',
        'h.householdNo',
        'h.householdType',
        'h.monitoringCategory',
        'h.identifiedAt',
        'h.riskEliminated',
        'h.status',
      ])
      .orderBy('h.regionCode')
      .orderBy('h.householdNo')
      .offset(options.offset)
      .limit(options.limit);
    return this.db
      .selectFrom(page.as('page'))
      .innerJoin('regions as region', 'region.code', 'page.regionCode')
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('persons as head')
            .select(['head.name', 'head.idNumber'])
            .whereRef('head.householdId', '=', 'page.id')
            .where('head.relation', '=', 'head')
            .orderBy(sql`head.status = 'active'`, 'desc')
            .orderBy('head.id')
            .limit(1)
            .as('head'),
        (join) => join.onTrue(),
      )
      .selectAll('page')
      .select(['region.fullName as regionFullName', 'head.name as headName', 'head.idNumber as headIdNumber'])
      .select([
        sql<number>`(SELECT count(*)::int FROM persons member
          WHERE member.household_id = page.id AND member.status = 'active')`.as('memberCount'),
        sql<
          string[]
        >`coalesce((SELECT array_agg(risk.risk_type ORDER BY risk.position) FROM household_risks risk
          WHERE risk.household_id = page.id), '{}')`.as('riskTypes'),
      ])
      .orderBy('page.regionCode')
      .orderBy('page.householdNo')
      .execute();
  }

  async householdNoExists(options: { householdNo: string; scope: RegionRange }): Promise<boolean> {
    const row = await withRegionScope(this.db.selectFrom('households as h'), options.scope, 'h.regionCode')
      .select('h.id')
      .where('h.householdNo', '=', options.householdNo)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** At most `cap + 1`, or undefined when counting takes longer than `timeoutMilliseconds`. */
  async countHouseholds(options: HouseholdSearchOptions, limits: CountLimits): Promise<number | undefined> {
    return this.countMatching(this.householdSearch(options).select(sql.lit(1).as('one')), limits);
  }

  /** The planner's estimate of the matches: instant, and good enough to say "about N". */
  async estimateHouseholds(options: HouseholdSearchOptions): Promise<number> {
    return this.estimateRows(this.householdSearch(options).select(sql.lit(1).as('one')));
  }

  private personSearch(options: PersonSearchOptions) {
    const { region, gender, bornFrom, bornTo, health, laborSkill, education, schooling, text, status } =
      options;
    return withRegionScope(this.db.selectFrom('persons as p'), options.scope, 'p.regionCode')
      .$call((query) => (region ? withRegionScope(query, region, 'p.regionCode') : query))
      .$call((query) => (status === 'all' ? query : query.where('p.status', '=', status)))
      .$call((query) => (gender ? query.where('p.gender', '=', gender) : query))
      .$call((query) => (bornFrom ? query.where('p.birthDate', '>=', sql<Date>`${bornFrom}::date`) : query))
      .$call((query) => (bornTo ? query.where('p.birthDate', '<=', sql<Date>`${bornTo}::date`) : query))
      .$call((query) => (health ? query.where('p.health', '=', health) : query))
      .$call((query) => (laborSkill ? query.where('p.laborSkill', '=', laborSkill) : query))
      .$call((query) => (education ? query.where('p.education', '=', education) : query))
      .$call((query) => (schooling ? query.where('p.schooling', '=', schooling) : query))
      .$call((query) => {
        if (!text) return query;
        if (text.householdNo === undefined) return query.where(personMatches('p', text));
        return query.where('p.householdId', 'in', (eb) =>
          eb
            .selectFrom('households as numbered')
            .select('numbered.id')
            .where('numbered.householdNo', '=', text.householdNo ?? ''),
        );
      });
  }

  /** One page of members in list order (region, household, person). */
  async searchPersons(
    options: PersonSearchOptions & { offset: number; limit: number },
  ): Promise<PersonListRecord[]> {
    const page = this.personSearch(options)
      .select([
        'p.id',
        'p.householdId',
        'p.regionCode',
        'p.name',
        'p.idNumber',
        'p.relation',
        'p.gender',
        'p.phone',
        'p.education',
        'p.schooling',
        'p.health',
        'p.laborSkill',
        'p.status',
      ])
      .select(birthDayOf('p.birthDate').as('birthDay'))
      .orderBy('p.regionCode')
      .orderBy('p.householdId')
      .orderBy('p.id')
      .offset(options.offset)
      .limit(options.limit);
    return this.db
      .selectFrom(page.as('page'))
      .innerJoin('households as household', 'household.id', 'page.householdId')
      .innerJoin('regions as region', 'region.code', 'page.regionCode')
      .selectAll('page')
      .select(['household.householdNo', 'region.fullName as regionFullName'])
      .orderBy('page.regionCode')
      .orderBy('page.householdId')
      .orderBy('page.id')
      .execute();
  }

  async countPersons(options: PersonSearchOptions, limits: CountLimits): Promise<number | undefined> {
    return this.countMatching(this.personSearch(options).select(sql.lit(1).as('one')), limits);
  }

  /** Counts the rows of a search, at most `cap + 1`, or undefined when that takes too long. */
  private countMatching<Tables, Table extends keyof Tables, Output>(
    matching: SelectQueryBuilder<Tables, Table, Output>,
    limits: CountLimits,
  ): Promise<number | undefined> {
    return this.withinTimeout(limits.timeoutMilliseconds, async (executor) => {
      const row = await executor
        .selectFrom(matching.limit(limits.cap + 1).as('matching'))
        .select(sql<number>`count(*)::int`.as('total'))
        .executeTakeFirstOrThrow();
      return row.total;
    });
  }

  async estimatePersons(options: PersonSearchOptions): Promise<number> {
    return this.estimateRows(this.personSearch(options).select(sql.lit(1).as('one')));
  }

  /**
   * Runs `work` under a statement timeout, answering undefined when it takes longer: some filter
   * combinations at province scale need a scan to count, and the list must not wait for it.
   */
  private async withinTimeout<Result>(
    milliseconds: number,
    work: (executor: Executor) => Promise<Result>,
  ): Promise<Result | undefined> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL statement_timeout = ${sql.raw(String(Math.round(milliseconds)))}`.execute(trx);
        return work(trx);
      });
    } catch (error) {
      if ((error as { code?: string }).code === queryCanceled) return undefined;
      throw error;
    }
  }

  private async estimateRows(query: Compilable): Promise<number> {
    const compiled = query.compile();
    const result = await this.db.executeQuery(
      CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${compiled.sql}`, [...compiled.parameters]),
    );
    const plan = Object.values(result.rows[0] ?? {})[0] as
      | Array<{ Plan: { 'Plan Rows': number } }>
      | undefined;
    return Math.round(plan?.[0]?.Plan['Plan Rows'] ?? 0);
  }

  // ---------------------------------------------------------------------------------------------
  // One household

  private selectHouseholds(executor: Executor, scope: RegionRange) {
    return withRegionScope(executor.selectFrom('households as h'), scope, 'h.regionCode')
      .innerJoin('regions as region', 'region.code', 'h.regionCode')
      .selectAll('h')
      .select(['region.fullName as regionFullName', versionOf('h.updatedAt').as('version')]);
  }

  async findHousehold(options: { id: string; scope: RegionRange }): Promise<HouseholdRecord | undefined> {
    if (!isRowId(options.id)) return undefined;
    const row = await this.selectHouseholds(this.db, options.scope)
      .where('h.id', '=', options.id)
      .executeTakeFirst();
    return row && withoutUpdatedAt(row);
  }

  /** The household row locked for an edit, with whether the caller's version is still current. */
  async lockHousehold(
    executor: Executor,
    options: { id: string; scope: RegionRange; version: string },
  ): Promise<(HouseholdRecord & { current: boolean; updatedAt: Date }) | undefined> {
    if (!isRowId(options.id)) return undefined;
    return this.selectHouseholds(executor, options.scope)
      .select(sql<boolean>`h.updated_at = ${options.version}::timestamptz`.as('current'))
      .where('h.id', '=', options.id)
      .forUpdate('h')
      .executeTakeFirst();
  }

  async updateHousehold(executor: Executor, id: string, changes: HouseholdChanges): Promise<void> {
    await executor
      .updateTable('households')
      .set({ ...changes, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  /** Every member, the head first, then by person number. */
  async listMembers(options: { householdId: string; scope: RegionRange }): Promise<PersonRecord[]> {
    const rows = await this.selectPersons(this.db, options.scope)
      .where('p.householdId', '=', options.householdId)
      .orderBy(sql`p.relation = 'head'`, 'desc')
      .orderBy(sql`p.status = 'active'`, 'desc')
      .orderBy('p.personNo')
      .orderBy('p.id')
      .execute();
    return rows.map(withoutPersonDates);
  }

  async listIncomes(options: { householdId: string; scope: RegionRange }): Promise<IncomeRecord[]> {
    return withRegionScope(
      this.db.selectFrom('householdIncomes as income'),
      options.scope,
      'income.regionCode',
    )
      .selectAll('income')
      .where('income.householdId', '=', options.householdId)
      .orderBy('income.year', 'desc')
      .execute();
  }

  async listRisks(options: { householdId: string; scope: RegionRange }) {
    return withRegionScope(
      this.db.selectFrom('householdRisks as risk').innerJoin('households as h', 'h.id', 'risk.householdId'),
      options.scope,
      'h.regionCode',
    )
      .select(['risk.position', 'risk.riskType'])
      .where('risk.householdId', '=', options.householdId)
      .orderBy('risk.position')
      .execute();
  }

  async listMeasures(options: { householdId: string; scope: RegionRange }) {
    return withRegionScope(
      this.db
        .selectFrom('householdMeasures as measure')
        .innerJoin('households as h', 'h.id', 'measure.householdId'),
      options.scope,
      'h.regionCode',
    )
      .select(['measure.category', 'measure.value'])
      .where('measure.householdId', '=', options.householdId)
      .orderBy('measure.category')
      .orderBy('measure.value')
      .execute();
  }

  /** The household of the current (active or absent) person with this ID number, within the scope. */
  async findHouseholdByIdNumber(options: { idNumber: string; scope: RegionRange }) {
    return withRegionScope(this.db.selectFrom('persons as person'), options.scope, 'person.regionCode')
      .select(['person.householdId', 'person.regionCode', 'person.name'])
      .where(sql<string>`upper(left(person.id_number, 18))`, '=', options.idNumber.slice(0, 18).toUpperCase())
      .where('person.status', 'in', ['active', 'absent'])
      .orderBy('person.id')
      .executeTakeFirst();
  }

  /**
   * One page (keyset on household, person) of the current members of the given households, with every
   * field of the national layout: household and person columns, region names, the latest year's income,
   * risks in order and measures by category. Set-based: one statement per page.
   */
  async nationalRowsPage(options: {
    scope: RegionRange;
    householdIds: string[];
    after: { householdId: string; personId: string } | null;
    limit: number;
  }): Promise<NationalSourceRow[]> {
    if (options.householdIds.length === 0) return [];
    const householdFields = nationalColumns
      .filter(
        (column) => column.target === 'household' || ['regionCode', 'householdNo'].includes(column.field),
      )
      .map((column) => column.field);
    const personFields = nationalColumns
      .filter((column) => column.target === 'person' && column.field !== 'birthDate')
      .map((column) => column.field);
    const after = options.after;
    const rows = await withRegionScope(
      this.db.selectFrom('persons as p').innerJoin('households as h', 'h.id', 'p.householdId'),
      options.scope,
      'p.regionCode',
    )
      .select([
        'p.id as personId',
        'p.householdId',
        // jsonb_build_object takes at most 100 arguments: build it in parts and merge them.
        sql<Record<string, unknown>>`${sql.join(
          chunks(
            [
              ...householdFields.map((field) => sql`${field}::text, ${sql.ref(`h.${field}`)}`),
              ...personFields.map((field) => sql`${field}::text, ${sql.ref(`p.${field}`)}`),
              sql`'birthDate', to_char(p.birth_date, 'YYYYMMDD')`,
              sql`'countyName', (SELECT name FROM regions WHERE code = rpad(left(p.region_code, 6), 12, '0'))`,
              sql`'townshipName', (SELECT name FROM regions WHERE code = rpad(left(p.region_code, 9), 12, '0'))`,
              sql`'villageName', (SELECT name FROM regions WHERE code = p.region_code)`,
            ],
            40,
          ).map((part) => sql`jsonb_build_object(${sql.join(part)})`),
          sql` || `,
        )}`.as('fields'),
        sql<Record<string, unknown> | null>`(SELECT row_to_json(income) FROM household_incomes income
          WHERE income.household_id = h.id ORDER BY income.year DESC LIMIT 1)`.as('income'),
        sql<
          string[] | null
        >`(SELECT array_agg(risk.risk_type ORDER BY risk.position) FROM household_risks risk
          WHERE risk.household_id = h.id)`.as('risks'),
        sql<Record<string, string> | null>`(SELECT json_object_agg(grouped.category, grouped.values) FROM (
          SELECT measure.category, string_agg(measure.value, ',' ORDER BY measure.value) AS values
          FROM household_measures measure WHERE measure.household_id = h.id GROUP BY measure.category) grouped)`.as(
          'measures',
        ),
      ])
      .where('p.householdId', 'in', options.householdIds)
      .where('p.status', 'in', ['active', 'absent'])
      .$call((query) =>
        after
          ? query.where(
              sql<boolean>`(p.household_id, p.id) > (${after.householdId}::bigint, ${after.personId}::bigint)`,
            )
          : query,
      )
      .orderBy('p.householdId')
      .orderBy('p.id')
      .limit(options.limit)
      .execute();
    return rows;
  }

  /** Locks a household row for a change made on behalf of another module's decision. */
  async lockHouseholdForDecision(executor: Executor, options: { id: string; scope: RegionRange }) {
    if (!isRowId(options.id)) return undefined;
    return withRegionScope(executor.selectFrom('households as h'), options.scope, 'h.regionCode')
      .select([
        'h.id',
        'h.regionCode',
        'h.monitoringCategory',
        'h.identifiedAt',
        'h.riskEliminated',
        'h.eliminationMethod',
        'h.eliminatedAt',
      ])
      .where('h.id', '=', options.id)
      .forUpdate()
      .executeTakeFirst();
  }

  async listRiskTypes(executor: Executor, householdId: string): Promise<string[]> {
    const rows = await executor
      .selectFrom('householdRisks')
      .select('riskType')
      .where('householdId', '=', householdId)
      .orderBy('position')
      .execute();
    return rows.map((row) => row.riskType);
  }

  /** Adds measures the household does not have yet; answers the ones added. */
  async addMeasures(
    executor: Executor,
    householdId: string,
    measures: Array<{ category: string; value: string }>,
  ): Promise<Array<{ category: string; value: string }>> {
    if (measures.length === 0) return [];
    return executor
      .insertInto('householdMeasures')
      .values(measures.map((measure) => ({ householdId, ...measure })))
      .onConflict((conflict) => conflict.doNothing())
      .returning(['category', 'value'])
      .execute();
  }

  async replaceRisks(executor: Executor, householdId: string, riskTypes: string[]): Promise<void> {
    await executor.deleteFrom('householdRisks').where('householdId', '=', householdId).execute();
    if (riskTypes.length === 0) return;
    await executor
      .insertInto('householdRisks')
      .values(riskTypes.map((riskType, index) => ({ householdId, position: index + 1, riskType })))
      .execute();
  }

  // ---------------------------------------------------------------------------------------------
  // One person

  private selectPersons(executor: Executor, scope: RegionRange) {
    return withRegionScope(executor.selectFrom('persons as p'), scope, 'p.regionCode')
      .selectAll('p')
      .select([versionOf('p.updatedAt').as('version'), birthDayOf('p.birthDate').as('birthDay')]);
  }

  async findPerson(options: { id: string; scope: RegionRange }): Promise<PersonWithHousehold | undefined> {
    if (!isRowId(options.id)) return undefined;
    const row = await this.selectPersons(this.db, options.scope)
      .innerJoin('households as household', 'household.id', 'p.householdId')
      .innerJoin('regions as region', 'region.code', 'p.regionCode')
      .select(['household.householdNo', 'region.fullName as regionFullName'])
      .where('p.id', '=', options.id)
      .executeTakeFirst();
    return row && withoutPersonDates(row);
  }

  async lockPerson(
    executor: Executor,
    options: { id: string; scope: RegionRange; version: string },
  ): Promise<(PersonRecord & { current: boolean; updatedAt: Date }) | undefined> {
    if (!isRowId(options.id)) return undefined;
    const row = await this.selectPersons(executor, options.scope)
      .select(sql<boolean>`p.updated_at = ${options.version}::timestamptz`.as('current'))
      .where('p.id', '=', options.id)
      .forUpdate('p')
      .executeTakeFirst();
    return row && { ...withoutPersonDates(row), updatedAt: row.updatedAt, current: row.current };
  }

  async updatePerson(executor: Executor, id: string, changes: PersonChanges): Promise<void> {
    await executor
      .updateTable('persons')
      .set({ ...changes, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Whether another current person (not deceased, not moved out) holds the ID number, anywhere in the
   * province: the ID is the key of all department data, so it may not be checked within the scope only.
   */
  async isIdNumberTaken(executor: Executor, options: { idNumber: string; exceptPersonId: string }) {
    const row = await executor
      .selectFrom('persons')
      .select('id')
      .where(sql`upper(left(id_number, 18))`, '=', options.idNumber.slice(0, 18).toUpperCase())
      .where('status', 'not in', ['deceased', 'moved_out'])
      .where('id', '!=', options.exceptPersonId)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async hasOtherHead(executor: Executor, options: { householdId: string; exceptPersonId: string }) {
    const row = await executor
      .selectFrom('persons')
      .select('id')
      .where('householdId', '=', options.householdId)
      .where('relation', '=', 'head')
      .where('status', '=', 'active')
      .where('id', '!=', options.exceptPersonId)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // History

  /** The counties that households or persons of a batch were moved out of (their old region codes). */
  async listCountiesMovedFrom(batchId: string): Promise<string[]> {
    if (!isRowId(batchId)) return [];
    const rows = await this.db
      .selectFrom('fieldHistory')
      .select(sql<string>`left(old_value, 6)`.as('countyCode'))
      .distinct()
      .where('batchId', '=', batchId)
      .where('field', '=', 'regionCode')
      .where('oldValue', 'is not', null)
      .execute();
    return rows.map((row) => row.countyCode);
  }

  /**
   * The next number for a household recorded here rather than by the national system: `SW`, the
   * village code and a four-digit sequence, so that it can never equal a national number (digits only).
   * Call it in the transaction that inserts the household: a lock per village, held to its end, makes
   * a second recording in the same village wait and then read the first one's number.
   */
  async nextLocalHouseholdNo(executor: Executor, regionCode: string): Promise<string> {
    const prefix = `${localHouseholdNoPrefix}${regionCode}`;
    await sql`SELECT pg_advisory_xact_lock(hashtext('shouwang.local_household_no'), hashtext(${regionCode}))`.execute(
      executor,
    );
    const row = await executor
      .selectFrom('households')
      .select(sql<string | null>`max(household_no)`.as('last'))
      .where('householdNo', 'like', `${prefix}%`)
      .executeTakeFirst();
    const last = Number(row?.last?.slice(prefix.length) ?? 0);
    return `${prefix}${String(last + 1).padStart(4, '0')}`;
  }

  /** A new household and its members; answers their ids. */
  async insertHouseholdWithMembers(
    executor: Executor,
    household: Insertable<HouseholdTable>,
    members: Array<Omit<Insertable<PersonTable>, 'householdId' | 'regionCode'>>,
  ): Promise<{ id: string; persons: Array<{ id: string; idNumber: string | null }> }> {
    const row = await executor
      .insertInto('households')
      .values(household)
      .returning('id')
      .executeTakeFirstOrThrow();
    const persons = await executor
      .insertInto('persons')
      .values(members.map((member) => ({ ...member, householdId: row.id, regionCode: household.regionCode })))
      .returning(['id', 'idNumber'])
      .execute();
    return { id: row.id, persons };
  }

  async insertHistory(executor: Executor, rows: FieldHistoryInsert[]): Promise<void> {
    if (rows.length === 0) return;
    await executor.insertInto('fieldHistory').values(rows).execute();
  }

  async listHistory(options: {
    householdId: string;
    scope: RegionRange;
    offset: number;
    limit: number;
  }): Promise<{ items: HistoryRecord[]; total: number }> {
    const base = withRegionScope(
      this.db.selectFrom('fieldHistory as change'),
      options.scope,
      'change.regionCode',
    ).where('change.householdId', '=', options.householdId);
    const [items, totalRow] = await Promise.all([
      base
        .leftJoin('persons as person', 'person.id', 'change.personId')
        .leftJoin('users as author', 'author.id', 'change.userId')
        .leftJoin('importBatches as batch', 'batch.id', 'change.batchId')
        .select([
          'change.id',
          'change.entity',
          'change.field',
          'change.personId',
          'person.name as personName',
          'change.oldValue',
          'change.newValue',
          'change.source',
          'change.batchId',
          'batch.fileName as batchFileName',
          'author.displayName as userDisplayName',
          'author.username',
          'change.changedAt',
        ])
        .orderBy('change.changedAt', 'desc')
        .orderBy('change.id', 'desc')
        .offset(options.offset)
        .limit(options.limit)
        .execute(),
      base.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: totalRow.total };
  }
}

function withoutUpdatedAt<Row extends { updatedAt: Date }>(row: Row): Omit<Row, 'updatedAt'> {
  const { updatedAt: _updatedAt, ...rest } = row;
  return rest;
}

function withoutPersonDates<Row extends { updatedAt: Date; birthDate: Date | null }>(
  row: Row,
): Omit<Row, 'updatedAt' | 'birthDate'> {
  const { updatedAt: _updatedAt, birthDate: _birthDate, ...rest } = row;
  return rest;
}

/** A member matching the search box by name or ID number (see `TextMatch`). */
function personMatches(alias: 'p' | 'member', text: TextMatch): Expression<SqlBool> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  const conditions: Array<Expression<SqlBool>> = [];
  if (text.namePrefix !== undefined) {
    conditions.push(sql<SqlBool>`${column('name')} LIKE ${`${escapeLike(text.namePrefix)}%`}`);
  }
  if (text.idNumber !== undefined) {
    conditions.push(sql<SqlBool>`upper(left(${column('idNumber')}, 18)) = ${text.idNumber}`);
  }
  if (text.idSuffix !== undefined) {
    const reversedPrefix = `${escapeLike([...text.idSuffix].reverse().join(''))}%`;
    conditions.push(sql<SqlBool>`reverse(upper(left(${column('idNumber')}, 18))) LIKE ${reversedPrefix}`);
  }
  return conditions.length === 0 ? sql<SqlBool>`false` : sql<SqlBool>`(${sql.join(conditions, sql` OR `)})`;
}
