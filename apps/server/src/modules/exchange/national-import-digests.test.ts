import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { NationalSyncRepository } from '../registry/national-sync.repository.ts';
import { buildHousehold, type NationalRow, writeNationalCsv } from './fixtures/national-file-builder.ts';

let harness: TestApp;
let directory: string;

beforeAll(async () => {
  harness = await createTestApp();
  directory = await mkdtemp(path.join(os.tmpdir(), 'shouwang-import-digests-'));
});
afterAll(async () => {
  await harness?.close();
  await rm(directory, { recursive: true, force: true });
});

const fileIn = (name: string) => path.join(directory, name);
const importFile = (filePath: string, options: { dryRun?: boolean; year?: number } = {}) =>
  harness.app.exchange.importNationalFile({ filePath, principal: harness.system, year: 2025, ...options });

const rows = (): NationalRow[] => [
  ...buildHousehold({ sequence: 1 }),
  ...buildHousehold({ sequence: 2, place: 'renzhuang', members: 4 }),
  ...buildHousehold({ sequence: 3, members: 2 }),
];
const householdNoOf = (index: number) => rows()[index]?.户编号 as string;
const [first, second, third] = [householdNoOf(0), householdNoOf(3), householdNoOf(7)];
const personNoOf = (index: number) => rows()[index]?.人编号 as string;

const personByNo = (personNo: string) =>
  harness.database.db
    .selectFrom('persons')
    .selectAll()
    .where('personNo', '=', personNo)
    .executeTakeFirstOrThrow();

const householdByNo = (householdNo: string) =>
  harness.database.db
    .selectFrom('households')
    .selectAll()
    .where('householdNo', '=', householdNo)
    .executeTakeFirstOrThrow();

async function digestCount() {
  const { rows: counted } = await sql<{ count: string }>`
    SELECT count(*) AS count FROM household_import_digests`.execute(harness.database.db);
  return Number(counted[0]?.count);
}

/** A write the triggers are told to ignore, as they ignore the sync's own writes. */
const setHealthUnseen = (personNo: string, health: string) =>
  harness.database.db.transaction().execute(async (trx) => {
    await sql`SET LOCAL shouwang.national_sync = 'on'`.execute(trx);
    await trx.updateTable('persons').set({ health }).where('personNo', '=', personNo).execute();
  });

const unchangedImport = {
  households: { inserted: 0, updated: 0, unchanged: 3, markedAbsent: 0 },
  persons: { inserted: 0, updated: 0, unchanged: 9, markedAbsent: 0 },
};

