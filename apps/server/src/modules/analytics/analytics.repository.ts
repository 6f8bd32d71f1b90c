/**
 * Analytics cube — design.
 *
 * Every standard report counts the assisted population (active lifted or monitored households and
 * their active members) by region, under filters of statistics year, lifted status and monitored
 * status. One table, `analytics_cube`, holds those counts already grouped:
 *
 *   (statistics_year, region_level, region_code,            -- where: township and every level above
 *    lifted_status, monitored_status, monitoring_category,    -- the household's group (filters and column groups)
 *    dimension, period, value)                                -- what the report breaks down by
 *   → households, persons
 *
 * - One statement (`countsQuery`) defines every number: person dimensions (age, health, education,
 *   labour, work-location, dibao-tekun; persons only, category left blank) are counted from members in
 *   one pass over persons ⨝ households with GROUPING SETS (one set per dimension); household dimensions
 *   (population, monthly-new, household-labour, elimination-interval, time-since-identification,
 *   income-change, and monthly-eliminated, which only the dashboard reads) from one pass over households
 *   with their member counts and income rows.
 * - The cube keeps township rows and rolls them up by code prefix to county, city and province in the
 *   same refresh, so a view of a county or above reads only the rows of its children
 *   (`region_level = child level AND region_code in range`), which the (statistics_year, dimension,
 *   region_level, region_code) index serves — a few hundred rows at any scale. Village rows would
 *   multiply the cube by ~20 (52 000 villages × their groups) for views that are small anyway: a
 *   township or village view runs the same statement live over that township's households (one index
 *   range, ~1 000 households), so its rows and totals always agree with each other.
 * - The caller's scope is applied on every read (`regionScopeCondition`).
 * - Years: each statistics year in household_incomes up to the current one, and the current year.
 *   The reference date of the current year is the statisticsDate setting (default today,
 *   Beijing time); of a past year, 31 December. Ages and month counts are taken at it.
 * - Refresh is whole and set-based: the new cube is built in `analytics_cube_building` inside one
 *   transaction (an advisory lock keeps refreshes one at a time) and swapped in by rename at the end,
 *   so readers see the old cube until the commit and never a half-built one. It runs after each
 *   applied national import (exchange's onImported hook) and on demand (`shouwang analytics refresh`).
 */
import { type Expression, type SqlBool, sql } from 'kysely';
import type { DB } from '../../db/connection.ts';
import type { RegionLevel } from '../../db/database.ts';
import { regionScopeCondition } from '../access/region-scope.ts';
import { type RegionRange, regionRange } from '../regions/region-code.ts';
import type { LiftedStatus, MonitoredStatus } from './analytics.reports.ts';

export interface CubeRow {
  regionCode: string;
  liftedStatus: LiftedStatus;
  monitoredStatus: MonitoredStatus;
  monitoringCategory: string;
  value: string;
  households: number;
  persons: number;
}

export interface CubeReadOptions {
  scope: RegionRange;
  year: number;
  /** One dimension, or several read at once (the dashboard). */
  dimensions: readonly string[];
  level: RegionLevel;
  /** The chosen region's range (children) or its own code (totals). */
  range: RegionRange;
  lifted?: readonly LiftedStatus[];
  monitored?: readonly MonitoredStatus[];
  period?: string;
}

export interface RefreshRecord {
  id: string;
  startedAt: Date;
  finishedAt: Date;
  trigger: string;
  referenceDates: Record<string, string>;
  cubeRows: number;
  milliseconds: number;
}

const refreshLockKey = 0x5357_4143; // 'SWAC'

const countyRange = (county: string) => regionRange(county.padEnd(12, '0'), 'county');

/** Birth date from ID digits 7–14 when they form a real date, else the birth_date column. */
const birthDate = sql`coalesce(
  CASE WHEN length(btrim(p.id_number)) IN (18, 20, 22)
        AND substr(btrim(p.id_number), 7, 8) ~ '^(1[89]|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$'
        AND to_char((substr(btrim(p.id_number), 7, 6) || '01')::date
              + (substr(btrim(p.id_number), 13, 2)::int - 1), 'YYYYMMDD') = substr(btrim(p.id_number), 7, 8)
       THEN to_date(substr(btrim(p.id_number), 7, 8), 'YYYYMMDD') END,
  p.birth_date)`;

