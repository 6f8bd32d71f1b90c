import { beijingToday } from '@shouwang/domain';
import { systemPrincipal } from '../src/modules/access/system-principal.ts';
import { AnalyticsService } from '../src/modules/analytics/analytics.service.ts';
import { DashboardService } from '../src/modules/analytics/dashboard.service.ts';
import { AuditService } from '../src/modules/audit/audit.service.ts';
import { MonitoringService } from '../src/modules/monitoring/monitoring.service.ts';
import { QualityService } from '../src/modules/quality/quality.service.ts';
import { ruleHitsQuery } from '../src/modules/quality/rule-sql.ts';
import { regionRange } from '../src/modules/regions/region-code.ts';
import { loadProvinceRegions } from '../src/modules/regions/regions.loader.ts';
import { RegionsService } from '../src/modules/regions/regions.service.ts';
import { RegistryService } from '../src/modules/registry/registry.service.ts';
import { SettingsService } from '../src/modules/settings/settings.service.ts';
import { WorkingCalendarService } from '../src/modules/settings/working-calendar.service.ts';
import { generate, time } from './analytics.bench.ts';
import type { BenchContext } from './run.ts';

/**
 * 综合展示 at county scale: all households in the villages of 兰考县 (default 200 000, about a real
 * county), the cube refreshed, then the dashboard of the county, a township and a village, as a
 * county user with quality and monitoring permissions reads them.
 */
export const dashboardBenchmark = {
  description: 'dashboard latency at county scale (--rows households, all in 兰考县)',
  async run(context: BenchContext) {
    const { database, options, report } = context;
    const households = Number(options.rows ?? 200_000);
    const year = Number(beijingToday().slice(0, 4));
    await loadProvinceRegions(database.pool, '41');
    const generated = await time(() => generate(context, households, year, '410225'));
    const regions = new RegionsService(database.db, database.pool);
    const settings = new SettingsService(database.db);
    const audit = new AuditService(database.db, '410000000000');
    const analytics = new AnalyticsService(database.db, regions, settings, audit);
    const quality = new QualityService({
      db: database.db,
      audit,
      regions,
      settings,
      province: '41',
      ruleHitsQuery,
    });
    const monitoring = new MonitoringService(
      database.db,
      new RegistryService(database.db, regions, audit),
      regions,
      audit,
      settings,
      new WorkingCalendarService(database.db),
      regionRange('410000000000', 'province'),
    );
    const dashboard = new DashboardService(analytics, quality, monitoring);
    const refresh = await time(() => analytics.refresh('cli'));
    const county = {
      ...systemPrincipal('41', ['analytics:read', 'quality:read', 'monitoring:read']),
      regionCode: '410225000000',
      regionLevel: 'county' as const,
      scope: regionRange('410225000000', 'county'),
    };
    const figures: Record<string, string> = {};
    for (const [label, regionCode] of [
      ['county 兰考县', '410225000000'],
      ['township 堌阳镇 (live)', '410225101000'],
      ['village 城内村 (live)', '410225101200'],
    ] as const) {
      await dashboard.getDashboard(county, { regionCode }); // warm-up
      const timings: number[] = [];
      for (let run = 0; run < 10; run += 1) {
        timings.push((await time(() => dashboard.getDashboard(county, { regionCode }))).milliseconds);
      }
      timings.sort((left, right) => left - right);
      figures[`dashboard ${label} median / max of 10`] =
        `${(timings[5] ?? 0).toFixed(1)} / ${(timings.at(-1) ?? 0).toFixed(1)} ms`;
    }
    // Where the county's time goes: the cube views, the quality counts, the monitoring counts.
    const parts: Record<string, () => Promise<unknown>> = {
      'cube views': () =>
        dashboard.getDashboard(
          { ...county, permissions: new Set(['analytics:read']) },
          { regionCode: '410225000000' },
        ),
      'quality counts': () => quality.countByRegion(county, { regionCode: '410225000000' }),
      'monitoring counts': () => monitoring.progress(county, '410225000000'),
    };
    for (const [label, work] of Object.entries(parts)) {
      const timings: number[] = [];
      for (let run = 0; run < 5; run += 1) timings.push((await time(work)).milliseconds);
      timings.sort((left, right) => left - right);
      figures[`county part: ${label} median of 5`] = `${(timings[2] ?? 0).toFixed(1)} ms`;
    }
    report({
      households: generated.result.households,
      persons: generated.result.persons,
      'generated (SQL)': `${(generated.milliseconds / 1000).toFixed(1)} s`,
      'cube refresh': `${(refresh.milliseconds / 1000).toFixed(1)} s, ${refresh.result.cubeRows} cube rows`,
      ...figures,
    });
  },
};
