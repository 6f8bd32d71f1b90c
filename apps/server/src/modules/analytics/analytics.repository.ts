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
 * - One statement (`countsQuery`) defines every number, reading persons and households once whatever
 *   the number of years: person dimensions (age, health, education, labour, work-location,
 *   dibao-tekun; persons only, category left blank) in one hashed GROUPING SETS pass over persons ⨝
 *   households, which also sums each household's members; household dimensions (population,
 *   monthly-new, household-labour, elimination-interval, time-since-identification, income-change, and
 *   monthly-eliminated, which only the dashboard reads) in a second one over households. What does not
 *   depend on the year is grouped without it and repeated per year at the grouped level (a few
 *   thousand rows); what does is grouped by compact facts turned into values per year there: a person's
 *   age group in every year (one digit per year, from integer birth year and month-day), a household's
 *   identification and elimination months, year bitmasks of its members of working age (18–65, bit_or
 *   over the household). Only the income rows of eliminated households are joined per year.
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
 * - Refresh is whole and set-based: the new cube is built in `analytics_cube_building` and swapped in by
 *   rename in a short transaction at the end, so readers see the old cube until then and never a
 *   half-built one. The township rows are counted by one connection per core (at most 4), each over a
 *   share of the townships, all pinned to one exported snapshot; the levels above are rolled up from
 *   them. A session advisory lock keeps refreshes one at a time; a refresh killed midway leaves the old
 *   cube and a building table that the next one drops. It runs after each applied national import
 *   (exchange's onImported hook) and on demand (`shouwang analytics refresh`); after an import of a few
 *   counties only theirs and the rows above are recomputed (`refreshCounties`, one transaction).
 */
import os from 'node:os';
import { type Expression, type SqlBool, sql, type Transaction } from 'kysely';
import type { DB } from '../../db/connection.ts';
import type { Database, RegionLevel } from '../../db/database.ts';
import { exportSnapshot, forEachConcurrently, writeInSnapshot } from '../../db/snapshots.ts';
import { regionScopeCondition } from '../access/region-scope.ts';
import { validDateNumberSql } from '../quality/rule-sql.ts';
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

/** A YYYYMM text as year × 12 + month, or NULL when it is not a valid month (^[0-9]{4}(0[1-9]|1[0-2])$). */
const monthIndex = (column: string) => sql`CASE WHEN length(${sql.ref(column)}) = 6
    AND translate(${sql.ref(column)}, '0123456789', '') = ''
    AND substr(${sql.ref(column)}, 5, 2) COLLATE "C" BETWEEN '01' AND '12'
  THEN left(${sql.ref(column)}, 4)::int * 12 + right(${sql.ref(column)}, 2)::int END`;

/** The first month the monthly reports count (January 2021). */
const firstMonth = 2021 * 12 + 1;

/**
 * ID digits 7–14 as a YYYYMMDD integer when they are eight ASCII digits of an ID of 18, 20 or 22
 * characters (not yet checked as a date), else NULL.
 */
const idBirthNumber = sql`CASE WHEN length(btrim(p.id_number)) IN (18, 20, 22)
    AND translate(substr(btrim(p.id_number), 7, 8), '0123456789', '') = ''
  THEN substr(btrim(p.id_number), 7, 8)::int END`;

const bucket = (
  months: ReturnType<typeof sql>,
) => sql`CASE WHEN (${months}) IS NULL OR (${months}) < 0 THEN 'unknown'
  WHEN (${months}) > 12 THEN 'over_12' ELSE (${months})::text END`;

/** The values of the age dimension, by the digit of `ageCode`. */
const ageGroups = ['unknown', 'under_16', '16_29', '30_39', '40_49', '50_59', '60_over'];

/** Bits of a bigint mask, one per statistics year. */
const maxYears = 62;

/**
 * The statistics years as integers, for arithmetic instead of date functions on every person.
 *
 * A person's age at a reference date is (reference year − birth year), less one when the reference
 * month-day comes before the birth month-day (so a 29 February birthday is reached on 1 March). The
 * reference month-days of all years, sorted and distinct, cut the month-days into classes: a person's
 * `birth_class` is how many of them come before the birth month-day, and the reference month-day of a
 * year comes before the birth month-day exactly when `birth_class` > that year's `month_day_rank`.
 */
function statisticsYears(years: number[], referenceDates: string[]) {
  if (years.length === 0 || years.length !== referenceDates.length) {
    throw new Error('analytics: one reference date per statistics year');
  }
  if (years.length > maxYears) throw new Error(`analytics: at most ${maxYears} statistics years`);
  const dates = referenceDates.map((date) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    if (!match) throw new Error(`analytics: reference date ${date} is not YYYY-MM-DD`);
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    return { year, month: year * 12 + month, monthDay: month * 100 + day };
  });
  const monthDays = [...new Set(dates.map((date) => date.monthDay))].sort((left, right) => left - right);
  const ranks = dates.map((date) => monthDays.indexOf(date.monthDay));
  const referenceYears = dates.map((date) => date.year);
  const birthClass = (monthDay: ReturnType<typeof sql>) =>
    sql`CASE ${sql.join(
      monthDays
        .map((value, index) => sql`WHEN ${monthDay} > ${sql.lit(value)} THEN ${sql.lit(index + 1)}`)
        .reverse(),
      sql` `,
    )} ELSE 0 END`;
  const ageIn = (index: number, birthYear: ReturnType<typeof sql>, classOf: ReturnType<typeof sql>) =>
    sql`(${sql.lit(referenceYears[index] as number)} - ${birthYear}
      - CASE WHEN ${classOf} > ${sql.lit(ranks[index] as number)} THEN 1 ELSE 0 END)`;
  return {
    table: sql`SELECT statistics_year, reference_year, reference_month, month_day_rank, (ordinality - 1)::int AS year_index
      FROM unnest(${years}::int[], ${referenceYears}::int[], ${dates.map((date) => date.month)}::int[], ${ranks}::int[])
        WITH ORDINALITY AS y (statistics_year, reference_year, reference_month, month_day_rank, ordinality)`,
    birthClass,
    /** Bit i set when the person is 18–65 years old at the reference date of the i-th year. */
    workingAgeMask: (birthYear: ReturnType<typeof sql>, classOf: ReturnType<typeof sql>) =>
      sql`(${sql.join(
        years.map(
          (_, index) =>
            sql`CASE WHEN ${ageIn(index, birthYear, classOf)} BETWEEN 18 AND 65 THEN 1::int8 << ${sql.lit(index)} ELSE 0 END`,
        ),
        sql` | `,
      )})`,
    /**
     * The person's age group in every year, one digit per year (an index of `ageGroups`): persons with
     * the same digits are counted together, and the digit of each year read at the grouped level.
     */
    ageCode: (birthYear: ReturnType<typeof sql>, classOf: ReturnType<typeof sql>) =>
      sql`concat(${sql.join(
        years.map((_, index) => {
          const age = ageIn(index, birthYear, classOf);
          return sql`CASE WHEN ${birthYear} IS NULL THEN 0 WHEN ${age} < 16 THEN 1 WHEN ${age} < 30 THEN 2
            WHEN ${age} < 40 THEN 3 WHEN ${age} < 50 THEN 4 WHEN ${age} < 60 THEN 5 ELSE 6 END`;
        }),
      )})`,
  };
}

