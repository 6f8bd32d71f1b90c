import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { buildHousehold, writeNationalCsv } from '../exchange/fixtures/national-file-builder.ts';

let harness: TestApp;
let directory: string;

beforeAll(async () => {
  harness = await createTestApp();
  directory = await mkdtemp(path.join(os.tmpdir(), 'shouwang-bulk-load-'));
});
afterAll(async () => {
  await harness?.close();
  await rm(directory, { recursive: true, force: true });
});

/** Every index and constraint of the registry tables, by definition. */
async function registrySchema() {
  const { rows } = await sql<{ definition: string }>`
    SELECT pg_get_indexdef(i.indexrelid) AS definition
    FROM pg_index i
    WHERE i.indrelid::regclass::text IN ('households', 'persons', 'household_incomes', 'household_risks',
      'household_measures', 'field_history')
    UNION ALL
    SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
    FROM pg_constraint
    WHERE conrelid::regclass::text IN ('households', 'persons', 'household_incomes', 'household_risks',
      'household_measures', 'field_history')
    ORDER BY 1`.execute(harness.database.db);
  return rows.map((row) => row.definition);
}

describe('national sync into an empty registry', () => {
  it('builds the indexes and foreign keys it set aside again before it commits', async () => {
    const { rows: counts } = await sql<{ count: string }>`SELECT count(*) AS count FROM persons`.execute(
      harness.database.db,
    );
    expect(Number(counts[0]?.count)).toBe(0);
    const before = await registrySchema();
    expect(before.some((definition) => definition.includes('persons_household_id_fkey'))).toBe(true);

    const file = path.join(directory, 'first.csv');
    await writeNationalCsv(file, [...buildHousehold({ sequence: 1 }), ...buildHousehold({ sequence: 2 })]);
    const summary = await harness.app.exchange.importNationalFile({
      filePath: file,
      principal: harness.system,
      year: 2025,
    });
    expect(summary.persons.inserted).toBe(6);
    expect(await registrySchema()).toEqual(before);

    // The foreign key is enforced again, and the indexes are usable.
    const orphan =
      sql`INSERT INTO persons (household_id, region_code, status) VALUES (-1, '410225101200', 'active')`
        .execute(harness.database.db)
        .catch((error: unknown) => error);
    expect(String(await orphan)).toContain('persons_household_id_fkey');
    const { rows: valid } = await sql<{ valid: boolean }>`
      SELECT bool_and(indisvalid AND indisready) AS valid FROM pg_index
      WHERE indrelid = 'persons'::regclass`.execute(harness.database.db);
    expect(valid[0]?.valid).toBe(true);
  });
});
