import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { regions } from '../../../test/fixtures.ts';
import { insertHousehold } from '../../../test/registry-factory.ts';
import { EditedCountiesRefresh } from './analytics-edits.ts';

let harness: TestApp;

beforeAll(async () => {
  harness = await createTestApp();
  const db = harness.database.db;
  for (const [regionCode, count] of [
    [regions.chengnei, 3],
    [regions.renzhuang, 2],
    [regions.rongzhuang, 2],
  ] as const) {
    for (let index = 0; index < count; index += 1) {
      await insertHousehold(db, {
        regionCode,
        householdType: index % 2 === 0 ? 'lifted' : 'ordinary',
        monitoringCategory: index % 2 === 0 ? null : 'marginal',
        identifiedAt: index % 2 === 0 ? null : '202403',
        riskEliminated: index % 2 === 0 ? null : false,
        risks: index % 2 === 0 ? [] : ['illness'],
      });
    }
  }
});
afterAll(async () => {
  await harness?.close();
});

/** The whole cube as sorted lines, to compare one build with another. */
async function cubeLines(): Promise<string[]> {
  const { rows } = await sql<{ line: string }>`
    SELECT concat_ws('|', statistics_year, region_level, region_code, lifted_status, monitored_status,
      monitoring_category, dimension, period, value, households, persons) AS line
    FROM analytics_cube ORDER BY 1`.execute(harness.database.db);
  return rows.map((row) => row.line);
}

describe('AnalyticsService.refresh', () => {
  it('recomputes only the counties named, with the same cube a full rebuild gives', async () => {
    const analytics = harness.app.analytics;
    const full = await analytics.refresh('test');
    expect(full.counties).toBeUndefined();
    const before = await cubeLines();
    expect(before.some((line) => line.includes('|410122000000|'))).toBe(true);

    const db = harness.database.db;
    // A new monitored household in 兰考县, one household moved from 中牟县 to 兰考县, one eliminated.
    await insertHousehold(db, {
      regionCode: regions.renzhuang,
      householdType: 'ordinary',
      monitoringCategory: 'sudden_hardship',
      identifiedAt: '202405',
      riskEliminated: false,
      members: [{}, {}, {}, {}],
    });
    const moved = await sql<{ id: string }>`
      SELECT id FROM households WHERE region_code = ${regions.rongzhuang} ORDER BY id LIMIT 1`.execute(db);
    await sql`UPDATE households SET region_code = ${regions.chengnei} WHERE id = ${moved.rows[0]?.id}`.execute(
      db,
    );
    await sql`UPDATE persons SET region_code = ${regions.chengnei} WHERE household_id = ${moved.rows[0]?.id}`.execute(
      db,
    );
    await sql`
      UPDATE households SET risk_eliminated = true, eliminated_at = '202409', elimination_method = 'assisted'
      WHERE id = (SELECT id FROM households WHERE region_code = ${regions.chengnei}
        AND monitoring_category IS NOT NULL ORDER BY id LIMIT 1)`.execute(db);

    const partial = await analytics.refresh('test', { counties: ['410225', '410122'] });
    expect(partial.counties).toEqual(['410225', '410122']);
    const afterPartial = await cubeLines();
    expect(afterPartial).not.toEqual(before);

    const rebuilt = await analytics.refresh('test');
    expect(rebuilt.counties).toBeUndefined();
    expect(afterPartial).toEqual(await cubeLines());
    expect(partial.cubeRows).toBe(rebuilt.cubeRows);
  });

  it('leaves a county it was not told about as it was (and a full rebuild then catches up)', async () => {
    const analytics = harness.app.analytics;
    await analytics.refresh('test');
    await insertHousehold(harness.database.db, {
      regionCode: regions.rongzhuang,
      householdType: 'lifted',
      members: [{}, {}],
    });
    const before = await cubeLines();
    await analytics.refresh('test', { counties: ['410225'] });
    const zhongmou = (lines: string[]) => lines.filter((line) => line.includes('|county|410122000000|'));
    expect(zhongmou(await cubeLines())).toEqual(zhongmou(before));
    await analytics.refresh('test');
    expect(zhongmou(await cubeLines())).not.toEqual(zhongmou(before));
  });

  it('rebuilds the whole cube when the reference dates changed since the last build', async () => {
    const analytics = harness.app.analytics;
    await analytics.refresh('test');
    const year = new Date().getUTCFullYear();
    await harness.app.settings.setFromText('statisticsDate', `${year}-03-31`, 'test');
    const result = await analytics.refresh('test', { counties: ['410225'] });
    expect(result.counties).toBeUndefined();
    expect(result.referenceDates[String(year)]).toBe(`${year}-03-31`);
  });
});

