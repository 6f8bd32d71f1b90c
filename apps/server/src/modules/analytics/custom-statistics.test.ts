import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beijingToday } from '@shouwang/domain';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../test/app.ts';
import { regions } from '../../../test/fixtures.ts';
import { type InsertedHousehold, insertHousehold } from '../../../test/registry-factory.ts';
import ExcelJS, { type Worksheet } from '../../excel.ts';
import { CustomStatisticsService } from './custom-statistics.service.ts';

const run = promisify(execFile);
const year = Number(beijingToday().slice(0, 4));

let harness: TestApp;
let county: TestClient;
let countyUsername: string;
let otherCounty: TestClient;
let village: TestClient;
let directory: string;
let nanzhangVillage: string;
let disabledHousehold: InsertedHousehold;

const query = (values: Record<string, string | number>) =>
  new URLSearchParams(
    Object.entries(values).map(([key, value]): [string, string] => [key, String(value)]),
  ).toString();

beforeAll(async () => {
  harness = await createTestApp();
  directory = await mkdtemp(path.join(os.tmpdir(), 'custom-statistics-'));
  const db = harness.database.db;
  await harness.app.settings.setFromText('statisticsDate', `${year}-06-30`, 'test');
  const firstVillage = await db
    .selectFrom('regions')
    .select('code')
    .where('parentCode', '=', regions.nanzhang)
    .orderBy('code')
    .executeTakeFirstOrThrow();
  nanzhangVillage = firstVillage.code;
  // 城内村: a lifted household with a seriously ill spouse; an ordinary household whose seriously ill
  // member is deceased (not counted). 任庄村: a lifted household with a disabled head. 南彰镇: an ordinary
  // household with a disabled child. 中牟县 (outside the county): a lifted household with a seriously ill head.
  await insertHousehold(db, {
    regionCode: regions.chengnei,
    householdType: 'lifted',
    members: [{ name: '张建国' }, { name: '王秀兰', health: 'serious_illness' }, {}],
  });
  await insertHousehold(db, {
    regionCode: regions.chengnei,
    householdType: 'ordinary',
    members: [{}, { status: 'deceased', health: 'serious_illness' }],
  });
  disabledHousehold = await insertHousehold(db, {
    regionCode: regions.renzhuang,
    householdType: 'lifted',
    members: [{ health: 'disabled', name: '李&<残>' }, {}, {}, {}],
  });
  await insertHousehold(db, {
    regionCode: nanzhangVillage,
    householdType: 'ordinary',
    members: [{}, {}, { health: 'disabled' }],
  });
  await insertHousehold(db, {
    regionCode: regions.rongzhuang,
    householdType: 'lifted',
    members: [{ health: 'serious_illness' }],
  });
  const countyUser = await harness.createUser({ role: 'county_user', regionCode: regions.lankao });
  countyUsername = countyUser.username;
  county = await harness.signIn(countyUser.username);
  otherCounty = await harness.signIn(
    (await harness.createUser({ role: 'county_user', regionCode: regions.zhongmou })).username,
  );
  village = await harness.signIn(
    (await harness.createUser({ role: 'village_user', regionCode: regions.chengnei })).username,
  );
});

afterAll(async () => {
  await harness?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
});

const illness = { expression: 'health in ["患有大病", "残疾"]', scope: 'person' };
const lifted = { expression: 'householdType = "脱贫户"', scope: 'household' };

/** Plain SQL over the registry: the reference the counts must equal. */
async function plainCounts(condition: 'illness' | 'lifted', prefix: string) {
  const db = harness.database.db;
  if (condition === 'illness') {
    const result = await sql<{ households: string; persons: string }>`
      SELECT count(DISTINCT p.household_id) AS households, count(*) AS persons
      FROM persons p JOIN households h ON h.id = p.household_id
      WHERE p.status = 'active' AND h.status = 'active' AND p.health IN ('serious_illness', 'disabled')
        AND h.region_code LIKE ${`${prefix}%`}`.execute(db);
    return { households: Number(result.rows[0]?.households), persons: Number(result.rows[0]?.persons) };
  }
  const result = await sql<{ households: string; persons: string }>`
    SELECT count(*) AS households,
      coalesce(sum((SELECT count(*) FROM persons p WHERE p.household_id = h.id AND p.status = 'active')), 0) AS persons
    FROM households h
    WHERE h.status = 'active' AND h.household_type = 'lifted' AND h.region_code LIKE ${`${prefix}%`}`.execute(
    db,
  );
  return { households: Number(result.rows[0]?.households), persons: Number(result.rows[0]?.persons) };
}

