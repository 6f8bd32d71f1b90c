import { beijingToday } from '@shouwang/domain';
import { sql } from 'kysely';
import { systemPrincipal } from '../src/modules/access/system-principal.ts';
import { reportNames } from '../src/modules/analytics/analytics.reports.ts';
import { AnalyticsService } from '../src/modules/analytics/analytics.service.ts';
import { AuditService } from '../src/modules/audit/audit.service.ts';
import { loadProvinceRegions } from '../src/modules/regions/regions.loader.ts';
import { RegionsService } from '../src/modules/regions/regions.service.ts';
import { SettingsService } from '../src/modules/settings/settings.service.ts';
import type { BenchContext } from './run.ts';

const scales: Record<string, number> = { county: 20_000, province: 2_000_000 };

/**
 * Households and members spread over every village of Henan, written with set-based SQL (the import
 * path is measured by the import benchmark): 35 % lifted (72 % of them enjoying policy), 6.5 %
 * monitored, about half of those eliminated, 1–5 members with ages, health, labour, work and welfare
 * drawn like the demo data, and an income row for the current year and the identification year.
 */
export async function generate(context: BenchContext, households: number, year: number, regionPrefix = '') {
  // One connection: the seed and the temporary table belong to it.
  return context.database.db.connection().execute(async (db) => {
    await sql`SELECT setseed(0.42)`.execute(db);
    await sql`
    CREATE TEMP TABLE bench_villages AS
      SELECT row_number() OVER (ORDER BY code) - 1 AS position, code FROM regions
      WHERE level = 'village' AND code LIKE ${`${regionPrefix}%`}`.execute(db);
    await sql`
    INSERT INTO households (region_code, household_no, household_type, policy_enjoyed, monitoring_category,
      identified_at, risk_eliminated)
    SELECT v.code, 'B' || lpad(r.g::text, 10, '0'),
      CASE WHEN r.lifted < 0.35 THEN 'lifted' ELSE 'ordinary' END,
      CASE WHEN r.lifted < 0.35 THEN r.lifted < 0.25 END,
      CASE WHEN r.monitored < 0.065 THEN (ARRAY['unstable_lifted', 'marginal', 'sudden_hardship'])[1 + floor(r.monitored / 0.065 * 3)::int] END,
      CASE WHEN r.monitored < 0.065 THEN to_char(date '2021-01-01' + (floor(r.month * 70) * interval '1 month'), 'YYYYMM') END,
      CASE WHEN r.monitored < 0.065 THEN r.eliminated < 0.5 END
    FROM (
      SELECT g, random() AS lifted, random() AS monitored, random() AS month, random() AS eliminated
      FROM generate_series(1, ${households}) AS g
    ) AS r
    JOIN bench_villages v ON v.position = r.g % (SELECT count(*) FROM bench_villages)`.execute(db);
    await sql`
    UPDATE households SET eliminated_at = to_char(to_date(identified_at, 'YYYYMM')
      + (floor(6 + random() * 14) * interval '1 month'), 'YYYYMM')
    WHERE risk_eliminated`.execute(db);
    await sql`
    INSERT INTO persons (household_id, region_code, person_no, relation, birth_date, health, labor_skill,
      work_location, education, dibao, tekun, status)
    SELECT h.id, h.region_code, h.household_no || m, CASE WHEN m = 1 THEN 'head' ELSE 'son' END,
      date '1940-01-01' + floor(random() * 30000)::int,
      (ARRAY['healthy', 'healthy', 'healthy', 'healthy', 'chronic_illness', 'serious_illness', 'disabled', NULL])[1 + floor(random() * 8)::int],
      (ARRAY['skilled', 'ordinary', 'ordinary', 'weak', 'lost', 'none', NULL])[1 + floor(random() * 7)::int],
      CASE WHEN random() < 0.4 THEN (ARRAY['within_township', 'within_county', 'within_province', 'outside_province', 'abroad'])[1 + floor(random() * 5)::int] END,
      (ARRAY['illiterate', 'primary', 'junior_secondary', 'senior_secondary', 'college', NULL])[1 + floor(random() * 6)::int],
      CASE WHEN random() < 0.05 THEN 'rural' ELSE 'none' END,
      CASE WHEN random() < 0.01 THEN 'rural' ELSE 'none' END,
      CASE WHEN random() < 0.02 THEN 'deceased' ELSE 'active' END
    FROM households h
    CROSS JOIN LATERAL generate_series(1, 1 + (h.id * 7919 % 5)::int) AS m`.execute(db);
    await sql`
    INSERT INTO household_incomes (household_id, year, region_code, net_income_per_person, post_net_income_per_person)
    SELECT id, ${year}, region_code, 6000 + random() * 20000, CASE WHEN risk_eliminated THEN 6000 + random() * 6000 END
    FROM households`.execute(db);
    await sql`
    INSERT INTO household_incomes (household_id, year, region_code, net_income_per_person)
    SELECT id, left(identified_at, 4)::int, region_code, 5000 + random() * 5000
    FROM households WHERE identified_at IS NOT NULL AND left(identified_at, 4)::int < ${year}`.execute(db);
    await sql`ANALYZE`.execute(db);
    const counts = await sql<{ households: string; persons: string }>`
    SELECT (SELECT count(*) FROM households) AS households, (SELECT count(*) FROM persons) AS persons`.execute(
      db,
    );
    return counts.rows[0] as { households: string; persons: string };
  });
}

