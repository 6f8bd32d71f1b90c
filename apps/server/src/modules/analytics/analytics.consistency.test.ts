import { beijingToday } from '@shouwang/domain';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { regions } from '../../../test/fixtures.ts';
import { insertHousehold } from '../../../test/registry-factory.ts';
import { DemoService } from '../demo/demo.service.ts';
import { reportNames } from './analytics.reports.ts';
import type { ReportQuery, ReportView } from './analytics.service.ts';

/**
 * Every standard report, computed a second time straight from the registry tables with plain SQL
 * written from the definitions (docs/analytics.md), not from the cube: the service (which the screen,
 * the API, the CLI and the Excel export all read) must give the same number in every cell, at the
 * county level (townships as rows, from the cube) and the township level (villages as rows, computed live),
 * at the rolled-up province and city levels, with and without filters.
 */
let harness: TestApp;

beforeAll(async () => {
  harness = await createTestApp();
  const demo = new DemoService({ db: harness.app.db, province: '41', exchange: harness.app.exchange });
  // The import's hook rebuilds the cube.
  const { summary } = await demo.seed({
    scale: 'county',
    seed: 7,
    defects: 'importable',
    households: 3000,
    principal: harness.system,
  });
  expect(summary.status).toBe('succeeded');
  // A real date-validity check, independent of the cube's arithmetic; years below 100 are not dates,
  // as in the quality rules (parseYyyymmdd).
  await sql`
    CREATE FUNCTION test_real_date(text) RETURNS date LANGUAGE plpgsql IMMUTABLE AS $$
    DECLARE parsed date;
    BEGIN
      IF $1 !~ '^[0-9]{8}$' OR substr($1, 1, 4)::int < 100 THEN RETURN NULL; END IF;
      parsed := to_date($1, 'YYYYMMDD');
      IF to_char(parsed, 'YYYYMMDD') <> $1 THEN RETURN NULL; END IF;
      RETURN parsed;
    EXCEPTION WHEN others THEN RETURN NULL;
    END $$`.execute(harness.app.db);
  await sql`
    CREATE FUNCTION test_month_number(text) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$
    BEGIN
      IF $1 IS NULL OR $1 !~ '^[0-9]{6}$' OR substr($1, 5, 2)::int NOT BETWEEN 1 AND 12 THEN RETURN NULL; END IF;
      RETURN substr($1, 1, 4)::int * 12 + substr($1, 5, 2)::int;
    END $$`.execute(harness.app.db);
}, 180_000);
afterAll(async () => {
  await harness?.close();
});

interface Filters {
  year?: number;
  householdType?: 'lifted' | 'lifted_enjoying' | 'lifted_not_enjoying' | 'ordinary';
  monitored?: 'monitored' | 'eliminated' | 'not_eliminated' | 'not_monitored';
  eliminationYear?: number;
}

/** SQL predicate on households `h` for the 户类型 and monitored filters. */
function filterPredicate(filters: Filters) {
  const householdType = {
    lifted: sql`h.household_type = 'lifted'`,
    lifted_enjoying: sql`h.household_type = 'lifted' AND h.policy_enjoyed = true`,
    lifted_not_enjoying: sql`h.household_type = 'lifted' AND h.policy_enjoyed = false`,
    ordinary: sql`h.household_type IS DISTINCT FROM 'lifted'`,
  }[filters.householdType ?? 'lifted'];
  const monitored = {
    monitored: sql`h.monitoring_category IS NOT NULL`,
    eliminated: sql`h.monitoring_category IS NOT NULL AND h.risk_eliminated = true`,
    not_eliminated: sql`h.monitoring_category IS NOT NULL AND h.risk_eliminated IS NOT TRUE`,
    not_monitored: sql`h.monitoring_category IS NULL`,
  }[filters.monitored ?? 'monitored'];
  return sql`(${filters.householdType ? householdType : sql`true`}) AND (${filters.monitored ? monitored : sql`true`})`;
}

/**
 * Expected cells: region code (of the children's level, or the region itself) → column key → count.
 * `digits`: significant digits of the rows' level.
 */