type CountView = {
  region: { code: string };
  rows: Array<{ regionCode: string; regionName: string; households: number; persons: number }>;
  totals: { households: number; persons: number };
  path: Array<{ code: string }>;
};

describe('GET /api/analytics/custom/counts', () => {
  it('counts persons and their households per township of the county, equal to plain SQL', async () => {
    const response = await county.get(`/api/analytics/custom/counts?${query(illness)}`);
    expect(response.statusCode).toBe(200);
    const view = response.json() as CountView;
    // Defaults to the caller's county; rows are its townships.
    expect(view.region.code).toBe(regions.lankao);
    expect(view.totals).toMatchObject(await plainCounts('illness', '410225'));
    expect(view.totals).toMatchObject({ households: 3, persons: 3 });
    const guyang = view.rows.find((row) => row.regionCode === regions.guyang);
    expect(guyang).toMatchObject(await plainCounts('illness', '410225101'));
    expect(guyang).toMatchObject({ households: 2, persons: 2 });
    expect(view.rows.find((row) => row.regionCode === regions.nanzhang)).toMatchObject(
      await plainCounts('illness', '410225102'),
    );
    expect(view.rows.reduce((sum, row) => sum + row.persons, 0)).toBe(view.totals.persons);
  });

  it('counts households and all their active members for a household expression, and drills down', async () => {
    const township = await county.get(
      `/api/analytics/custom/counts?${query({ ...lifted, regionCode: regions.guyang })}`,
    );
    expect(township.statusCode).toBe(200);
    const view = township.json() as CountView;
    expect(view.totals).toMatchObject(await plainCounts('lifted', '410225101'));
    expect(view.totals).toMatchObject({ households: 2, persons: 7 });
    expect(view.rows.find((row) => row.regionCode === regions.chengnei)).toMatchObject({
      households: 1,
      persons: 3,
    });
    expect(view.path.map((item) => item.code)).toEqual([regions.lankao, regions.guyang]);
    // A village has no children: the total alone.
    const villageView = (
      await county.get(`/api/analytics/custom/counts?${query({ ...lifted, regionCode: regions.renzhuang })}`)
    ).json() as CountView;
    expect(villageView.rows).toEqual([]);
    expect(villageView.totals).toMatchObject({ households: 1, persons: 4 });
  });

  it('answers a region outside the caller’s county like a missing one', async () => {
    const outside = await county.get(
      `/api/analytics/custom/counts?${query({ ...illness, regionCode: regions.zhongmou })}`,
    );
    expect(outside.statusCode).toBe(404);
    // The other county sees its own household only, never 兰考县's.
    const own = (await otherCounty.get(`/api/analytics/custom/counts?${query(illness)}`)).json() as CountView;
    expect(own.totals).toMatchObject({ households: 1, persons: 1 });
  });

  it('locates a parse error with line and column', async () => {
    const response = await county.get(
      `/api/analytics/custom/counts?${query({ expression: 'age >= 60 and\n  healht = "残疾"', scope: 'person' })}`,
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'analytics.invalid_expression',
      details: { line: 2, column: 3 },
    });
    const check = await village.post('/api/analytics/custom/check', {
      expression: 'age >=',
      scope: 'person',
    });
    expect(check.statusCode).toBe(200);
    expect(check.json()).toMatchObject({ ok: false, error: { line: 1 } });
  });
});