/**
 * The counts of every dimension, grouped by statistics year, region (codes cut to `digits` significant
 * digits) and household group: the one definition of every number, for the cube and for live views.
 *
 * Persons and households are each read once, whatever the number of years. What does not depend on the
 * year (health, education, labour, work location, dibao-tekun; population, elimination interval) is
 * grouped once and repeated per year at the grouped level. What does is grouped by compact facts and
 * turned into values per year there: persons by their age group in every year (`ageCode`), households
 * by identification and elimination month (monthly counts, time since identification) and by the
 * year masks of their working-age, able and weak members (household labour); only the income rows of
 * eliminated households are joined per year.
 */
function countsQuery(options: {
  years: number[];
  referenceDates: string[];
  digits: number;
  /** A condition on households `h` (scope and range for live views). */
  where: Expression<SqlBool>;
}) {
  const years = statisticsYears(options.years, options.referenceDates);
  const bit = (mask: string) => sql`(${sql.ref(mask)} >> y.year_index) & 1 = 1`;
  // The columns of every counts row, and of the groups they come from (`g`, repeated per year `y`).
  const columns = sql`statistics_year, region_code, lifted_status, monitored_status, monitoring_category,
    dimension, period, value, households, persons`;
  const key = sql`y.statistics_year, g.region_code, g.lifted_status, g.monitored_status`;
  return sql`
      WITH years AS (${years.table}),
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
        -- Narrow rows, the report value of each person dimension computed once (the OFFSET 0 subqueries
        -- keep each step from being inlined, and so recomputed, wherever the next one names it; the
        -- planner may also memoize the last two, which depend on the birth year and class only).
        SELECT a.id AS household_id, a.region_code, a.lifted_status, a.monitored_status, p.labor_skill,
          w.mask AS working_mask, w.age_code,
          coalesce(p.health, 'blank') AS health_value,
          coalesce(p.education, CASE WHEN p.schooling IS NOT NULL AND p.schooling <> 'preschool_child'
            THEN 'in_school' END, 'blank') AS education_value,
          coalesce(p.labor_skill, 'blank') AS labour_value,
          p.work_location AS work_value,
          CASE p.dibao WHEN 'rural' THEN 'dibao_rural' WHEN 'urban' THEN 'dibao_urban' END AS dibao_value,
          CASE p.tekun WHEN 'rural' THEN 'tekun_rural' WHEN 'urban' THEN 'tekun_urban' END AS tekun_value
        FROM assisted a
        JOIN persons p ON p.household_id = a.id AND p.status = 'active'
        CROSS JOIN LATERAL (SELECT ${idBirthNumber} AS number OFFSET 0) i
        -- Birth date from ID digits 7–14 when they form a real date, else the birth_date column.
        CROSS JOIN LATERAL (SELECT
            CASE WHEN ${validDateNumberSql(sql`i.number`)} THEN i.number / 10000
              ELSE date_part('year', p.birth_date)::int END AS year,
            CASE WHEN ${validDateNumberSql(sql`i.number`)} THEN i.number % 10000
              ELSE (date_part('month', p.birth_date) * 100 + date_part('day', p.birth_date))::int END AS month_day
          OFFSET 0) b
        CROSS JOIN LATERAL (SELECT ${years.birthClass(sql`b.month_day`)} AS birth_class OFFSET 0) c
        CROSS JOIN LATERAL (SELECT ${years.workingAgeMask(sql`b.year`, sql`c.birth_class`)} AS mask,
          ${years.ageCode(sql`b.year`, sql`c.birth_class`)} AS age_code OFFSET 0) w
      ),
      -- One hashed pass over the members: a set per person dimension (ages by their code), one per household.
      person_groups AS (
        SELECT region_code, lifted_status, monitored_status,
          CASE WHEN GROUPING(household_id) = 0 THEN 'household'
            WHEN GROUPING(age_code) = 0 THEN 'age'
            WHEN GROUPING(health_value) = 0 THEN 'health'
            WHEN GROUPING(education_value) = 0 THEN 'education'
            WHEN GROUPING(labour_value) = 0 THEN 'labour'
            WHEN GROUPING(work_value) = 0 THEN 'work-location'
            ELSE 'dibao-tekun' END AS dimension,
          coalesce(age_code, health_value, education_value, labour_value, work_value, dibao_value, tekun_value) AS value,
          household_id, count(*) AS persons,
          bit_or(working_mask) AS working_mask,
          bit_or(working_mask) FILTER (WHERE labor_skill IN ('skilled', 'ordinary')) AS able_mask,
          bit_or(working_mask) FILTER (WHERE labor_skill = 'weak') AS weak_mask
        FROM members
        GROUP BY GROUPING SETS ((household_id),
          (region_code, lifted_status, monitored_status, age_code),
          (region_code, lifted_status, monitored_status, health_value),
          (region_code, lifted_status, monitored_status, education_value),
          (region_code, lifted_status, monitored_status, labour_value),
          (region_code, lifted_status, monitored_status, work_value),
          (region_code, lifted_status, monitored_status, dibao_value),
          (region_code, lifted_status, monitored_status, tekun_value))
      ),
      assisted_members AS (
        SELECT a.*, coalesce(m.persons, 0) AS persons, m.working_mask, m.able_mask, m.weak_mask,
          CASE WHEN a.monitored_status = 'eliminated'
            THEN ${bucket(sql`a.eliminated_month - a.identified_month`)} END AS interval_value,
          CASE WHEN a.monitored_status = 'eliminated'
            THEN coalesce((a.eliminated_month - 1) / 12 || '', '') END AS interval_period
        FROM assisted a
        LEFT JOIN person_groups m ON m.household_id = a.id AND m.dimension = 'household'
      ),
      household_groups AS (
        SELECT region_code, lifted_status, monitored_status,
          CASE WHEN GROUPING(monitoring_category) = 0 THEN 'population'
            WHEN GROUPING(identified_at) = 0 THEN 'identified'
            WHEN GROUPING(eliminated_at) = 0 THEN 'eliminated'
            WHEN GROUPING(interval_value) = 0 THEN 'interval'
            ELSE 'labour' END AS grouping_set,
          monitoring_category, identified_at, identified_month, eliminated_at, eliminated_month,
          interval_value, interval_period, working_mask, able_mask, weak_mask,
          count(*) AS households, sum(persons) AS persons
        FROM assisted_members
        GROUP BY GROUPING SETS (
          (region_code, lifted_status, monitored_status, monitoring_category),
          (region_code, lifted_status, monitored_status, identified_at, identified_month),
          (region_code, lifted_status, monitored_status, eliminated_at, eliminated_month),
          (region_code, lifted_status, monitored_status, interval_value, interval_period),
          (region_code, lifted_status, monitored_status, working_mask, able_mask, weak_mask))
      )
      -- Each branch gives rows of its own dimensions; the groups of a branch without GROUP BY are already
      -- one per row, and the others merge the groups that give the same value in a year.
      SELECT ${columns} FROM (
        SELECT ${key}, '' AS monitoring_category, g.dimension, '' AS period, g.value, 0::int8 AS households, g.persons
        FROM person_groups g CROSS JOIN years y
        WHERE g.dimension NOT IN ('household', 'age') AND g.value IS NOT NULL
      ) AS persons_by_value
      UNION ALL
      SELECT ${columns} FROM (
        SELECT ${key}, '' AS monitoring_category, 'age' AS dimension, '' AS period,
          (${sql.val(ageGroups)}::text[])[substr(g.value, y.year_index + 1, 1)::int + 1] AS value,
          0::int8 AS households, sum(g.persons) AS persons
        FROM person_groups g CROSS JOIN years y
        WHERE g.dimension = 'age'
        GROUP BY ${key}, 8
      ) AS persons_by_age
      UNION ALL
      -- Only population is broken down by category: elsewhere it would multiply rows for no column.
      SELECT ${key}, g.monitoring_category, 'population', '', 'all', g.households, g.persons
      FROM household_groups g CROSS JOIN years y
      WHERE g.grouping_set = 'population'
      UNION ALL
      SELECT ${key}, '', 'monthly-new', '', g.identified_at, g.households, g.persons
      FROM household_groups g CROSS JOIN years y
      WHERE g.grouping_set = 'identified' AND g.monitored_status <> 'none'
        AND g.identified_month BETWEEN ${firstMonth} AND y.reference_month
      UNION ALL
      SELECT ${key}, '', 'monthly-eliminated', '', g.eliminated_at, g.households, g.persons
      FROM household_groups g CROSS JOIN years y
      WHERE g.grouping_set = 'eliminated' AND g.monitored_status = 'eliminated'
        AND g.eliminated_month BETWEEN ${firstMonth} AND y.reference_month
      UNION ALL
      SELECT ${key}, '', 'elimination-interval', g.interval_period, g.interval_value, g.households, g.persons
      FROM household_groups g CROSS JOIN years y
      WHERE g.grouping_set = 'interval' AND g.interval_value IS NOT NULL
      UNION ALL
      SELECT ${columns} FROM (
        SELECT ${key}, '' AS monitoring_category, 'time-since-identification' AS dimension, '' AS period,
          ${bucket(sql`y.reference_month - g.identified_month`)} AS value,
          sum(g.households) AS households, sum(g.persons) AS persons
        FROM household_groups g CROSS JOIN years y
        WHERE g.grouping_set = 'identified' AND g.monitored_status = 'not_eliminated'
        GROUP BY ${key}, 8
      ) AS households_by_months
      UNION ALL
      SELECT ${columns} FROM (
        SELECT ${key}, '' AS monitoring_category, 'household-labour' AS dimension, '' AS period,
          CASE WHEN ${bit('g.able_mask')} THEN 'able' WHEN ${bit('g.weak_mask')} THEN 'weak_only'
            ELSE 'none_able' END AS value,
          sum(g.households) AS households, sum(g.persons) AS persons
        FROM household_groups g CROSS JOIN years y
        WHERE g.grouping_set = 'labour' AND ${bit('g.working_mask')}
        GROUP BY ${key}, 8
      ) AS households_by_labour
      UNION ALL
      SELECT ${columns} FROM (
        SELECT y.statistics_year, a.region_code, a.lifted_status, a.monitored_status, '' AS monitoring_category,
          'income-change' AS dimension, '' AS period,
          CASE WHEN current_income.post_net_income_per_person IS NULL
              OR identified_income.net_income_per_person IS NULL THEN 'not_comparable'
            WHEN current_income.post_net_income_per_person > identified_income.net_income_per_person THEN 'higher'
            WHEN current_income.post_net_income_per_person < identified_income.net_income_per_person THEN 'lower'
            ELSE 'equal' END AS value,
          count(*) AS households, sum(a.persons) AS persons
        FROM assisted_members a
        CROSS JOIN years y
        LEFT JOIN household_incomes current_income
          ON current_income.household_id = a.id AND current_income.year = y.statistics_year
        LEFT JOIN household_incomes identified_income
          ON identified_income.household_id = a.id AND identified_income.year = (a.identified_month - 1) / 12
        WHERE a.monitored_status = 'eliminated'
        GROUP BY 1, 2, 3, 4, 8
      ) AS households_by_income`;
}