export async function time<T>(work: () => Promise<T>): Promise<{ result: T; milliseconds: number }> {
  const started = performance.now();
  const result = await work();
  return { result, milliseconds: performance.now() - started };
}

export const analyticsBenchmark = {
  description:
    'standard reports: rebuild of the analytics cube and report latency at every level with and without ' +
    'filters (--scale county|province, --rows households)',
  async run(context: BenchContext) {
    const { database, options, report } = context;
    const households = Number(options.rows ?? scales[options.scale ?? 'county'] ?? 20_000);
    const year = Number(beijingToday().slice(0, 4));
    // --keep DIR keeps the generated data for the next run (options.reuse); --mode reads skips the
    // refreshes when a cube is there, --mode refresh skips the reads.
    const reused = options.reuse === 'yes';
    if (!reused) await loadProvinceRegions(database.pool, '41');
    const generated = await time(async () => {
      if (!reused) {
        await generate(context, households, year);
        await sql`CREATE TABLE bench_loaded ()`.execute(database.db);
      }
      const counts = await sql<{ households: string; persons: string }>`
        SELECT (SELECT count(*) FROM households) AS households, (SELECT count(*) FROM persons) AS persons`.execute(
        database.db,
      );
      return counts.rows[0] as { households: string; persons: string };
    });
    const mode = options.mode ?? 'both';
    const settings = new SettingsService(database.db);
    const analytics = new AnalyticsService(
      database.db,
      new RegionsService(database.db, database.pool),
      settings,
      new AuditService(database.db, '410000000000'),
    );
    const cubeRows = Number(
      (await sql<{ rows: string }>`SELECT count(*) AS rows FROM analytics_cube`.execute(database.db)).rows[0]
        ?.rows,
    );
    const skipRefresh = mode === 'reads' && cubeRows > 0;
    const skipped = {
      result: { cubeRows, counties: undefined as string[] | undefined },
      milliseconds: Number.NaN,
    };
    const first = skipRefresh ? skipped : await time(() => analytics.refresh('cli'));
    // --mode reads on an empty cube refreshes it once.
    const once = skipRefresh || mode === 'reads';
    const second = once ? skipped : await time(() => analytics.refresh('cli'));
    // After a weekly sync of one county: only its rows and the rows above it.
    const county = once ? skipped : await time(() => analytics.refresh('import', { counties: ['410225'] }));
    const principal = systemPrincipal('41');
    // One region per level: the province, 开封市, 兰考县, 堌阳镇, 城内村.
    const levels = ['410000000000', '410200000000', '410225000000', '410225101000', '410225101200'];
    const filterSets = [{}, { householdType: 'lifted_enjoying', monitored: 'not_eliminated' }];
    const timings: number[] = [];
    let slowest = { milliseconds: 0, label: '' };
    for (const name of mode === 'refresh' ? [] : reportNames) {
      for (const regionCode of levels) {
        for (const filters of filterSets) {
          const query = { report: name, regionCode, ...filters };
          await analytics.getReport(principal, query); // warm-up
          for (let run = 0; run < 3; run += 1) {
            const { milliseconds } = await time(() => analytics.getReport(principal, query));
            timings.push(milliseconds);
            if (milliseconds > slowest.milliseconds) {
              slowest = { milliseconds, label: `${name} ${regionCode} ${JSON.stringify(filters)}` };
            }
          }
        }
      }
    }
    timings.sort((left, right) => left - right);
    const percentile = (share: number) =>
      timings[Math.min(timings.length - 1, Math.floor(timings.length * share))] ?? 0;
    report({
      households: generated.result.households,
      persons: generated.result.persons,
      'generated (SQL)': reused ? 'reused from --keep' : `${(generated.milliseconds / 1000).toFixed(1)} s`,
      'cube refresh (first)': skipRefresh
        ? `not run (${cubeRows} cube rows kept)`
        : `${(first.milliseconds / 1000).toFixed(1)} s, ${first.result.cubeRows} cube rows`,
      'cube refresh (again)': once ? 'not run' : `${(second.milliseconds / 1000).toFixed(1)} s`,
      'cube refresh of one county (兰考县) after its import': once
        ? 'not run'
        : `${(county.milliseconds / 1000).toFixed(1)} s${county.result.counties ? '' : ' (fell back to a full rebuild)'}`,
      'report reads': `${timings.length} (12 reports × 5 levels × 2 filter sets × 3, after a warm-up each)`,
      'report latency median / p95 / max': `${percentile(0.5).toFixed(1)} / ${percentile(0.95).toFixed(1)} / ${(timings.at(-1) ?? 0).toFixed(1)} ms`,
      'slowest read': `${slowest.label} ${slowest.milliseconds.toFixed(1)} ms`,
    });
  },
};