describe('GET /api/analytics/custom/persons', () => {
  it('pages the selected persons with the ID number masked', async () => {
    const first = await county.get(`/api/analytics/custom/persons?${query({ ...lifted, pageSize: 5 })}`);
    expect(first.statusCode).toBe(200);
    const page = first.json() as {
      total: number;
      items: Array<{ name: string; idNumber: string; villageName: string; relation: string; age: number }>;
    };
    expect(page.total).toBe(7);
    expect(page.items).toHaveLength(5);
    const second = (
      await county.get(`/api/analytics/custom/persons?${query({ ...lifted, pageSize: 5, page: 2 })}`)
    ).json() as typeof page;
    expect(second.items).toHaveLength(2);
    const head = page.items.find((item) => item.name === '张建国');
    expect(head).toMatchObject({ villageName: '城内村', relation: '户主' });
    expect(head?.idNumber).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    expect(head?.age).toBeGreaterThan(40);
  });
});

describe('the selection cache', () => {
  it('answers the counts and pages from one evaluation until the registry changes or it ages', async () => {
    const db = harness.database.db;
    // One query of its own, so that no other test's reads share its selection.
    const malady = { expression: 'health in ["患有大病", "残疾"] and not blank(name)', scope: 'person' };
    const before = (await county.get(`/api/analytics/custom/counts?${query(malady)}`)).json() as CountView & {
      dataDate: string;
    };
    expect(before.totals).toMatchObject(await plainCounts('illness', '410225'));
    // A change the registry's listeners are not told of: the selection is read again as it was.
    const healthy = await db
      .selectFrom('persons')
      .select(['id', 'householdId', 'health'])
      .where('regionCode', 'like', '410225%')
      .where('status', '=', 'active')
      .where('health', '=', 'healthy')
      .where('name', 'is not', null)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await db.updateTable('persons').set({ health: 'disabled' }).where('id', '=', healthy.id).execute();
    try {
      const cached = (await county.get(`/api/analytics/custom/counts?${query(malady)}`)).json();
      expect(cached.totals).toEqual(before.totals);
      expect(cached.dataDate).toBe(before.dataDate);
      const page = (await county.get(`/api/analytics/custom/persons?${query(malady)}`)).json();
      expect(page.total).toBe(before.totals.persons);

      // Told of the change, the next count evaluates the expression again.
      await harness.app.registry.householdsChanged([healthy.householdId]);
      const changed = (await county.get(`/api/analytics/custom/counts?${query(malady)}`)).json();
      expect(changed.totals.persons).toBe(before.totals.persons + 1);
      expect(changed.totals).toMatchObject(await plainCounts('illness', '410225'));

      // A selection older than its lifetime is evaluated anew as well.
      await db.updateTable('persons').set({ health: 'healthy' }).where('id', '=', healthy.id).execute();
      await sql`UPDATE custom_statistic_selections SET created_at = created_at - interval '11 minutes'`.execute(
        db,
      );
      const aged = (await county.get(`/api/analytics/custom/counts?${query(malady)}`)).json();
      expect(aged.totals).toEqual(before.totals);
    } finally {
      await db.updateTable('persons').set({ health: healthy.health }).where('id', '=', healthy.id).execute();
      await harness.app.registry.householdsChanged([healthy.householdId]);
    }
  });
});

describe('the selection cache, asked twice at once', () => {
  it('evaluates the expression once and answers both from it', async () => {
    const db = harness.database.db;
    const elders = { expression: 'age >= 70 and not blank(idNumber)', scope: 'person' };
    await harness.app.customStatistics.registryChanged();
    const [one, two] = await Promise.all([
      county.get(`/api/analytics/custom/counts?${query(elders)}`),
      county.get(`/api/analytics/custom/persons?${query(elders)}`),
    ]);
    expect(one.statusCode).toBe(200);
    expect(two.statusCode).toBe(200);
    expect(two.json().total).toBe(one.json().totals.persons);
    // One selection row for the key, its hits stored once.
    const stored = await sql<{ selections: string; hits: string }>`
      SELECT count(*) AS selections, sum(hit_count) AS hits FROM custom_statistic_selections`.execute(db);
    const hits = await sql<{
      rows: string;
    }>`SELECT count(*) AS rows FROM custom_statistic_selection_hits`.execute(db);
    expect(Number(stored.rows[0]?.selections)).toBe(1);
    expect(Number(hits.rows[0]?.rows)).toBe(Number(stored.rows[0]?.hits));
  });
});

