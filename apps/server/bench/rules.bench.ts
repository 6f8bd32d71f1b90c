import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseRule, starterRules } from '@shouwang/rules';
import { systemPrincipal } from '../src/modules/access/system-principal.ts';
import { AuditService } from '../src/modules/audit/audit.service.ts';
import { defaultMonitoringLine } from '../src/modules/demo/demo.generator.ts';
import { writeNationalFile } from '../src/modules/demo/national-file-writer.ts';
import { villagesFromDivisionData } from '../src/modules/demo/test-villages.ts';
import { ExchangeService } from '../src/modules/exchange/exchange.service.ts';
import { type RuleForSql, ruleHitsQuery } from '../src/modules/quality/rule-sql.ts';
import { regionRange } from '../src/modules/regions/region-code.ts';
import { loadProvinceRegions } from '../src/modules/regions/regions.loader.ts';
import { benchApp } from './bench-app.ts';
import type { BenchContext } from './run.ts';

/**
 * Scales: households imported through the national sync, times `copies` made in SQL (each copy gets
 * new household numbers and ID numbers with another sequence and a valid check digit), so that a
 * province-sized registry loads in minutes rather than the import's ten.
 */
const scales: Record<string, { prefix: string; households: number; copies: number }> = {
  county: { prefix: '410225', households: 200_000, copies: 1 },
  province: { prefix: '41', households: 200_000, copies: 10 },
};

const seconds = (started: number) => (performance.now() - started) / 1000;

/** CPU seconds a server process has used (Linux /proc; NaN elsewhere): load-independent next to wall time. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime + stime in clock ticks (USER_HZ, 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await work();
  return { result, seconds: seconds(started) };
}

async function columnsOf(context: BenchContext, table: string): Promise<string[]> {
  const result = await context.database.pool.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return result.rows.map((row) => row.column_name);
}

/** Copies every imported household with its members, incomes, risks and measures `copies - 1` times. */
async function replicate(context: BenchContext, copies: number): Promise<void> {
  const pool = context.database.pool;
  const householdColumns = (await columnsOf(context, 'households')).filter((name) => name !== 'id');
  const personColumns = (await columnsOf(context, 'persons')).filter((name) => name !== 'id');
  const incomeColumns = await columnsOf(context, 'household_incomes');
  const original = await pool.query<{ max: string }>('SELECT max(id) AS max FROM households');
  const last = original.rows[0]?.max ?? '0';
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const checkSum = weights.map(
    (weight, index) => `(ascii(substr(first17, ${index + 1}, 1)) - 48) * ${weight}`,
  );
  for (let copy = 1; copy < copies; copy += 1) {
    await pool.query('DROP TABLE IF EXISTS household_map');
    await pool.query(
      `CREATE TEMP TABLE household_map AS
        SELECT id AS old_id, nextval('households_id_seq') AS new_id FROM households WHERE id <= $1`,
      [last],
    );
    await pool.query('CREATE INDEX ON household_map (old_id)');
    const householdValues = householdColumns.map((name) =>
      name === 'household_no' ? `h.household_no || '-${copy}'` : `h.${name}`,
    );
    await pool.query(
      `INSERT INTO households (id, ${householdColumns.join(', ')})
        SELECT m.new_id, ${householdValues.join(', ')} FROM households h JOIN household_map m ON m.old_id = h.id`,
    );
    // Another sequence (same parity, so the same sex) and the check digit recomputed.
    const personValues = personColumns.map((name) => {
      if (name === 'household_id') return 'm.new_id';
      if (name === 'id_number') {
        return `CASE WHEN p.id_number ~ '^[0-9]{17}' THEN
          (SELECT first17 || substr('10X98765432', ((${checkSum.join(' + ')}) % 11) + 1, 1) || substr(p.id_number, 19)
           FROM (SELECT left(p.id_number, 14)
             || lpad(((substr(p.id_number, 15, 3)::int + ${copy * 2}) % 1000)::text, 3, '0') AS first17) AS f)
          ELSE p.id_number END`;
      }
      return `p.${name}`;
    });
    await pool.query(
      `INSERT INTO persons (${personColumns.join(', ')})
        SELECT ${personValues.join(', ')} FROM persons p JOIN household_map m ON m.old_id = p.household_id`,
    );
    await pool.query(
      `INSERT INTO household_incomes (${incomeColumns.join(', ')})
        SELECT ${incomeColumns.map((name) => (name === 'household_id' ? 'm.new_id' : `i.${name}`)).join(', ')}
        FROM household_incomes i JOIN household_map m ON m.old_id = i.household_id`,
    );
    await pool.query(
      `INSERT INTO household_risks (household_id, position, risk_type)
        SELECT m.new_id, r.position, r.risk_type FROM household_risks r JOIN household_map m ON m.old_id = r.household_id`,
    );
    await pool.query(
      `INSERT INTO household_measures (household_id, category, value)
        SELECT m.new_id, v.category, v.value FROM household_measures v JOIN household_map m ON m.old_id = v.household_id`,
    );
  }
}