/** Connections that count parts of the cube at once: one per core, at most 4. */
const buildConnections = Math.min(4, Math.max(1, os.availableParallelism()));

/** The levels above townships, each rolled up from the one below. */
const levelsAbove = [
  ['county', 6, 'township'],
  ['city', 4, 'county'],
  ['province', 2, 'city'],
] as const;

/**
 * The grouping passes hash up to a few million rows: let them do it in memory. The planner cannot
 * estimate the groups of computed region codes and picks sorts that spill gigabytes at province scale
 * (measured: 182 s with sorts, 138 s hashed, on a loaded machine); hashing is the right plan.
 */
async function useHashing(trx: Transaction<Database>) {
  await sql`SET LOCAL work_mem = '256MB'`.execute(trx);
  await sql`SET LOCAL enable_sort = off`.execute(trx);
}

export class AnalyticsRepository {
  constructor(private readonly db: DB) {}

  /**
   * Rebuilds the whole cube for the given years and swaps it in; answers the number of cube rows.
   *
   * The township rows are counted by several connections at once (one per core, at most 4), each over
   * a share of the townships, all pinned to one exported snapshot, into `analytics_cube_building`,
   * which is created and committed first so that they can write to it. A session advisory lock keeps
   * refreshes one at a time for the whole build; readers keep the old cube until the short swap
   * transaction at the end. A build that dies midway leaves the old cube and a building table that the
   * next refresh drops.
   */
  async rebuild(options: { years: number[]; referenceDates: string[] }): Promise<number> {
    return this.db.connection().execute(async (session) => {
      await sql`SELECT pg_advisory_lock(${refreshLockKey})`.execute(session);
      try {
        await sql`DROP TABLE IF EXISTS analytics_cube_building`.execute(session);
        await sql`CREATE TABLE analytics_cube_building (LIKE analytics_cube INCLUDING DEFAULTS)`.execute(
          session,
        );
        let rows = 0n;
        await session
          .transaction()
          .setIsolationLevel('repeatable read')
          .setAccessMode('read only')
          .execute(async (trx) => {
            const snapshot = await exportSnapshot(trx);
            const parts = await this.townshipParts(trx, buildConnections);
            await forEachConcurrently(parts, buildConnections, async (part) => {
              const inserted = await writeInSnapshot(this.db, snapshot, async (writer) => {
                await useHashing(writer);
                return sql`
                  INSERT INTO analytics_cube_building (statistics_year, region_level, region_code, lifted_status,
                    monitored_status, monitoring_category, dimension, period, value, households, persons)
                  SELECT statistics_year, 'township', region_code, lifted_status, monitored_status,
                    monitoring_category, dimension, period, value, households, persons
                  FROM (${countsQuery({ ...options, digits: 9, where: part })}) AS counts`.execute(writer);
              });
              rows += inserted.numAffectedRows ?? 0n;
            });
          });
        // Each level from the one below: counties from townships, cities from counties, the province from cities.
        await session.transaction().execute(async (trx) => {
          await useHashing(trx);
          for (const [level, digits, below] of levelsAbove) {
            const inserted = await sql`
              INSERT INTO analytics_cube_building
              SELECT c.statistics_year, ${sql.lit(level)}, rpad(left(c.region_code, ${sql.lit(digits)}), 12, '0'), c.lifted_status,
                c.monitored_status, c.monitoring_category, c.dimension, c.period, c.value,
                sum(c.households), sum(c.persons)
              FROM analytics_cube_building c
              WHERE c.region_level = ${below}
              GROUP BY c.statistics_year, rpad(left(c.region_code, ${sql.lit(digits)}), 12, '0'), c.lifted_status,
                c.monitored_status, c.monitoring_category, c.dimension, c.period, c.value`.execute(trx);
            rows += inserted.numAffectedRows ?? 0n;
          }
        });
        await session.transaction().execute(async (trx) => {
          await sql`SET LOCAL maintenance_work_mem = '256MB'`.execute(trx);
          await sql`CREATE INDEX analytics_cube_building_read_idx
            ON analytics_cube_building (statistics_year, dimension, region_level, region_code)`.execute(trx);
        });
        await sql`ANALYZE analytics_cube_building`.execute(session);
        await session.transaction().execute(async (trx) => {
          await sql`DROP TABLE analytics_cube`.execute(trx);
          await sql`ALTER TABLE analytics_cube_building RENAME TO analytics_cube`.execute(trx);
          await sql`ALTER INDEX analytics_cube_building_read_idx RENAME TO analytics_cube_read_idx`.execute(
            trx,
          );
        });
        return Number(rows);
      } finally {
        await sql`SELECT pg_advisory_unlock(${refreshLockKey})`.execute(session);
      }
    });
  }