async function expectedCells(
  report: string,
  options: { regionCode: string; digits: number; referenceDate: string; year: number } & Filters,
): Promise<Map<string, Map<string, number>>> {
  const lo = options.regionCode;
  const prefix = lo.replace(/0+$/, '');
  const range = sql`h.region_code LIKE ${`${prefix}%`}`;
  const child = sql`rpad(left(h.region_code, ${options.digits}), 12, '0')`;
  const reference = sql`${options.referenceDate}::date`;
  const referenceMonth = sql`(extract(year FROM ${reference})::int * 12 + extract(month FROM ${reference})::int)`;
  const assisted = sql`h.status = 'active' AND (h.household_type = 'lifted' OR h.monitoring_category IS NOT NULL)
    AND ${range} AND ${filterPredicate(options)}`;
  const groups = sql`(VALUES
      ('lifted', h.household_type = 'lifted'),
      ('lifted_enjoying', h.household_type = 'lifted' AND h.policy_enjoyed = true),
      ('lifted_not_enjoying', h.household_type = 'lifted' AND h.policy_enjoyed = false),
      ('lifted_unrecorded', h.household_type = 'lifted' AND h.policy_enjoyed IS NULL),
      ('monitored', h.monitoring_category IS NOT NULL),
      ('monitored_eliminated', h.monitoring_category IS NOT NULL AND h.risk_eliminated = true),
      ('monitored_not_eliminated', h.monitoring_category IS NOT NULL AND h.risk_eliminated IS NOT TRUE),
      ('all', true)) AS g (key, member)`;
  const birth = sql`coalesce(CASE WHEN length(trim(p.id_number)) IN (18, 20, 22)
    THEN test_real_date(substr(trim(p.id_number), 7, 8)) END, p.birth_date)`;
  const age = sql`date_part('year', age(${reference}, ${birth}))::int`;

  let query: ReturnType<typeof sql<{ region: string; key: string; count: string }>>;
  const personValue: Record<string, ReturnType<typeof sql>> = {
    age: sql`ARRAY[CASE WHEN ${birth} IS NULL THEN 'unknown' WHEN ${age} < 16 THEN 'under_16'
      WHEN ${age} <= 29 THEN '16_29' WHEN ${age} <= 39 THEN '30_39' WHEN ${age} <= 49 THEN '40_49'
      WHEN ${age} <= 59 THEN '50_59' ELSE '60_over' END]`,
    health: sql`ARRAY[coalesce(p.health, 'blank')]`,
    education: sql`ARRAY[CASE WHEN p.education IS NOT NULL THEN p.education
      WHEN p.schooling IS NOT NULL AND p.schooling <> 'preschool_child' THEN 'in_school' ELSE 'blank' END]`,
    labour: sql`ARRAY[coalesce(p.labor_skill, 'blank')]`,
    'work-location': sql`ARRAY[p.work_location]`,
    'dibao-tekun': sql`array_remove(ARRAY[
      CASE WHEN p.dibao = 'rural' THEN 'dibao_rural' WHEN p.dibao = 'urban' THEN 'dibao_urban' END,
      CASE WHEN p.tekun = 'rural' THEN 'tekun_rural' WHEN p.tekun = 'urban' THEN 'tekun_urban' END], NULL)`,
  };
  const members = sql`(SELECT count(*) FROM persons m WHERE m.household_id = h.id AND m.status = 'active')`;
  if (report in personValue) {
    query = sql`
      SELECT ${child} AS region, v.value || '.' || g.key AS key, count(*) AS count
      FROM persons p JOIN households h ON h.id = p.household_id
      CROSS JOIN LATERAL unnest(${personValue[report]}) AS v (value)
      CROSS JOIN LATERAL ${groups}
      WHERE p.status = 'active' AND ${assisted} AND g.member AND v.value IS NOT NULL
      GROUP BY 1, 2`;
  } else if (report === 'population') {
    query = sql`
      SELECT ${child} AS region, k.key || '.' || measure.name AS key,
        sum(CASE WHEN measure.name = 'households' THEN 1 ELSE ${members} END) AS count
      FROM households h
      CROSS JOIN LATERAL (
        SELECT g.key FROM ${groups} WHERE g.member
        UNION ALL SELECT 'category_' || h.monitoring_category WHERE h.monitoring_category IS NOT NULL
      ) AS k
      CROSS JOIN (VALUES ('households'), ('persons')) AS measure (name)
      WHERE ${assisted}
      GROUP BY 1, 2`;
  } else if (report === 'monthly-new') {
    query = sql`
      SELECT ${child} AS region, k.month || '.' || measure.name AS key,
        sum(CASE WHEN measure.name = 'households' THEN 1 ELSE ${members} END) AS count
      FROM households h
      CROSS JOIN LATERAL (VALUES (h.identified_at), ('all')) AS k (month)
      CROSS JOIN (VALUES ('households'), ('persons')) AS measure (name)
      WHERE ${assisted} AND h.monitoring_category IS NOT NULL
        AND test_month_number(h.identified_at) >= 2021 * 12 + 1
        AND test_month_number(h.identified_at) <= ${referenceMonth}
      GROUP BY 1, 2`;
  } else if (report === 'household-labour') {
    query = sql`
      WITH labour AS (
        SELECT h.*, (
          SELECT CASE WHEN count(*) = 0 THEN NULL
            WHEN bool_or(p.labor_skill IN ('skilled', 'ordinary')) THEN 'able'
            WHEN bool_or(p.labor_skill = 'weak') THEN 'weak_only' ELSE 'none_able' END
          FROM persons p WHERE p.household_id = h.id AND p.status = 'active' AND ${age} BETWEEN 18 AND 65
        ) AS situation
        FROM households h WHERE ${assisted}
      )
      SELECT ${child} AS region, g.key || '.' || s.value AS key, count(*) AS count
      FROM labour h
      CROSS JOIN LATERAL ${groups}
      CROSS JOIN LATERAL (VALUES (h.situation), ('all')) AS s (value)
      WHERE h.situation IS NOT NULL AND g.member
        AND g.key IN ('lifted_enjoying', 'monitored_not_eliminated', 'all')
      GROUP BY 1, 2`;
  } else {
    const months = {
      'elimination-interval': sql`(test_month_number(h.eliminated_at) - test_month_number(h.identified_at))`,
      'time-since-identification': sql`(${referenceMonth} - test_month_number(h.identified_at))`,
    };
    const value =
      report === 'income-change'
        ? sql`(SELECT CASE WHEN now_income.post_net_income_per_person IS NULL
              OR then_income.net_income_per_person IS NULL THEN 'not_comparable'
            WHEN now_income.post_net_income_per_person > then_income.net_income_per_person THEN 'higher'
            WHEN now_income.post_net_income_per_person < then_income.net_income_per_person THEN 'lower'
            ELSE 'equal' END
          FROM (SELECT 1) AS one
          LEFT JOIN household_incomes now_income ON now_income.household_id = h.id AND now_income.year = ${options.year}
          LEFT JOIN household_incomes then_income ON then_income.household_id = h.id
            AND then_income.year = substr(h.identified_at, 1, 4)::int AND test_month_number(h.identified_at) IS NOT NULL)`
        : sql`CASE WHEN ${months[report as keyof typeof months]} IS NULL OR ${months[report as keyof typeof months]} < 0
            THEN 'unknown' WHEN ${months[report as keyof typeof months]} > 12 THEN 'over_12'
            ELSE ${months[report as keyof typeof months]}::text END`;
    const eliminated = report !== 'time-since-identification';
    query = sql`
      SELECT ${child} AS region, k.value || '.households' AS key, count(*) AS count
      FROM households h
      CROSS JOIN LATERAL (VALUES (${value}), ('all')) AS k (value)
      WHERE ${assisted} AND h.monitoring_category IS NOT NULL
        AND ${eliminated ? sql`h.risk_eliminated = true` : sql`h.risk_eliminated IS NOT TRUE`}
        AND ${
          options.eliminationYear
            ? sql`substr(h.eliminated_at, 1, 4) = ${String(options.eliminationYear)}
                AND test_month_number(h.eliminated_at) IS NOT NULL`
            : sql`true`
        }
      GROUP BY 1, 2`;
  }
  const result = await query.execute(harness.app.db);
  const cells = new Map<string, Map<string, number>>();
  for (const row of result.rows) {
    const region = cells.get(row.region) ?? new Map<string, number>();
    region.set(row.key, Number(row.count));
    cells.set(row.region, region);
  }
  return cells;
}

