// Benchmarks: `npm run bench -- <name> [options]`. Each runs against a fresh embedded PostgreSQL in a
// temporary directory and prints its figures; record them in docs/benchmarks.md with machine and date.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { connectDatabase, type DatabaseHandle } from '../src/db/connection.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { analyticsBenchmark } from './analytics.bench.ts';
import { auditBenchmark } from './audit.bench.ts';
import { dashboardBenchmark } from './dashboard.bench.ts';
import { exportBenchmark } from './export.bench.ts';
import { importBenchmark } from './import.bench.ts';
import { qualityCountyBenchmark } from './quality-county.bench.ts';
import { regionsBenchmark } from './regions.bench.ts';
import { rulesBenchmark } from './rules.bench.ts';

export interface BenchContext {
  database: DatabaseHandle;
  options: Record<string, string | undefined>;
  report(figures: Record<string, string | number>): void;
}

const benchmarks: Record<string, { description: string; run(context: BenchContext): Promise<void> }> = {
  regions: regionsBenchmark,
  audit: auditBenchmark,
  import: importBenchmark,
  rules: rulesBenchmark,
  analytics: analyticsBenchmark,
  dashboard: dashboardBenchmark,
  quality: qualityCountyBenchmark,
  export: exportBenchmark,
};

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    rows: { type: 'string' },
    province: { type: 'string' },
    scale: { type: 'string' },
    verify: { type: 'string' },
    runs: { type: 'string' },
    // Keep the embedded server's data in this directory and reuse a benchmark database found there
    // (benchmarks that support it skip loading their data): for measuring one change several times.
    keep: { type: 'string' },
    mode: { type: 'string' },
  },
});
const names = positionals.length > 0 ? positionals : Object.keys(benchmarks);
const unknown = names.filter((name) => !benchmarks[name]);
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark: ${unknown.join(', ')}; available: ${Object.keys(benchmarks).join(', ')}\n`,
  );
  process.exit(2);
}

const dataDir = values.keep
  ? path.resolve(values.keep)
  : await mkdtemp(path.join(os.tmpdir(), 'shouwang-bench-'));
const server = await startEmbeddedPostgres({ dataDir });
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);
try {
  for (const name of names) {
    const database = connectDatabase(server.url('postgres'));
    // Reused only when an earlier run finished loading it (the benchmark then creates `bench_loaded`).
    let reuse = false;
    if (values.keep) {
      const existing = await database.pool.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        `bench_${name}`,
      ]);
      if (existing.rowCount === 1) {
        const probe = connectDatabase(server.url(`bench_${name}`));
        const loaded = await probe.pool.query(`SELECT to_regclass('bench_loaded') IS NOT NULL AS loaded`);
        reuse = loaded.rows[0]?.loaded === true;
        await probe.destroy();
      }
    }
    if (!reuse) {
      await database.pool.query(`DROP DATABASE IF EXISTS bench_${name}`);
      await database.pool.query(
        `CREATE DATABASE bench_${name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'`,
      );
    }
    await database.destroy();
    const benchDatabase = connectDatabase(server.url(`bench_${name}`));
    await migrateToLatest(benchDatabase.db);
    process.stdout.write(`\n## ${name}: ${benchmarks[name]?.description}\n`);
    peakRss = process.memoryUsage().rss;
    await benchmarks[name]?.run({
      database: benchDatabase,
      options: { ...values, reuse: reuse ? 'yes' : undefined },
      report: (figures) => {
        for (const [key, value] of Object.entries(figures)) process.stdout.write(`- ${key}: ${value}\n`);
        process.stdout.write(`- peak RSS of the Node process: ${(peakRss / 1024 / 1024).toFixed(0)} MB\n`);
      },
    });
    await benchDatabase.destroy();
  }
  process.stdout.write(
    `\nmachine: ${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, node ${process.version}\n`,
  );
} finally {
  clearInterval(sampler);
  await server.stop();
  if (!values.keep) await rm(dataDir, { recursive: true, force: true });
}
process.exit(0);