describe('household import digests', () => {
  it('keeps one digest per household written by an import, none after a dry run', async () => {
    const file = fileIn('base.csv');
    await writeNationalCsv(file, rows());
    await importFile(file, { dryRun: true });
    expect(await digestCount()).toBe(0);

    const summary = await importFile(file);

    expect(summary.households.inserted).toBe(3);
    expect(await digestCount()).toBe(3);
    expect(await importFile(file)).toMatchObject(unchangedImport);
  });

  it('skips a household whose digest holds: its rows are neither typed nor compared', async () => {
    // A write that the triggers are told to ignore (as the sync's own writes are): the digest still
    // holds, so the re-import does not see the difference. This proves the skip is real.
    await setHealthUnseen(personNoOf(0), 'disabled');

    expect(await importFile(fileIn('base.csv'))).toMatchObject(unchangedImport);
    expect((await personByNo(personNoOf(0))).health).toBe('disabled');
    // Put right for the tests below, the same way.
    await setHealthUnseen(personNoOf(0), 'healthy');
  });

  it("compares a household again after a cadre's edit, and the file's value wins", async () => {
    const person = await personByNo(personNoOf(1));
    const { rows: versions } = await sql<{ version: string }>`
      SELECT to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS version
      FROM persons WHERE id = ${person.id}`.execute(harness.database.db);
    await harness.app.registry.updatePerson(harness.system, person.id, {
      updatedAt: versions[0]?.version ?? '',
      health: 'disabled',
    });
    expect(await digestCount()).toBe(2);

    const summary = await importFile(fileIn('base.csv'));

    expect(summary.households).toEqual({ inserted: 0, updated: 0, unchanged: 3, markedAbsent: 0 });
    expect(summary.persons).toEqual({ inserted: 0, updated: 1, unchanged: 8, markedAbsent: 0 });
    expect((await personByNo(personNoOf(1))).health).toBe('chronic_illness');
    expect(await digestCount()).toBe(3);
  });

  it('compares a household again after any other write to its incomes, risks or measures', async () => {
    const household = await householdByNo(first);
    await harness.database.db
      .deleteFrom('householdMeasures')
      .where('householdId', '=', household.id)
      .execute();
    const other = await householdByNo(second);
    await harness.database.db
      .updateTable('householdIncomes')
      .set({ wageIncome: '1' })
      .where('householdId', '=', other.id)
      .execute();
    expect(await digestCount()).toBe(1);

    const summary = await importFile(fileIn('base.csv'));

    expect(summary.households).toEqual({ inserted: 0, updated: 2, unchanged: 1, markedAbsent: 0 });
    const measures = await harness.database.db
      .selectFrom('householdMeasures')
      .select('value')
      .where('householdId', '=', household.id)
      .execute();
    expect(measures).toHaveLength(2);
    const income = await harness.database.db
      .selectFrom('householdIncomes')
      .select('wageIncome')
      .where('householdId', '=', other.id)
      .executeTakeFirstOrThrow();
    expect(income.wageIncome).not.toBe('1');
    expect(await digestCount()).toBe(3);
  });

  it('reads every row again for another statistics year', async () => {
    const summary = await importFile(fileIn('base.csv'), { year: 2026 });

    expect(summary.households.updated).toBe(3);
    const years = await harness.database.db
      .selectFrom('householdIncomes')
      .select(({ fn }) => ['year', fn.countAll<string>().as('count')])
      .groupBy('year')
      .orderBy('year')
      .execute();
    expect(years.map((row) => [row.year, Number(row.count)])).toEqual([
      [2025, 3],
      [2026, 3],
    ]);
  });

  it('reports a value it cannot read on every import: such a household keeps no digest', async () => {
    const changed = rows();
    (changed[0] as NationalRow).健康状况 = '不详';
    const file = fileIn('unknown.csv');
    await writeNationalCsv(file, changed);

    const first = await importFile(file, { year: 2026 });
    const second = await importFile(file, { year: 2026 });

    for (const summary of [first, second]) {
      expect(summary.unknownValues).toEqual([{ column: '健康状况', value: '不详', count: 1 }]);
    }
    expect(second.persons.updated).toBe(0);
    expect(await digestCount()).toBe(2);
  });

  it('forgets the digest of a household marked absent, and compares it when it returns', async () => {
    const file = fileIn('without-3.csv');
    await writeNationalCsv(
      file,
      rows().filter((row) => row.户编号 !== third),
    );
    const absent = await importFile(file, { year: 2026 });
    expect(absent.households.markedAbsent).toBe(1);

    const back = await importFile(fileIn('base.csv'), { year: 2026 });

    expect(back.households).toMatchObject({ updated: 1, unchanged: 2 });
    expect(back.persons).toMatchObject({ updated: 2 });
    expect((await householdByNo(third)).status).toBe('active');
  });
});

describe('checks across rows with unchanged households', () => {
  it("finds a new row's ID on a row of an unchanged household, and locates it there", async () => {
    const newcomer = buildHousehold({ sequence: 9, members: 1 });
    const taken = rows()[1] as NationalRow;
    (newcomer[0] as NationalRow).证件号码 = taken.证件号码 ?? null;
    const file = fileIn('duplicate.csv');
    // The new household first: the row of the unchanged household is the second to carry the ID.
    await writeNationalCsv(file, [...newcomer, ...rows()]);

    const summary = await importFile(file, { year: 2026 });

    expect(summary.status).toBe('failed');
    expect(summary.errors).toEqual([
      expect.objectContaining({ row: 4, column: '证件号码', reason: '证件号码与第 2 行重复' }),
    ]);
  });
});

describe('a write while a sync applies', () => {
  it('keeps no digest for a household written after the sync compared it', async () => {
    const changed = rows();
    for (const row of changed) if (row.户编号 === first) row.户类型 = '一般农户';
    const file = fileIn('type-changed.csv');
    await writeNationalCsv(file, changed);
    const household = await householdByNo(first);
    // A cadre's write that commits after the sync's comparisons, just before it stores the digests.
    const writeDigests = NationalSyncRepository.prototype.writeDigests;
    const spy = vi
      .spyOn(NationalSyncRepository.prototype, 'writeDigests')
      .mockImplementationOnce(async function (this: NationalSyncRepository, options) {
        await harness.database.db
          .updateTable('persons')
          .set({ health: 'disabled' })
          .where('personNo', '=', personNoOf(1))
          .execute();
        return writeDigests.call(this, options);
      });

    const applied = await importFile(file, { year: 2026 });
    spy.mockRestore();

    expect(applied.households.updated).toBe(1);
    const { rows: digests } = await sql<{ householdId: string }>`
      SELECT household_id FROM household_import_digests WHERE household_id = ${household.id}`.execute(
      harness.database.db,
    );
    expect(digests).toEqual([]);
    const again = await importFile(file, { year: 2026 });
    expect(again.persons.updated).toBe(1);
    expect((await personByNo(personNoOf(1))).health).toBe('chronic_illness');
  });
});
