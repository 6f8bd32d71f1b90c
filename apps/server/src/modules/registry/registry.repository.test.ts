import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts';
import { regions } from '../../../test/fixtures.ts';
import { insertHousehold } from '../../../test/registry-factory.ts';
import { regionRange } from '../regions/region-code.ts';
import { RegistryRepository } from './registry.repository.ts';

let database: TestDatabase;
let repository: RegistryRepository;
const county = regionRange(regions.lankao);

beforeAll(async () => {
  database = await createTestDatabase();
  repository = new RegistryRepository(database.db);
  for (let index = 0; index < 3; index += 1) {
    await insertHousehold(database.db, { regionCode: regions.chengnei, monitoringCategory: 'marginal' });
  }
});
afterAll(async () => {
  await database?.drop();
});

describe(RegistryRepository.name, () => {
  it('counts up to the cap plus one', async () => {
    const options = { scope: county, status: 'active' as const };
    expect(await repository.countHouseholds(options, { cap: 10, timeoutMilliseconds: 5_000 })).toBe(3);
    expect(await repository.countHouseholds(options, { cap: 1, timeoutMilliseconds: 5_000 })).toBe(2);
  });

  it('gives up counting past the time limit, and estimates instead', async () => {
    const options = { scope: county, status: 'active' as const, monitoringCategory: 'marginal' };
    // Another session holds the table: the count would wait, so it must give up in time.
    const blocker = await database.pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE households IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      expect(
        await repository.countHouseholds(options, { cap: 10, timeoutMilliseconds: 100 }),
      ).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }
    expect(await repository.estimateHouseholds(options)).toBeGreaterThanOrEqual(1);
  });

  it('gives two households recorded in one village at the same time distinct local numbers', async () => {
    const record = () =>
      database.db.transaction().execute(async (trx) => {
        const householdNo = await repository.nextLocalHouseholdNo(trx, regions.renzhuang);
        // Both transactions read before either inserts, unless the village's lock orders them.
        await new Promise((resolve) => setTimeout(resolve, 100));
        await repository.insertHouseholdWithMembers(trx, { regionCode: regions.renzhuang, householdNo }, [
          { name: '张三', relation: 'head', status: 'active' },
        ]);
        return householdNo;
      });
    const numbers = await Promise.all([record(), record()]);
    expect(numbers.sort()).toEqual([`SW${regions.renzhuang}0001`, `SW${regions.renzhuang}0002`]);
  });

  it('answers nothing for an id that is not a number', async () => {
    expect(await repository.findHousehold({ id: 'abc', scope: county })).toBeUndefined();
    expect(await repository.findPerson({ id: '1; DROP TABLE persons', scope: county })).toBeUndefined();
  });
});