/** Whole years at the reference date; a 29 February birthday is reached on 1 March. */
const age = sql`(extract(year FROM y.reference_date)::int - extract(year FROM b.birth)::int
  - CASE WHEN to_char(y.reference_date, 'MMDD') < to_char(b.birth, 'MMDD') THEN 1 ELSE 0 END)`;

/** A YYYYMM text as year × 12 + month, or NULL when it is not a valid month. */
const monthIndex = (column: string) => sql`CASE WHEN ${sql.ref(column)} ~ '^[0-9]{4}(0[1-9]|1[0-2])$'
  THEN left(${sql.ref(column)}, 4)::int * 12 + right(${sql.ref(column)}, 2)::int END`;

const bucket = (
  months: ReturnType<typeof sql>,
) => sql`CASE WHEN (${months}) IS NULL OR (${months}) < 0 THEN 'unknown'
  WHEN (${months}) > 12 THEN 'over_12' ELSE (${months})::text END`;

/**
 * The counts of every dimension, grouped by statistics year, region (codes cut to `digits` significant
 * digits) and household group: the one definition of every number, for the cube and for live views.
 */
function countsQuery(options: {
  years: number[];
  referenceDates: string[];
  digits: number;
  /** A condition on households `h` (scope and range for live views). */
  where: Expression<SqlBool>;
}) {
  return sql`
      WITH years AS (
        SELECT * FROM unnest(${options.years}::int[], ${options.referenceDates}::date[])
          AS y (statistics_year, reference_date)
      ),
      assisted AS (
        SELECT h.id, rpad(left(h.region_code, ${options.digits}), 12, '0') AS region_code, h.identified_at, h.eliminated_at,
          CASE WHEN h.household_type = 'lifted' THEN
            CASE h.policy_enjoyed WHEN true THEN 'enjoying' WHEN false THEN 'not_enjoying' ELSE 'unrecorded' END
            ELSE 'none' END AS lifted_status,
          CASE WHEN h.monitoring_category IS NULL THEN 'none'
            WHEN h.risk_eliminated IS TRUE THEN 'eliminated' ELSE 'not_eliminated' END AS monitored_status,
          coalesce(h.monitoring_category, '') AS monitoring_category,
          ${monthIndex('h.identified_at')} AS identified_month,
          ${monthIndex('h.eliminated_at')} AS eliminated_month
        FROM households h
        WHERE h.status = 'active' AND (h.household_type = 'lifted' OR h.monitoring_category IS NOT NULL)
          AND ${options.where}
      ),
      members AS (
        -- Narrow rows: the report value of each person dimension, computed once.
        SELECT y.statistics_year, a.id AS household_id, a.region_code, a.lifted_status, a.monitored_status,
          age.years AS age, p.labor_skill,
          CASE WHEN age.years IS NULL THEN 'unknown' WHEN age.years < 16 THEN 'under_16'
            WHEN age.years < 30 THEN '16_29' WHEN age.years < 40 THEN '30_39' WHEN age.years < 50 THEN '40_49'
            WHEN age.years < 60 THEN '50_59' ELSE '60_over' END AS age_value,
          coalesce(p.health, 'blank') AS health_value,
          coalesce(p.education, CASE WHEN p.schooling IS NOT NULL AND p.schooling <> 'preschool_child'
            THEN 'in_school' END, 'blank') AS education_value,
          coalesce(p.labor_skill, 'blank') AS labour_value,
          p.work_location AS work_value,
          CASE p.dibao WHEN 'rural' THEN 'dibao_rural' WHEN 'urban' THEN 'dibao_urban' END AS dibao_value,
          CASE p.tekun WHEN 'rural' THEN 'tekun_rural' WHEN 'urban' THEN 'tekun_urban' END AS tekun_value
        FROM assisted a
        JOIN persons p ON p.household_id = a.id AND p.status = 'active'
        CROSS JOIN LATERAL (SELECT ${birthDate} AS birth) b
        CROSS JOIN years y
        CROSS JOIN LATERAL (SELECT ${age} AS years) age
      ),
      -- One hashed GROUP BY over (person × dimension) rows: GROUPING SETS would sort the members once
      -- per dimension, which at province scale spills gigabytes to disk.
      person_cube AS (
        SELECT m.statistics_year, m.region_code, m.lifted_status, m.monitored_status, '' AS monitoring_category,
          d.dimension, '' AS period, d.value, 0 AS households, count(*) AS persons
        FROM members m
        CROSS JOIN LATERAL (VALUES ('age', m.age_value), ('health', m.health_value),
          ('education', m.education_value), ('labour', m.labour_value), ('work-location', m.work_value),
          ('dibao-tekun', m.dibao_value), ('dibao-tekun', m.tekun_value)) AS d (dimension, value)
        WHERE d.value IS NOT NULL
        GROUP BY m.statistics_year, m.region_code, m.lifted_status, m.monitored_status, d.dimension, d.value
      ),
      household_members AS (
        SELECT statistics_year, household_id, count(*) AS persons,
          count(*) FILTER (WHERE age BETWEEN 18 AND 65) AS working_age,
          count(*) FILTER (WHERE age BETWEEN 18 AND 65 AND labor_skill IN ('skilled', 'ordinary')) AS able,
          count(*) FILTER (WHERE age BETWEEN 18 AND 65 AND labor_skill = 'weak') AS weak
        FROM members
        GROUP BY statistics_year, household_id
      ),
      household_values AS (
        SELECT y.statistics_year, a.region_code, a.lifted_status, a.monitored_status, a.monitoring_category,
          coalesce(m.persons, 0) AS persons,
          'all' AS population_value,
          CASE WHEN a.monitored_status <> 'none' AND a.identified_month BETWEEN 2021 * 12 + 1
              AND extract(year FROM y.reference_date)::int * 12 + extract(month FROM y.reference_date)::int
            THEN a.identified_at END AS monthly_value,
          CASE WHEN a.monitored_status = 'eliminated' AND a.eliminated_month BETWEEN 2021 * 12 + 1
              AND extract(year FROM y.reference_date)::int * 12 + extract(month FROM y.reference_date)::int
            THEN a.eliminated_at END AS eliminated_monthly_value,
          CASE WHEN m.working_age > 0 THEN
            CASE WHEN m.able > 0 THEN 'able' WHEN m.weak > 0 THEN 'weak_only' ELSE 'none_able' END
            END AS labour_value,
          CASE WHEN a.monitored_status = 'eliminated'
            THEN ${bucket(sql`a.eliminated_month - a.identified_month`)} END AS interval_value,
          CASE WHEN a.monitored_status = 'eliminated'
            THEN coalesce((a.eliminated_month - 1) / 12 || '', '') END AS interval_period,
          CASE WHEN a.monitored_status = 'not_eliminated'
            THEN ${bucket(
              sql`extract(year FROM y.reference_date)::int * 12 + extract(month FROM y.reference_date)::int
                - a.identified_month`,
            )} END AS since_value,
          CASE WHEN a.monitored_status = 'eliminated' THEN
            CASE WHEN current_income.post_net_income_per_person IS NULL
                OR identified_income.net_income_per_person IS NULL THEN 'not_comparable'
              WHEN current_income.post_net_income_per_person > identified_income.net_income_per_person THEN 'higher'
              WHEN current_income.post_net_income_per_person < identified_income.net_income_per_person THEN 'lower'
              ELSE 'equal' END
            END AS income_value
        FROM assisted a
        CROSS JOIN years y
        LEFT JOIN household_members m ON m.household_id = a.id AND m.statistics_year = y.statistics_year
        LEFT JOIN household_incomes current_income
          ON current_income.household_id = a.id AND current_income.year = y.statistics_year
        LEFT JOIN household_incomes identified_income
          ON identified_income.household_id = a.id AND identified_income.year = (a.identified_month - 1) / 12
      ),
      household_cube AS (
        -- Only population is broken down by category: elsewhere it would multiply rows for no column.
        SELECT v.statistics_year, v.region_code, v.lifted_status, v.monitored_status,
          d.monitoring_category, d.dimension, d.period, d.value,
          count(*) AS households, sum(v.persons) AS persons
        FROM household_values v
        CROSS JOIN LATERAL (VALUES
          ('population', v.monitoring_category, '', 'all'),
          ('monthly-new', '', '', v.monthly_value),
          ('monthly-eliminated', '', '', v.eliminated_monthly_value),
          ('household-labour', '', '', v.labour_value),
          ('elimination-interval', '', v.interval_period, v.interval_value),
          ('time-since-identification', '', '', v.since_value),
          ('income-change', '', '', v.income_value)) AS d (dimension, monitoring_category, period, value)
        WHERE d.value IS NOT NULL
        GROUP BY v.statistics_year, v.region_code, v.lifted_status, v.monitored_status, d.monitoring_category,
          d.dimension, d.period, d.value
      )
      SELECT statistics_year, region_code, lifted_status, monitored_status, monitoring_category,
        dimension, period, value, households, persons
      FROM person_cube WHERE value IS NOT NULL
      UNION ALL
      SELECT statistics_year, region_code, lifted_status, monitored_status, monitoring_category,
        dimension, period, value, households, persons
      FROM household_cube WHERE value IS NOT NULL`;
}