/**
 * The full run as `shouwang rules run` does it (QualityService.run over the province: region parts,
 * the aggregate rules, one merge into the findings), timed `runs` times; the first of a fresh database
 * inserts every finding, later ones find them unchanged.
 */
async function fullRuns(context: BenchContext, runs: number): Promise<Record<string, string>> {
  const { database } = context;
  const app = await benchApp(database);
  try {
    const principal = systemPrincipal('41');
    const seconds: number[] = [];
    const loads: string[] = [];
    let found = 0;
    const checking: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      const started = performance.now();
      let merging: number | undefined;
      const result = await timed(() =>
        app.quality.run(principal, {
          trigger: 'cli',
          onProgress: (progress) => {
            if (progress.phase === 'merging' && merging === undefined) merging = performance.now();
          },
        }),
      );
      checking.push(((merging ?? performance.now()) - started) / 1000);
      seconds.push(result.seconds);
      loads.push((os.loadavg()[0] ?? 0).toFixed(1));
      found = (result.result.run.counts as { found?: number } | undefined)?.found ?? 0;
    }
    return {
      'full run (rules run: region parts, aggregate rules, merge into findings)': seconds
        .map((value) => `${value.toFixed(1)} s`)
        .join(', '),
      'of which checking the region parts (until the merge starts)': checking
        .map((value) => `${value.toFixed(1)} s`)
        .join(', '),
      'load average (1 min) after each full run': loads.join(', '),
      'findings of the last full run': String(found),
    };
  } finally {
    await app.close();
  }
}

