import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database.ts';
import { connectDatabase, type DatabaseHandle } from './connection.ts';
import { preparedStatement } from './prepared-statements.ts';

let database: TestDatabase;
let single: DatabaseHandle;

beforeAll(async () => {
  database = await createTestDatabase();
  // One connection, so every query below meets the statements prepared by the ones before.
  single = connectDatabase(database.url, { max: 1 });
});

afterAll(async () => {
  await single?.destroy();
  await database?.drop();
});

const prepared = async () =>
  (
    await sql<{ name: string; calls: number }>`
      SELECT name, generic_plans + custom_plans AS calls FROM pg_prepared_statements ORDER BY name`.execute(
      single.db,
    )
  ).rows;

describe('preparedStatement', () => {
  it('runs a registered text as one named statement per connection, other queries unnamed', async () => {
    const text = 'SELECT $1::int + 1 AS next';
    const results: number[] = [];
    for (const value of [1, 41]) {
      const query = preparedStatement(CompiledQuery.raw(text, [value]) as CompiledQuery<{ next: number }>);
      results.push((await single.db.executeQuery(query)).rows[0]?.next ?? 0);
    }
    expect(results).toEqual([2, 42]);
    await single.db.executeQuery(CompiledQuery.raw('SELECT $1::int AS unnamed', [1]));
    const statements = await prepared();
    expect(statements).toHaveLength(1);
    expect(statements[0]?.name).toMatch(/^shouwang_[0-9a-f]{24}$/);
    expect(Number(statements[0]?.calls)).toBe(2);

    // Another text gets another name; the first one is still used as is.
    await single.db.executeQuery(preparedStatement(CompiledQuery.raw('SELECT $1::int * 2 AS twice', [2])));
    await single.db.executeQuery(preparedStatement(CompiledQuery.raw(text, [3])));
    const after = await prepared();
    expect(after).toHaveLength(2);
    expect(after.map((statement) => Number(statement.calls)).sort()).toEqual([1, 3]);
  });

  it('keeps transactions and errors on the same connection as Kysely expects', async () => {
    const text = 'SELECT 1 / $1::int AS ratio';
    await expect(
      single.db.transaction().execute(async (trx) => {
        await trx.executeQuery(preparedStatement(CompiledQuery.raw(text, [1])));
        await trx.executeQuery(preparedStatement(CompiledQuery.raw(text, [0])));
      }),
    ).rejects.toThrow(/division by zero/);
    const ratio = await single.db.executeQuery(
      preparedStatement(CompiledQuery.raw(text, [1]) as CompiledQuery<{ ratio: number }>),
    );
    expect(ratio.rows[0]?.ratio).toBe(1);
  });
});
