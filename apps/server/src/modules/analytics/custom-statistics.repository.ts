import type { RuleScope } from '@shouwang/rules';
import { type RawBuilder, type SqlBool, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/connection.ts';
import type { Database } from '../../db/database.ts';
import { regionScopeCondition } from '../access/region-scope.ts';
import type { RegionRange } from '../regions/region-code.ts';

/** The hits of one custom expression (rule_code, household_id, person_id), from the rule SQL compiler. */
export type CustomHits = RawBuilder<{ ruleCode: string; householdId: string; personId: string | null }>;

/** A region and its range, as the selection cache keeps and reads it. */
export interface RangeOfRegion {
  code: string;
  range: RegionRange;
}

export interface CustomMatch {
  hits: CustomHits;
  scope: RuleScope;
}

export interface RegionCountRow {
  /** The child region (12 digits), or null on the total row. */
  regionCode: string | null;
  households: number;
  persons: number;
}

export interface CustomPersonRow {
  id: string;
  name: string | null;
  idNumber: string | null;
  relation: string | null;
  gender: string | null;
  birthDay: string | null;
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
  householdType: string | null;
  monitoringCategory: string | null;
  riskEliminated: boolean | null;
  countyName: string | null;
  townshipName: string | null;
  villageName: string | null;
}

export interface SavedStatisticRecord {
  id: string;
  name: string;
  expression: string;
  scope: RuleScope;
  note: string | null;
  createdAt: Date;
}

/**
 * The households and the persons an expression selects. A person expression selects persons, and the
 * households they live in; a household expression selects households, and all their active members.
 */
function matchedHouseholds({ scope }: CustomMatch): RawBuilder<unknown> {
  return scope === 'person'
    ? sql`SELECT household_id, count(*) AS persons FROM hit GROUP BY household_id`
    : sql`SELECT hit.household_id,
        (SELECT count(*) FROM persons p WHERE p.household_id = hit.household_id AND p.status = 'active') AS persons
      FROM hit`;
}

function matchedPersons({ scope }: CustomMatch): RawBuilder<unknown> {
  return scope === 'person'
    ? sql`SELECT person_id AS id FROM hit`
    : sql`SELECT p.id FROM hit JOIN persons p ON p.household_id = hit.household_id AND p.status = 'active'`;
}

const personColumns = sql`p.id, p.name, p.id_number, p.relation, p.gender,
  to_char(p.birth_date, 'YYYY-MM-DD') AS birth_day, p.ethnicity, p.education, p.schooling, p.health,
  p.labor_skill, p.work_location, p.dibao, p.tekun, h.household_no, h.region_code, h.household_type,
  h.monitoring_category, h.risk_eliminated`;

/**
 * The names of the county, township and village. A page looks them up by primary key for its few
 * rows (evaluated after ORDER BY … LIMIT); the full export joins the regions table once (hash joins).
 * Codes are char(12): a text key would not use the primary key index.
 */
const regionNameLookups = sql`,
  (SELECT r.name FROM regions r WHERE r.code = rpad(left(h.region_code, 6), 12, '0')::char(12)) AS county_name,
  (SELECT r.name FROM regions r WHERE r.code = rpad(left(h.region_code, 9), 12, '0')::char(12)) AS township_name,
  (SELECT r.name FROM regions r WHERE r.code = h.region_code) AS village_name`;
const regionNameColumns = sql`, county.name AS county_name, township.name AS township_name,
  village.name AS village_name`;
const regionNameJoins = sql`
  LEFT JOIN regions village ON village.code = h.region_code
  LEFT JOIN regions township ON township.code = rpad(left(h.region_code, 9), 12, '0')::char(12)
  LEFT JOIN regions county ON county.code = rpad(left(h.region_code, 6), 12, '0')::char(12)`;

function personRows(match: CustomMatch, joins: RawBuilder<unknown> = sql``): RawBuilder<unknown> {
  return sql`FROM (${matchedPersons(match)}) AS m
    JOIN persons p ON p.id = m.id
    JOIN households h ON h.id = p.household_id ${joins}`;
}

/** By village and household, the head first. */
const personOrder = sql`ORDER BY h.region_code, h.household_no, (p.relation = 'head') DESC NULLS LAST, p.id`;

/**
 * A count or a page asked for on screen gives up after this long (a province-wide expression takes tens
 * of seconds on modest hardware; one that would take minutes holds a connection and a core for nothing).
 * The export, read in batches from a cursor, is not limited.
 */
export const interactiveStatementTimeoutMilliseconds = 120_000;

/** How long a selection is read again instead of evaluated: the user reads the counts, then pages. */
export const selectionLifetimeSeconds = 600;

/** First key of the advisory lock under which one selection is computed. */
const selectionLockClass = 713_101;

export class CustomStatisticsRepository {
  constructor(
    private readonly db: DB,
    private readonly statementTimeoutMilliseconds = interactiveStatementTimeoutMilliseconds,
  ) {}

  private async limited<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      await sql`SELECT set_config('statement_timeout', ${String(this.statementTimeoutMilliseconds)}, true)`.execute(
        trx,
      );
      return work(trx);
    });
  }

  /**
   * The hits of a selection as a query over the cache, computed first unless a fresh one is there (taken
   * less than `selectionLifetimeSeconds` ago and after the last registry change). Requests for the same
   * key at once compute it once: the second waits on the key's lock and reads what the first stored.
   * `selectedAt` is when the data was read (the computing transaction's start).
   */
  async selection(options: {
    key: string;
    region: RangeOfRegion;
    hits: CustomHits;
    scope: RuleScope;
    /** The person list is asked for: store the list order too. */
    ordered: boolean;
  }): Promise<{ hits: CustomHits; selectedAt: Date; persons: number }> {
    const { key } = options;
    const fresh = sql<SqlBool>`s.created_at > now() - make_interval(secs => ${selectionLifetimeSeconds})
      AND s.created_at > (SELECT invalidated_at FROM custom_statistic_cache_state)`;
    const selected = await this.limited(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${selectionLockClass}::int, hashtext(${key}))`.execute(trx);
      const found = await sql<{ createdAt: Date; personCount: string | null }>`
        SELECT s.created_at, s.person_count FROM custom_statistic_selections s
        WHERE s.key = ${key} AND ${fresh}`.execute(trx);
      let current = found.rows[0];
      if (!current) {
        await sql`DELETE FROM custom_statistic_selections s WHERE s.key = ${key} OR NOT (${fresh})`.execute(
          trx,
        );
        const created = await sql<{ createdAt: Date }>`
          INSERT INTO custom_statistic_selections (key, region_code, hit_count)
          VALUES (${key}, ${options.region.code}, 0) RETURNING created_at`.execute(trx);
        const hits = await sql`
          INSERT INTO custom_statistic_selection_hits (key, household_id, person_id, region_code)
          SELECT ${key}, hit.household_id, hit.person_id, h.region_code
          FROM (${options.hits}) AS hit JOIN households h ON h.id = hit.household_id`.execute(trx);
        await sql`UPDATE custom_statistic_selections SET hit_count = ${Number(hits.numAffectedRows ?? 0)}
          WHERE key = ${key}`.execute(trx);
        current = { createdAt: created.rows[0]?.createdAt ?? new Date(), personCount: null };
      }
      if (options.ordered && current.personCount === null) {
        // The list's order, once, when the list is first asked for: a page is then a range of ordinals.
        const stored = sql`SELECT household_id, person_id FROM custom_statistic_selection_hits WHERE key = ${key}`;
        const persons = await sql`
          WITH hit AS (${stored})
          INSERT INTO custom_statistic_selection_persons (key, ordinal, person_id, region_code)
          SELECT ${key}, row_number() OVER (${personOrder}), p.id, h.region_code
          ${personRows({ hits: options.hits, scope: options.scope })}`.execute(trx);
        const personCount = Number(persons.numAffectedRows ?? 0);
        await sql`UPDATE custom_statistic_selections SET person_count = ${personCount} WHERE key = ${key}`.execute(
          trx,
        );
        current = { ...current, personCount: String(personCount) };
      }
      return current;
    });
    const hits = sql`SELECT 'CUSTOM'::text AS rule_code, s.household_id, s.person_id
      FROM custom_statistic_selection_hits s
      WHERE s.key = ${key} AND ${regionScopeCondition(options.region.range, 's.region_code')}` as CustomHits;
    return { hits, selectedAt: selected.createdAt, persons: Number(selected.personCount ?? 0) };
  }

  /** One page of a stored selection's persons, in list order, read by their ordinals. */
  async pageSelection(options: {
    key: string;
    region: RangeOfRegion;
    offset: number;
    limit: number;
  }): Promise<CustomPersonRow[]> {
    const result = await sql<CustomPersonRow>`
      SELECT ${personColumns}${regionNameLookups}
      FROM custom_statistic_selection_persons s
      JOIN persons p ON p.id = s.person_id
      JOIN households h ON h.id = p.household_id
      WHERE s.key = ${options.key} AND s.ordinal > ${options.offset}::bigint
        AND s.ordinal <= ${options.offset + options.limit}::bigint
        AND ${regionScopeCondition(options.region.range, 's.region_code')}
      ORDER BY s.ordinal`.execute(this.db);
    return result.rows;
  }

  /**
   * Marks every selection taken so far stale (after a registry change). One row written per edit; the
   * stale selections' rows are deleted by the next selection computed.
   */
  async forgetSelections(): Promise<void> {
    await sql`UPDATE custom_statistic_cache_state SET invalidated_at = clock_timestamp()`.execute(this.db);
  }

  /**
   * Households and persons selected by the expression, per child region (the first `digits` digits of
   * the household's region code, padded to 12) and in total (regionCode null).
   */
  async countByChild(options: CustomMatch & { digits: number | null }): Promise<RegionCountRow[]> {
    // A village has no children: the total alone.
    const grouping =
      options.digits === null
        ? sql`NULL::text AS region_code`
        : sql`rpad(left(h.region_code, ${options.digits}::int), 12, '0') AS region_code`;
    const groupBy = options.digits === null ? sql`` : sql`GROUP BY GROUPING SETS ((1), ())`;
    const result = await this.limited((trx) =>
      sql<{ regionCode: string | null; households: string; persons: string | null }>`
        WITH hit AS MATERIALIZED (${options.hits})
        SELECT ${grouping}, count(*) AS households, sum(x.persons) AS persons
        FROM (${matchedHouseholds(options)}) AS x
        JOIN households h ON h.id = x.household_id
        ${groupBy}`.execute(trx),
    );
    return result.rows.map((row) => ({
      regionCode: options.digits === null ? null : row.regionCode,
      households: Number(row.households),
      persons: Number(row.persons ?? 0),
    }));
  }

  /**
   * Every selected person, in list order, read through a server-side cursor in batches: memory holds
   * one batch whatever the count. `onBatch` may wait (for a slow reader of the export).
   */
  async forEachPersonBatch(
    options: CustomMatch & { batchSize: number },
    onBatch: (rows: CustomPersonRow[]) => Promise<void>,
  ): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      await sql`DECLARE custom_persons NO SCROLL CURSOR FOR
        WITH hit AS MATERIALIZED (${options.hits})
        SELECT ${personColumns}${regionNameColumns} ${personRows(options, regionNameJoins)}
        ${personOrder}`.execute(trx);
      let count = 0;
      for (;;) {
        const batch =
          await sql<CustomPersonRow>`FETCH ${sql.lit(options.batchSize)} FROM custom_persons`.execute(trx);
        if (batch.rows.length === 0) break;
        count += batch.rows.length;
        await onBatch(batch.rows);
        if (batch.rows.length < options.batchSize) break;
      }
      await sql`CLOSE custom_persons`.execute(trx);
      return count;
    });
  }

  // Saved statistics

  async listSaved(userId: string): Promise<SavedStatisticRecord[]> {
    return this.db
      .selectFrom('savedStatistics')
      .select(['id', 'name', 'expression', 'scope', 'note', 'createdAt'])
      .where('userId', '=', userId)
      .orderBy('name')
      .execute();
  }

  /** Undefined when the user already has a statistic of that name. */
  async insertSaved(input: {
    userId: string;
    name: string;
    expression: string;
    scope: RuleScope;
    note: string | null;
  }): Promise<SavedStatisticRecord | undefined> {
    return this.db
      .insertInto('savedStatistics')
      .values(input)
      .onConflict((conflict) => conflict.columns(['userId', 'name']).doNothing())
      .returning(['id', 'name', 'expression', 'scope', 'note', 'createdAt'])
      .executeTakeFirst();
  }

  /** Deletes one of the user's own; false when there is none with that id. */
  async deleteSaved(userId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('savedStatistics')
      .where('userId', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
