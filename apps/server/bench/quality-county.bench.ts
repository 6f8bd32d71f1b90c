import { sql } from 'kysely';
import { systemPrincipal } from '../src/modules/access/system-principal.ts';
import { DemoService } from '../src/modules/demo/demo.service.ts';
import { loadProvinceRegions } from '../src/modules/regions/regions.loader.ts';
import { benchApp } from './bench-app.ts';
import type { BenchContext } from './run.ts';

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

export const qualityCountyBenchmark = {
  description:
    'quality rules over the demo county (~20 000 households, seeded through the national import): ' +
    'full runs of every enabled rule, and the re-check of one household after an edit (--rows: re-checks)',
  async run({ database, options, report }: BenchContext) {
    await loadProvinceRegions(database.pool, '41');
    const app = await benchApp(database);
    try {
      const principal = systemPrincipal('41');
      const demo = new DemoService({ db: app.db, province: '41', exchange: app.exchange });
      await demo.seed({ scale: 'county', seed: 1, defects: 'importable', principal });
      // The import started a run over the importer's region; let it finish before measuring.
      await app.quality.drain();
      const counts = await sql<{ households: number; persons: number }>`
        SELECT (SELECT count(*)::int FROM households) AS households, (SELECT count(*)::int FROM persons) AS persons`.execute(
        app.db,
      );

      const runSeconds: number[] = [];
      let last: Awaited<ReturnType<typeof app.quality.run>> | undefined;
      for (let index = 0; index < 3; index += 1) {
        const started = performance.now();
        last = await app.quality.run(principal, { trigger: 'cli' });
        runSeconds.push((performance.now() - started) / 1000);
      }
      const found = (last?.run.counts as { found?: number } | undefined)?.found ?? 0;

      const rechecks = Number(options.rows ?? 300);
      const ids = (
        await sql<{
          id: string;
        }>`SELECT id FROM households ORDER BY md5(id::text) LIMIT ${rechecks + 30}`.execute(app.db)
      ).rows.map((row) => row.id);
      for (const id of ids.slice(0, 30)) await app.quality.recheckHouseholds([id]);
      const milliseconds: number[] = [];
      for (const id of ids.slice(30)) {
        const started = performance.now();
        await app.quality.recheckHouseholds([id]);
        milliseconds.push(performance.now() - started);
      }
      milliseconds.sort((a, b) => a - b);
      report({
        households: counts.rows[0]?.households ?? 0,
        persons: counts.rows[0]?.persons ?? 0,
        'enabled rules': last?.rules.length ?? 0,
        'findings of the last run': found,
        'full run, county (s), 3 runs': runSeconds.map((seconds) => seconds.toFixed(2)).join(' / '),
        're-checks of one household': milliseconds.length,
        're-check median (ms)': quantile(milliseconds, 0.5).toFixed(1),
        're-check p95 (ms)': quantile(milliseconds, 0.95).toFixed(1),
        're-check max (ms)': (milliseconds.at(-1) ?? 0).toFixed(1),
      });
    } finally {
      await app.close();
    }
  },
};