describe('exports', () => {
  it('exports every selected person, audited with the expression and row count; ExcelJS and LibreOffice read it', async () => {
    const response = await county.get(
      `/api/analytics/custom/persons/export?${query({ ...illness, title: '因病因残人员' })}`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toContain(encodeURIComponent('因病因残人员'));
    const file = path.join(directory, 'persons.xlsx');
    await writeFile(file, response.rawPayload);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.creator).toContain(countyUsername);
    expect(workbook.title).toBe('河南省开封市兰考县因病因残人员人员名单');
    const sheet = workbook.worksheets[0] as Worksheet;
    expect(String(sheet.getCell('A1').value)).toBe('河南省开封市兰考县因病因残人员人员名单');
    expect(String(sheet.getCell('A2').value)).toContain('health in ["患有大病", "残疾"]');
    expect(String(sheet.getCell('A3').value)).toContain(countyUsername);
    expect(sheet.getCell('A1').isMerged).toBe(true);
    expect(sheet.headerFooter.oddHeader).toContain(countyUsername);
    expect(sheet.headerFooter.oddFooter).toContain('导出时间');
    expect(sheet.getRow(4).getCell(1).value).toBe('序号');
    expect(sheet.getRow(4).getCell(6).value).toBe('姓名');
    const dataRows = [5, 6, 7].map((number) => sheet.getRow(number));
    expect(dataRows.map((row) => row.getCell(1).value)).toEqual([1, 2, 3]);
    expect(sheet.getRow(8).getCell(1).value).toBe(null);
    const names = dataRows.map((row) => row.getCell(6).value);
    expect(names).toContain('王秀兰');
    expect(names).toContain('李&<残>');
    for (const row of dataRows) expect(String(row.getCell(7).value)).toMatch(/^\d{4}\*+[\dX]{4}$/);

    const audit = await harness.database.db
      .selectFrom('auditLog')
      .select(['actorUsername', 'targetId', 'regionCode', 'detail'])
      .where('action', '=', 'analytics.custom_export')
      .execute();
    expect(audit).toEqual([
      expect.objectContaining({
        actorUsername: countyUsername,
        targetId: 'persons',
        regionCode: regions.lankao,
        detail: expect.objectContaining({ expression: illness.expression, rows: 3, scope: 'person' }),
      }),
    ]);

    const profile = path.join(directory, 'libreoffice-profile');
    await run(
      'soffice',
      [
        `-env:UserInstallation=file://${profile}`,
        '--headless',
        '--convert-to',
        'csv:Text - txt - csv (StarCalc):44,34,76,1',
        '--outdir',
        directory,
        file,
      ],
      { timeout: 120_000 },
    );
    const csv = (await readFile(path.join(directory, 'persons.csv'), 'utf8')).replaceAll('"', '').split('\n');
    expect(csv[0]).toContain('河南省开封市兰考县因病因残人员人员名单');
    expect(csv[3]).toMatch(/^序号,县（市、区）,乡（镇）,村,户编号,姓名,证件号码,/);
    expect(csv.slice(4).some((line) => line.startsWith('1,兰考县,'))).toBe(true);
    expect(csv.slice(4).some((line) => line.includes('李&<残>'))).toBe(true);
  }, 180_000);

  it('exports the counts as a report sheet with the totals first', async () => {
    const response = await county.get(`/api/analytics/custom/counts/export?${query(lifted)}`);
    expect(response.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0] as Worksheet;
    expect(String(sheet.getCell('A1').value)).toBe('河南省开封市兰考县定制化统计');
    expect(String(sheet.getCell('A2').value)).toContain('householdType = "脱贫户"');
    expect(sheet.getCell('B3').value).toBe('户数');
    expect(sheet.getRow(4).values).toEqual([undefined, '合计', 2, 7]);
    expect(workbook.creator).toContain(countyUsername);
  });

  it('refuses an export to a user without the export permission', async () => {
    await harness.database.db
      .deleteFrom('rolePermissions')
      .where('roleCode', '=', 'village_user')
      .where('permission', '=', 'analytics:export')
      .execute();
    const response = await village.get(`/api/analytics/custom/persons/export?${query(illness)}`);
    expect(response.statusCode).toBe(403);
    await harness.database.db
      .insertInto('rolePermissions')
      .values({ roleCode: 'village_user', permission: 'analytics:export' })
      .execute();
  });
});