export const rulesBenchmark = {
  description:
    'quality rules in SQL: every starter rule over the whole registry in one statement (ruleHitsQuery), ' +
    'against one sequential scan of persons (--scale county|province, --rows households imported, --runs N)',
  async run(context: BenchContext) {
    const { database, options, report } = context;
    const scale = scales[options.scale ?? 'county'];
    if (!scale) throw new Error(`unknown scale ${options.scale}; use county or province`);
    const households = Number(options.rows ?? scale.households);
    const runCount = Math.max(1, Number(options.runs ?? 2));
    const directory = await mkdtemp(path.join(os.tmpdir(), 'shouwang-rules-bench-'));
    try {
      const reused = options.reuse === 'yes';
      if (!reused) await loadProvinceRegions(database.pool, '41');
      const file = path.join(directory, 'national.csv');
      const load = await timed(async () => {
        if (reused) return;
        await writeNationalFile({
          file,
          scale: 'county',
          villages: villagesFromDivisionData(scale.prefix),
          households,
          seed: 11,
          year: 2025,
          referenceDate: new Date(Date.UTC(2025, 11, 31)),
        });
        const audit = new AuditService(database.db, '410000000000');
        await audit.ensurePartitions();
        const exchange = new ExchangeService({ db: database.db, pool: database.pool, audit, province: '41' });
        const summary = await exchange.importNationalFile({
          filePath: file,
          principal: systemPrincipal('41'),
          year: 2025,
        });
        if (summary.status !== 'succeeded') throw new Error('import failed');
        await rm(file, { force: true });
        await replicate(context, scale.copies);
        await database.pool.query('VACUUM ANALYZE');
        await database.pool.query('CREATE TABLE bench_loaded ()');
      });
      const sizes = await database.pool.query<{ households: string; persons: string; mb: string }>(
        `SELECT (SELECT count(*) FROM households) AS households, (SELECT count(*) FROM persons) AS persons,
          pg_total_relation_size('persons') / 1048576 AS mb`,
      );
      const size = sizes.rows[0];

      const rules: RuleForSql[] = starterRules.map((rule) => {
        if (!rule.when) return { code: rule.code };
        const parsed = parseRule(rule.when, rule.scope);
        if (!parsed.ok) throw new Error(`${rule.code}: ${parsed.error.message}`);
        return { code: rule.code, rule: parsed.rule };
      });
      const query = ruleHitsQuery(
        rules,
        { referenceDate: '2025-12-31', statisticsYear: 2025, incomeLine: defaultMonitoringLine(2025) },
        { scope: regionRange('410000000000', 'province') },
      );
      const mode = options.mode ?? 'both';
      if (mode === 'both' || mode === 'full') {
        report(await fullRuns(context, runCount));
      }
      if (mode === 'full') return;
      const client = await database.pool.connect();
      try {
        // One sequential scan of persons: the unit of the target (≤ 4 scans for every rule).
        await client.query(
          'SET enable_indexscan = off; SET enable_indexonlyscan = off; SET enable_bitmapscan = off',
        );
        await client.query('SELECT count(*) FROM persons');
        const scan = await timed(() => client.query('SELECT count(*) FROM persons'));
        await client.query('RESET ALL');
        const compiled = query.compile(database.db);
        const statement = `SELECT rule_code, count(*) AS hits FROM (${compiled.sql}) AS hits GROUP BY rule_code`;
        const backend =
          (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0;
        const loadBefore = os.loadavg()[0] ?? 0;
        const runs: number[] = [];
        const cpu: number[] = [];
        let hits = new Map<string, number>();
        for (let run = 0; run < runCount; run += 1) {
          const cpuBefore = cpuSeconds(backend);
          const result = await timed(() =>
            client.query<{ rule_code: string; hits: string }>(statement, compiled.parameters as unknown[]),
          );
          cpu.push(cpuSeconds(backend) - cpuBefore);
          runs.push(result.seconds);
          hits = new Map(result.result.rows.map((row) => [row.rule_code, Number(row.hits)]));
        }
        // A third run with a roomier work_mem only when several runs were asked for (province: one run).
        let roomy: { seconds: number } | undefined;
        if (runCount > 1) {
          await client.query("SET work_mem = '256MB'");
          roomy = await timed(() => client.query(statement, compiled.parameters as unknown[]));
          await client.query('RESET ALL');
        }
        const loadAfter = os.loadavg()[0] ?? 0;
        if (process.env.SHOUWANG_RULES_EXPLAIN === '1') {
          const plan = await client.query(
            `EXPLAIN (ANALYZE, BUFFERS) ${statement}`,
            compiled.parameters as unknown[],
          );
          for (const row of plan.rows) process.stdout.write(`${row['QUERY PLAN']}\n`);
        }
        const best = Math.min(...runs);
        const total = [...hits.values()].reduce((sum, count) => sum + count, 0);
        report({
          scale: `${options.scale ?? 'county'}: ${size?.households} households, ${size?.persons} persons (persons table ${size?.mb} MB)`,
          'data loaded (generate + import + copies + VACUUM ANALYZE)': reused
            ? 'reused from --keep'
            : `${load.seconds.toFixed(0)} s`,
          'one sequential scan of persons (count(*), warm)': `${scan.seconds.toFixed(2)} s`,
          [`all 85 starter rules, one statement (${runCount} run${runCount > 1 ? 's' : ''})`]: runs
            .map((value) => `${value.toFixed(1)} s`)
            .join(', '),
          'CPU time of the server process for those runs': cpu
            .map((value) => `${value.toFixed(1)} s`)
            .join(', '),
          'the same with work_mem 256MB': roomy ? `${roomy.seconds.toFixed(1)} s` : 'not run',
          'load average (1 min) before / after the runs': `${loadBefore.toFixed(1)} / ${loadAfter.toFixed(1)}`,
          'rules / scan': `${(best / scan.seconds).toFixed(1)}×`,
          hits: `${total} in ${hits.size} rules`,
        });
      } finally {
        client.release();
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  },
};