export class AnalyticsRepository {
  constructor(private readonly db: DB) {}

  /** Rebuilds the whole cube for the given years and swaps it in; answers the number of cube rows. */
  async rebuild(options: { years: number[]; referenceDates: string[] }): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${refreshLockKey})`.execute(trx);
      // The grouping passes hash a few million rows: let them do it in memory. The planner cannot
      // estimate the groups of computed region codes and picks sorts that spill gigabytes at province
      // scale (measured: 182 s with sorts, 138 s hashed, on a loaded machine); hashing is the right plan.
      await sql`SET LOCAL work_mem = '256MB'`.execute(trx);
      await sql`SET LOCAL enable_sort = off`.execute(trx);
      await sql`DROP TABLE IF EXISTS analytics_cube_building`.execute(trx);
      await sql`CREATE TABLE analytics_cube_building (LIKE analytics_cube INCLUDING DEFAULTS)`.execute(trx);
      await sql`
        INSERT INTO analytics_cube_building (statistics_year, region_level, region_code, lifted_status,
          monitored_status, monitoring_category, dimension, period, value, households, persons)
        SELECT statistics_year, 'township', region_code, lifted_status, monitored_status, monitoring_category,
          dimension, period, value, households, persons
        FROM (${countsQuery({ ...options, digits: 9, where: sql`true` })}) AS counts`.execute(trx);
      await sql`
        INSERT INTO analytics_cube_building
        SELECT c.statistics_year, l.level, rpad(left(c.region_code, l.digits), 12, '0'), c.lifted_status,
          c.monitored_status, c.monitoring_category, c.dimension, c.period, c.value,
          sum(c.households), sum(c.persons)
        FROM analytics_cube_building c
        CROSS JOIN (VALUES ('county', 6), ('city', 4), ('province', 2)) AS l (level, digits)
        WHERE c.region_level = 'township'
        GROUP BY c.statistics_year, l.level, rpad(left(c.region_code, l.digits), 12, '0'), c.lifted_status,
          c.monitored_status, c.monitoring_category, c.dimension, c.period, c.value`.execute(trx);
      await sql`CREATE INDEX analytics_cube_building_read_idx
        ON analytics_cube_building (statistics_year, dimension, region_level, region_code)`.execute(trx);
      const counted = await sql<{
        count: string;
      }>`SELECT count(*) AS count FROM analytics_cube_building`.execute(trx);
      await sql`DROP TABLE analytics_cube`.execute(trx);
      await sql`ALTER TABLE analytics_cube_building RENAME TO analytics_cube`.execute(trx);
      await sql`ALTER INDEX analytics_cube_building_read_idx RENAME TO analytics_cube_read_idx`.execute(trx);
      await sql`ANALYZE analytics_cube`.execute(trx);
      return Number(counted.rows[0]?.count ?? 0);
    });
  }

  /**
   * Recomputes the cube rows of some counties (after an import of theirs) and the city and province
   * rows above them, in place: the rest of the cube is left as it is. Only valid for the years and
   * reference dates the cube was built with (the service checks); the numbers equal a full rebuild's.
   */
  async refreshCounties(options: { years: number[]; referenceDates: string[]; counties: string[] }) {
    const counties = [...new Set(options.counties)].sort();
    const cities = [...new Set(counties.map((county) => county.slice(0, 4)))];
    return this.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${refreshLockKey})`.execute(trx);
      await sql`SET LOCAL work_mem = '256MB'`.execute(trx);
      await sql`SET LOCAL enable_sort = off`.execute(trx);
      const inCounties = sql<SqlBool>`(${sql.join(
        counties.map((county) => {
          const range = countyRange(county);
          return sql`(h.region_code >= ${range.lo} AND h.region_code < ${range.hi})`;
        }),
        sql` OR `,
      )})`;
      await sql`
        DELETE FROM analytics_cube
        WHERE (region_level IN ('township', 'county') AND left(region_code, 6) = ANY(${counties}::text[]))
          OR (region_level = 'city' AND left(region_code, 4) = ANY(${cities}::text[]))
          OR region_level = 'province'`.execute(trx);
      await sql`
        INSERT INTO analytics_cube (statistics_year, region_level, region_code, lifted_status,
          monitored_status, monitoring_category, dimension, period, value, households, persons)
        SELECT statistics_year, 'township', region_code, lifted_status, monitored_status, monitoring_category,
          dimension, period, value, households, persons
        FROM (${countsQuery({ ...options, digits: 9, where: inCounties })}) AS counts`.execute(trx);
      // Levels above from township rows, as the full rebuild does: the counties refreshed, their
      // cities and the province (a few hundred thousand rows at province scale).
      await sql`
        INSERT INTO analytics_cube (statistics_year, region_level, region_code, lifted_status,
          monitored_status, monitoring_category, dimension, period, value, households, persons)
        SELECT c.statistics_year, l.level, rpad(left(c.region_code, l.digits), 12, '0'), c.lifted_status,
          c.monitored_status, c.monitoring_category, c.dimension, c.period, c.value,
          sum(c.households), sum(c.persons)
        FROM analytics_cube c
        CROSS JOIN (VALUES ('county', 6), ('city', 4), ('province', 2)) AS l (level, digits)
        WHERE c.region_level = 'township'
          AND (l.level = 'province'
            OR (l.level = 'city' AND left(c.region_code, 4) = ANY(${cities}::text[]))
            OR (l.level = 'county' AND left(c.region_code, 6) = ANY(${counties}::text[])))
        GROUP BY c.statistics_year, l.level, rpad(left(c.region_code, l.digits), 12, '0'), c.lifted_status,
          c.monitored_status, c.monitoring_category, c.dimension, c.period, c.value`.execute(trx);
      const counted = await sql<{ count: string }>`SELECT count(*) AS count FROM analytics_cube`.execute(trx);
      return Number(counted.rows[0]?.count ?? 0);
    });
  }

  async listCountiesOfHouseholds(householdIds: string[]): Promise<string[]> {
    const rows = await this.db
      .selectFrom('households')
      .select(sql<string>`left(region_code, 6)`.as('countyCode'))
      .distinct()
      .where('id', 'in', householdIds.filter((id) => /^\d{1,18}$/.test(id)).concat('0'))
      .execute();
    return rows.map((row) => row.countyCode);
  }

  /** Cube rows of one dimension at one level within a range, inside the caller's scope. */
  async read(options: CubeReadOptions): Promise<Array<CubeRow & { dimension: string }>> {
    const rows = await this.db
      .selectFrom('analyticsCube as c')
      .select([
        'c.dimension',
        'c.regionCode',
        'c.liftedStatus',
        'c.monitoredStatus',
        'c.monitoringCategory',
        'c.value',
        sql<string>`c.households`.as('households'),
        sql<string>`c.persons`.as('persons'),
      ])
      .where('c.statisticsYear', '=', options.year)
      .where('c.dimension', 'in', options.dimensions)
      .where('c.regionLevel', '=', options.level)
      .where('c.regionCode', '>=', options.range.lo)
      .where('c.regionCode', '<', options.range.hi)
      .where(regionScopeCondition(options.scope, 'c.region_code'))
      .$if(options.lifted !== undefined, (query) => query.where('c.liftedStatus', 'in', options.lifted ?? []))
      .$if(options.monitored !== undefined, (query) =>
        query.where('c.monitoredStatus', 'in', options.monitored ?? []),
      )
      .$if(options.period !== undefined, (query) => query.where('c.period', '=', options.period ?? ''))
      .execute();
    return rows.map((row) => ({
      ...row,
      liftedStatus: row.liftedStatus as LiftedStatus,
      monitoredStatus: row.monitoredStatus as MonitoredStatus,
      households: Number(row.households),
      persons: Number(row.persons),
    }));
  }

  /**
   * The same counts computed now from the registry, for a view of a township or village; several
   * dimensions in one pass (the statement counts them all anyway).
   */
  async readLive(options: {
    scope: RegionRange;
    year: number;
    referenceDate: string;
    dimensions: readonly string[];
    digits: number;
    range: RegionRange;
    lifted?: readonly LiftedStatus[];
    monitored?: readonly MonitoredStatus[];
    period?: string;
  }): Promise<Array<CubeRow & { dimension: string }>> {
    const where = sql<SqlBool>`${regionScopeCondition(options.scope, 'h.region_code')}
      AND h.region_code >= ${options.range.lo} AND h.region_code < ${options.range.hi}`;
    const result = await sql<CubeRow & { dimension: string; households: string; persons: string }>`
      SELECT dimension, region_code, lifted_status, monitored_status, monitoring_category, value, households, persons
      FROM (${countsQuery({ years: [options.year], referenceDates: [options.referenceDate], digits: options.digits, where })}) AS counts
      WHERE dimension IN (${sql.join(options.dimensions)})
        ${options.lifted ? sql`AND lifted_status IN (${sql.join(options.lifted)})` : sql``}
        ${options.monitored ? sql`AND monitored_status IN (${sql.join(options.monitored)})` : sql``}
        ${options.period !== undefined ? sql`AND period = ${options.period}` : sql``}`.execute(this.db);
    return result.rows.map((row) => ({
      ...row,
      households: Number(row.households),
      persons: Number(row.persons),
    }));
  }

  /** Elimination years present in the cube for a year, for the filter's choices. */
  async listPeriods(options: { year: number; dimension: string }): Promise<string[]> {
    const rows = await this.db
      .selectFrom('analyticsCube as c')
      .select('c.period')
      .distinct()
      .where('c.statisticsYear', '=', options.year)
      .where('c.dimension', '=', options.dimension)
      .where('c.regionLevel', '=', 'province')
      .where('c.period', '<>', '')
      .orderBy('c.period')
      .execute();
    return rows.map((row) => row.period);
  }

  async listIncomeYears(maxYear: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('householdIncomes')
      .select('year')
      .distinct()
      .where('year', '<=', maxYear)
      .execute();
    return rows.map((row) => row.year);
  }

  async recordRefresh(entry: {
    startedAt: Date;
    trigger: string;
    referenceDates: Record<string, string>;
    cubeRows: number;
    milliseconds: number;
  }): Promise<void> {
    await this.db
      .insertInto('analyticsRefreshes')
      .values({ ...entry, referenceDates: JSON.stringify(entry.referenceDates) })
      .execute();
  }

  async getLatestRefresh(): Promise<RefreshRecord | undefined> {
    const row = await this.db
      .selectFrom('analyticsRefreshes')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? { ...row, cubeRows: Number(row.cubeRows) } : undefined;
  }
}