describe('saved statistics', () => {
  it('lists and deletes only the caller’s own', async () => {
    const saved = await county.post('/api/analytics/custom/saved', {
      name: '因病因残',
      ...illness,
      note: '每月报县里',
    });
    expect(saved.statusCode).toBe(200);
    const id = saved.json().id as string;
    expect(
      (await county.post('/api/analytics/custom/saved', { name: '因病因残', ...lifted })).statusCode,
    ).toBe(409);
    expect(
      (
        await county.post('/api/analytics/custom/saved', {
          name: '错误',
          expression: 'age >',
          scope: 'person',
        })
      ).statusCode,
    ).toBe(400);

    expect((await county.get('/api/analytics/custom/saved')).json().items).toEqual([
      expect.objectContaining({ id, name: '因病因残', expression: illness.expression, note: '每月报县里' }),
    ]);
    expect((await otherCounty.get('/api/analytics/custom/saved')).json().items).toEqual([]);
    expect((await otherCounty.delete(`/api/analytics/custom/saved/${id}`)).statusCode).toBe(404);
    expect((await county.get('/api/analytics/custom/saved')).json().items).toHaveLength(1);
    expect((await county.delete(`/api/analytics/custom/saved/${id}`)).statusCode).toBe(204);
    expect((await county.get('/api/analytics/custom/saved')).json().items).toEqual([]);
  });
});

describe(CustomStatisticsService.name, () => {
  it('streams a large list in batches from the cursor, in list order', async () => {
    const service = harness.app.customStatistics;
    const output = new (await import('node:stream')).PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    const rows = await service.exportPersons(
      harness.system,
      { expression: 'age >= 0 or blank(birthDate)', scope: 'person', regionCode: regions.lankao },
      { output },
    );
    expect(rows).toBe(11);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0] as Worksheet;
    expect(sheet.getRow(4 + rows).getCell(1).value).toBe(rows);
    // The disabled head of 任庄村 comes first in that household.
    const households = Array.from({ length: rows }, (_, index) => sheet.getRow(5 + index).getCell(5).value);
    const first = households.indexOf(disabledHousehold.householdNo);
    expect(sheet.getRow(5 + first).getCell(8).value).toBe('户主');
  });

  it('gives up a count or a page past its time limit with a clear refusal, and frees the connection', async () => {
    const app = harness.app;
    const service = new CustomStatisticsService(app.db, app.regions, app.settings, app.audit, {
      statementTimeoutMilliseconds: 300,
    });
    const query = { expression: 'age >= 60', scope: 'person' as const, regionCode: regions.lankao };
    // Another session holds the persons table: the statement waits on it until its limit.
    const blocker = await harness.database.pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE persons IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      await expect(service.count(harness.system, query)).rejects.toMatchObject({
        code: 'analytics.statistic_timed_out',
        statusCode: 503,
      });
      await expect(
        service.listPersons(harness.system, { ...query, page: 1, pageSize: 20 }),
      ).rejects.toMatchObject({ code: 'analytics.statistic_timed_out' });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }
    // The limit was the transaction's own: the same service answers once nothing blocks it.
    expect((await service.count(harness.system, query)).totals.persons).toBeGreaterThanOrEqual(0);
  });
});
