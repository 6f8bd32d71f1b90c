import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { nationalColumns } from '@shouwang/domain';
import { from as copyFrom } from 'pg-copy-streams';
import { systemPrincipal } from '../src/modules/access/system-principal.ts';
import { AuditService } from '../src/modules/audit/audit.service.ts';
import { writeNationalFile } from '../src/modules/demo/national-file-writer.ts';
import { villagesFromDivisionData } from '../src/modules/demo/test-villages.ts';
import { ExchangeService } from '../src/modules/exchange/exchange.service.ts';
import { loadProvinceRegions } from '../src/modules/regions/regions.loader.ts';
import { measureHouseholdList } from './household-list.ts';
import type { BenchContext } from './run.ts';

/** Households per scale (DESIGN.md §6): a county of 兰考县, or the whole of Henan. */
const scales: Record<string, { prefix: string; households: number }> = {
  county: { prefix: '410225', households: 20_000 },
  province: { prefix: '41', households: 2_000_000 },
};

/** Peak RSS of this process while `work` runs. */
async function measure<T>(
  work: () => Promise<T>,
): Promise<{ result: T; seconds: number; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  try {
    const result = await work();
    return {
      result,
      seconds: (performance.now() - started) / 1000,
      peakRssMb: Math.round(peak / 1024 / 1024),
    };
  } finally {
    clearInterval(sampler);
  }
}

export const importBenchmark = {
  description:
    'national sync import of a generated national CSV (--scale county|province, --rows households): ' +
    "first import into an empty registry, the household list's first page for every filter, re-import of " +
    'the same file, and a plain COPY of the same rows',
  async run({ database, options, report }: BenchContext) {
    const scale = scales[options.scale ?? 'county'];
    if (!scale) throw new Error(`unknown scale ${options.scale}; use county or province`);
    const households = Number(options.rows ?? scale.households);
    const directory = await mkdtemp(path.join(os.tmpdir(), 'shouwang-import-bench-'));
    try {
      await loadProvinceRegions(database.pool, '41');
      const file = path.join(directory, 'national.csv');
      const generated = await measure(() =>
        writeNationalFile({
          file,
          scale: 'county',
          villages: villagesFromDivisionData(scale.prefix),
          households,
          seed: 7,
          year: 2025,
          referenceDate: new Date(Date.UTC(2025, 11, 31)),
        }),
      );
      const persons = generated.result.persons;
      const megabytes = (await stat(file)).size / 1024 / 1024;

      const audit = new AuditService(database.db, '410000000000');
      await audit.ensurePartitions();
      const exchange = new ExchangeService({ db: database.db, pool: database.pool, audit, province: '41' });
      const principal = systemPrincipal('41');
      const first = await measure(() =>
        exchange.importNationalFile({ filePath: file, principal, year: 2025 }),
      );
      if (first.result.status !== 'succeeded') {
        throw new Error(`import failed: ${JSON.stringify(first.result.errors.slice(0, 5))}`);
      }
      const list = await measureHouseholdList(database, audit);
      const again = await measure(() =>
        exchange.importNationalFile({ filePath: file, principal, year: 2025 }),
      );

      // The floor: the same file COPYed as it is into an unindexed table of text columns.
      const client = await database.pool.connect();
      const plain = await measure(async () => {
        const columns = nationalColumns.map((_, index) => `c${index} text`).join(', ');
        await client.query(`CREATE TEMP TABLE plain_copy (${columns})`);
        await pipeline(
          createReadStream(file),
          client.query(copyFrom(`COPY plain_copy FROM STDIN WITH (FORMAT csv, HEADER true)`)),
        );
      }).finally(() => client.release());

      const rate = (seconds: number) => Math.round(persons / seconds);
      report({
        scale: `${options.scale ?? 'county'}: ${generated.result.households} households, ${persons} persons, ${megabytes.toFixed(0)} MB csv`,
        'file generated': `${generated.seconds.toFixed(1)} s`,
        'first import (all new)': `${first.seconds.toFixed(1)} s, ${rate(first.seconds)} persons/s, peak RSS ${first.peakRssMb} MB`,
        're-import (no changes)': `${again.seconds.toFixed(1)} s, ${rate(again.seconds)} persons/s, peak RSS ${again.peakRssMb} MB; ${JSON.stringify(again.result.persons)}`,
        'plain COPY of the same rows': `${plain.seconds.toFixed(1)} s, ${rate(plain.seconds)} rows/s`,
        'import / plain COPY': `${(first.seconds / plain.seconds).toFixed(1)}× (first), ${(again.seconds / plain.seconds).toFixed(1)}× (re-import)`,
        ...list,
      });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  },
};