const significantDigits: Record<string, number> = {
  province: 2,
  city: 4,
  county: 6,
  township: 9,
  village: 12,
};

async function compare(report: string, regionCode: string, filters: Filters = {}) {
  const query: ReportQuery = { report, regionCode, ...filters };
  const view: ReportView = await harness.app.analytics.getReport(harness.system, query);
  const childDigits = significantDigits[view.rows[0]?.level ?? 'village'] as number;
  const common = { regionCode, referenceDate: view.referenceDate, year: view.filters.year, ...filters };
  const expectedRows = await expectedCells(report, { ...common, digits: childDigits });
  const expectedTotals = await expectedCells(report, {
    ...common,
    digits: significantDigits[view.region.level] as number,
  });
  const mismatches: string[] = [];
  let nonZero = 0;
  const check = (regionCode: string, values: number[], expected: Map<string, number> | undefined) => {
    view.columns.forEach((column, index) => {
      const want = expected?.get(column.key) ?? 0;
      const got = values[index];
      if (got !== want) mismatches.push(`${regionCode} ${column.key}: service ${got}, SQL ${want}`);
      if (want > 0) nonZero += 1;
    });
  };
  for (const row of view.rows) check(row.regionCode, row.values, expectedRows.get(row.regionCode));
  check(view.totals.regionCode, view.totals.values, expectedTotals.get(view.totals.regionCode));
  // Every region the plain SQL found is a row of the view.
  const shown = new Set(view.rows.map((row) => row.regionCode));
  for (const code of expectedRows.keys()) if (!shown.has(code)) mismatches.push(`${code} missing from rows`);
  expect(mismatches.slice(0, 20)).toEqual([]);
  return { view, nonZero };
}

