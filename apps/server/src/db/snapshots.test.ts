import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database.ts';
import { connectDatabase, type DatabaseHandle } from './connection.ts';
import { exportSnapshot, forEachConcurrently, readInSnapshot, writeInSnapshot } from './snapshots.ts';

let database: TestDatabase;
let handle: DatabaseHandle;

beforeAll(async () => {
  database = await createTestDatabase();
  handle = connectDatabase(database.url);
  await sql`CREATE TABLE snapshot_probe (value int)`.execute(handle.db);
  await sql`INSERT INTO snapshot_probe VALUES (1)`.execute(handle.db);
});

afterAll(async () => {
  await handle?.destroy();
  await database?.drop();
});

const values = async (executor: DatabaseHandle['db']) =>
  (await sql<{ value: number }>`SELECT value FROM snapshot_probe ORDER BY value`.execute(executor)).rows.map(
    (row) => row.value,
  );

describe('readInSnapshot', () => {
  it('reads on other connections what the exporting transaction saw, not what was committed since', async () => {
    const seen = await handle.db.transaction().execute(async (trx) => {
      const snapshot = await exportSnapshot(trx);
      // Committed by another connection after the export: invisible to readers of the snapshot.
      await sql`INSERT INTO snapshot_probe VALUES (2)`.execute(handle.db);
      const readers = await Promise.all(
        [0, 1].map(() => readInSnapshot(handle.db, snapshot, (reader) => values(reader))),
      );
      const backends = await Promise.all(
        [0, 1].map(() =>
          readInSnapshot(handle.db, snapshot, async (reader) => {
            const result = await sql<{
              readOnly: string;
            }>`SELECT current_setting('transaction_read_only') AS read_only`.execute(reader);
            return result.rows[0]?.readOnly;
          }),
        ),
      );
      return { readers, backends };
    });
    expect(seen.readers).toEqual([[1], [1]]);
    expect(seen.backends).toEqual(['on', 'on']);
    expect(await values(handle.db)).toEqual([1, 2]);
  });

  it('refuses a snapshot name that is not one', async () => {
    await expect(
      readInSnapshot(handle.db, "x'; DROP TABLE snapshot_probe; --", async () => 1),
    ).rejects.toThrow(/unexpected snapshot/);
  });
});

describe('writeInSnapshot', () => {
  it('writes on other connections from what the exporting transaction saw, and commits on its own', async () => {
    await sql`CREATE TABLE snapshot_copies (value int)`.execute(handle.db);
    const before = await values(handle.db);
    await handle.db.transaction().execute(async (trx) => {
      const snapshot = await exportSnapshot(trx);
      await sql`INSERT INTO snapshot_probe VALUES (100)`.execute(handle.db);
      await Promise.all(
        [0, 1].map((part) =>
          writeInSnapshot(handle.db, snapshot, async (writer) => {
            await sql`INSERT INTO snapshot_copies SELECT value * 10 + ${part} FROM snapshot_probe`.execute(
              writer,
            );
          }),
        ),
      );
    });
    const copies = await sql<{ value: number }>`SELECT value FROM snapshot_copies ORDER BY value`.execute(
      handle.db,
    );
    expect(copies.rows.map((row) => row.value)).toEqual(
      before.flatMap((value) => [value * 10, value * 10 + 1]).sort((left, right) => left - right),
    );
    await sql`DELETE FROM snapshot_probe WHERE value = 100`.execute(handle.db);
  });
});

describe('forEachConcurrently', () => {
  it('runs at most the given number at a time, every item once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await forEachConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5 + (item % 3) * 5));
      done.push(item);
      running -= 1;
    });
    expect(most).toBe(3);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('starts nothing after a failure and throws the first one once the calls in flight end', async () => {
    const started: number[] = [];
    let inFlightEnded = false;
    const run = forEachConcurrently([1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item);
      if (item === 1) throw new Error('part 1 failed');
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlightEnded = true;
    });
    await expect(run).rejects.toThrow('part 1 failed');
    expect(started).toEqual([1, 2]);
    expect(inFlightEnded).toBe(true);
  });
});