describe('AnalyticsRepository.rebuild', () => {
  it('keeps the old cube for readers while building, and after a build killed midway', async () => {
    const analytics = harness.app.analytics;
    const db = harness.database.db;
    await analytics.refresh('test');
    const before = await cubeLines();
    await insertHousehold(db, { regionCode: regions.renzhuang, householdType: 'lifted', members: [{}, {}] });

    // Hold the workers of the next build on a lock (only they read persons), after the building table
    // was created.
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = () => {};
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const blocker = db.transaction().execute(async (trx) => {
      await sql`LOCK TABLE persons IN ACCESS EXCLUSIVE MODE`.execute(trx);
      locked();
      await released;
    });
    try {
      await isLocked;
      const refresh = analytics.refresh('test');
      refresh.catch(() => {});
      const waiting = async () => {
        const { rows } = await sql<{ pid: number }>`
          SELECT pid FROM pg_stat_activity
          WHERE query LIKE '%INSERT INTO analytics_cube_building%' AND wait_event_type = 'Lock'`.execute(db);
        return rows.length;
      };
      await expect.poll(waiting, { timeout: 20_000 }).toBeGreaterThan(0);
      // Readers see the old cube meanwhile.
      expect(await cubeLines()).toEqual(before);

      // Killed: the workers and the session that holds the refresh lock.
      await sql`
        SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE pid <> pg_backend_pid() AND (query LIKE '%INSERT INTO analytics_cube_building%'
          OR pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted))`.execute(db);
      await expect(refresh).rejects.toThrow();
    } finally {
      release();
      await blocker;
    }
    expect(await cubeLines()).toEqual(before);

    // The next build starts over and counts the new household.
    const result = await analytics.refresh('test');
    const after = await cubeLines();
    expect(after).not.toEqual(before);
    expect(after.length).toBe(result.cubeRows);
    const leftover = await sql<{ name: string | null }>`
      SELECT to_regclass('analytics_cube_building')::text AS name`.execute(db);
    expect(leftover.rows[0]?.name).toBeNull();
  });

  it('runs one build at a time: refreshes started together give the same cube', async () => {
    const analytics = harness.app.analytics;
    const results = await Promise.all([analytics.refresh('test'), analytics.refresh('test')]);
    expect(results[0].cubeRows).toBe(results[1].cubeRows);
    expect((await cubeLines()).length).toBe(results[0].cubeRows);
  });
});

describe(EditedCountiesRefresh.name, () => {
  it("refreshes the edited households' counties together, once the delay has passed", async () => {
    const analytics = harness.app.analytics;
    await analytics.refresh('test');
    const db = harness.database.db;
    const lankao = (lines: string[]) => lines.filter((line) => line.includes('|county|410225000000|'));
    const before = await cubeLines();
    const household = await insertHousehold(db, {
      regionCode: regions.chengnei,
      householdType: 'lifted',
      members: [{}, {}, {}],
    });
    const errors: unknown[] = [];
    const edits = new EditedCountiesRefresh(analytics, (error) => errors.push(error), 200);
    try {
      await edits.householdsChanged([household.id]);
      await edits.householdsChanged([household.id, 'not an id']);
      expect(lankao(await cubeLines())).toEqual(lankao(before));
      await expect
        .poll(async () => lankao(await cubeLines()), { timeout: 20_000 })
        .not.toEqual(lankao(before));
      // Recorded just after the cube's commit, which the poll above may see first.
      await expect
        .poll(async () => (await analytics.latestRefresh())?.trigger, { timeout: 20_000 })
        .toBe('edit');
      expect(errors).toEqual([]);
    } finally {
      await edits.stop();
    }
  });
});

describe('RegistryService.listCountiesMovedFrom', () => {
  it('names the counties a batch moved households out of', async () => {
    const db = harness.database.db;
    const batch = await sql<{ id: string }>`
      INSERT INTO import_batches (kind, file_name, status, region_code)
      VALUES ('national', 'moved.csv', 'succeeded', ${regions.province}) RETURNING id`.execute(db);
    const batchId = batch.rows[0]?.id ?? '';
    const household = await sql<{ id: string }>`SELECT id FROM households ORDER BY id LIMIT 1`.execute(db);
    await sql`
      INSERT INTO field_history (entity, household_id, region_code, field, old_value, new_value, source, batch_id)
      VALUES ('household', ${household.rows[0]?.id}, ${regions.chengnei}, 'regionCode', ${regions.rongzhuang},
        ${regions.chengnei}, 'national_sync', ${batchId}),
        ('household', ${household.rows[0]?.id}, ${regions.chengnei}, 'householdType', 'ordinary', 'lifted',
        'national_sync', ${batchId})`.execute(db);
    expect(await harness.app.registry.listCountiesMovedFrom(batchId)).toEqual(['410122']);
    expect(await harness.app.registry.listCountiesMovedFrom('1 OR true')).toEqual([]);
  });
});