  /**
   * Conditions on households `h` that split the assisted households into about `count` equal shares of
   * whole townships (township rows must come from one statement), together covering every household.
   */
  private async townshipParts(
    trx: Transaction<Database>,
    count: number,
  ): Promise<Array<Expression<SqlBool>>> {
    if (count <= 1) return [sql<SqlBool>`true`];
    const result = await sql<{ township: string; households: string }>`
      SELECT left(h.region_code, 9) AS township, count(*) AS households
      FROM households h
      WHERE h.status = 'active' AND (h.household_type = 'lifted' OR h.monitoring_category IS NOT NULL)
      GROUP BY 1
      ORDER BY 1`.execute(trx);
    const total = result.rows.reduce((sum, row) => sum + Number(row.households), 0);
    // The first township of every share but the first: each share runs from its start to the next's.
    const starts: string[] = [];
    let counted = 0;
    for (const row of result.rows) {
      if (counted >= (total * (starts.length + 1)) / count) starts.push(row.township.padEnd(12, '0'));
      counted += Number(row.households);
    }
    const bounds = [undefined, ...starts, undefined];
    return bounds.slice(1).map((hi, index) => {
      const lo = bounds[index];
      return sql<SqlBool>`(${lo === undefined ? sql`true` : sql`h.region_code >= ${lo}`}
        AND ${hi === undefined ? sql`true` : sql`h.region_code < ${hi}`})`;
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
      await useHashing(trx);
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