describe('standard reports agree with plain SQL on the demo data', () => {
  for (const report of reportNames) {
    it(`${report}: county (townships as rows) and township (villages as rows)`, async () => {
      const county = await compare(report, regions.lankao);
      expect(county.view.rows.length).toBeGreaterThan(5);
      expect(county.nonZero).toBeGreaterThan(0);
      const township = await compare(report, regions.guyang);
      expect(township.view.rows.every((row) => row.level === 'village')).toBe(true);
      expect(township.nonZero).toBeGreaterThan(0);
    });
  }

  it('agrees under the 户类型 and monitored filters and the elimination year', async () => {
    for (const report of reportNames) {
      await compare(report, regions.lankao, { householdType: 'lifted_enjoying' });
      await compare(report, regions.lankao, { monitored: 'not_eliminated' });
      await compare(report, regions.guyang, { householdType: 'ordinary', monitored: 'eliminated' });
    }
    // The rolled-up levels: the province (cities as rows) and the city (counties as rows).
    await compare('population', regions.province);
    await compare('age', regions.kaifeng, { monitored: 'monitored' });
    const { view } = await compare('elimination-interval', regions.lankao, { eliminationYear: 2024 });
    expect(view.eliminationYears).toContain(2024);
  });
});

describe('ages, months and household labour at their edges, in every statistics year', () => {
  it('agrees with plain SQL on 29 February birthdays, birthdays on the reference date and past years', async () => {
    const db = harness.app.db;
    const year = Number(beijingToday().slice(0, 4));
    const leapUpTo = (target: number) => {
      let candidate = target;
      while (!((candidate % 4 === 0 && candidate % 100 !== 0) || candidate % 400 === 0)) candidate -= 1;
      return candidate;
    };
    const id = (date: string) => `410225${date}0011`;
    const person = (
      idNumber: string | null,
      birthDate: string | null,
      laborSkill: string | null = 'ordinary',
    ) => ({
      idNumber,
      birthDate,
      laborSkill,
    });
    // The reference date of the current year becomes 28 February; past years keep 31 December.
    await harness.app.settings.setFromText('statisticsDate', `${year}-02-28`, 'test');
    await insertHousehold(db, {
      regionCode: regions.chengnei,
      householdType: 'lifted',
      policyEnjoyed: true,
      monitoringCategory: 'marginal',
      identifiedAt: `${year}02`,
      riskEliminated: false,
      risks: ['illness'],
      members: [
        // 18 on the reference date: of working age; 29 February of the same age: 17 until 1 March.
        person(id(`${year - 18}0228`), null, 'weak'),
        person(id(`${leapUpTo(year - 18)}0229`), null, 'skilled'),
        person(id(`${year - 16}0228`), null),
        person(id(`${year - 16}0301`), null),
        person(id(`${leapUpTo(year - 30)}0229`), null),
      ],
    });
    await insertHousehold(db, {
      regionCode: regions.chengnei,
      householdType: 'ordinary',
      monitoringCategory: 'sudden_hardship',
      identifiedAt: `${year - 1}05`,
      riskEliminated: true,
      eliminatedAt: `${year}03`,
      eliminationMethod: 'assisted',
      risks: ['illness'],
      incomes: [
        { year: year - 3, netIncomePerPerson: '7000', postNetIncomePerPerson: '7000' },
        { year: year - 1, netIncomePerPerson: '8000', postNetIncomePerPerson: '8000' },
        { year, netIncomePerPerson: '8500', postNetIncomePerPerson: '9000' },
      ],
      members: [
        // From birth_date: 65 on the reference date (still of working age), 66, and 31 December birthdays.
        person(null, `${year - 65}-02-28`, 'skilled'),
        person(null, `${year - 66}-02-28`, 'skilled'),
        person(null, `${year - 19}-12-31`, 'weak'),
        person(null, `${year - 4}-12-31`),
        person(null, `${year}-12-31`),
      ],
    });
    await insertHousehold(db, {
      regionCode: regions.chengnei,
      householdType: 'lifted',
      policyEnjoyed: false,
      monitoringCategory: 'unstable_lifted',
      identifiedAt: `${year}03`,
      riskEliminated: false,
      risks: ['illness'],
      members: [
        // Not a real date in the ID (30 February, zeros, a letter): birth_date instead.
        person(id(`${year - 40}0230`), `${year - 50}-06-15`),
        person(id('00000000'), '1990-01-01'),
        person('41022520X001010011', null),
        // Blanks around the ID, a 20-character ID, a 17-character one (its date is not used).
        person(`  ${id(`${year - 60}0228`)}  `, null),
        person(`${id(`${year - 59}0301`)}00`, null),
        person(id(`${year - 30}0101`).slice(0, 17), `${year - 45}-03-01`),
        // Real dates far from today are used as the rules use them; a year below 100 is not a date.
        person(id('17500101'), '1985-05-05'),
        person(id('21500101'), '1990-01-01'),
        person(id('00500101'), '1970-07-07'),
      ],
    });
    await insertHousehold(db, { regionCode: regions.chengnei, householdType: 'lifted', members: [] });
    await harness.app.analytics.refresh('test');

    const first = await harness.app.analytics.getReport(harness.system, {
      report: 'age',
      regionCode: regions.guyang,
    });
    expect(first.referenceDate).toBe(`${year}-02-28`);
    expect(first.years).toEqual(expect.arrayContaining([year - 3, year - 1, year]));
    for (const statisticsYear of first.years) {
      for (const report of reportNames) {
        await compare(report, regions.lankao, { year: statisticsYear });
        await compare(report, regions.guyang, { year: statisticsYear });
      }
    }
  });
});
