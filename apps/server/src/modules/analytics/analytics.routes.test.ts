import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beijingToday } from '@shouwang/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../test/app.ts';
import { regions } from '../../../test/fixtures.ts';
import { insertHousehold } from '../../../test/registry-factory.ts';
import ExcelJS, { type Worksheet } from '../../excel.ts';

const run = promisify(execFile);
const cli = path.resolve(import.meta.dirname, '../../../bin/shouwang.js');
const year = Number(beijingToday().slice(0, 4));

let harness: TestApp;
let county: TestClient;
let village: TestClient;
let countyUsername: string;
let directory: string;

type View = {
  columns: Array<{ key: string; path: string[] }>;
  rows: Array<{ regionCode: string; regionName: string; values: number[] }>;
  totals: { regionCode: string; values: number[] };
  path: Array<{ code: string }>;
  referenceDate: string;
};
const cell = (view: View, row: { values: number[] }, key: string) => {
  const index = view.columns.findIndex((column) => column.key === key);
  if (index < 0) throw new Error(`no column ${key}`);
  return row.values[index] as number;
};

beforeAll(async () => {
  harness = await createTestApp();
  directory = await mkdtemp(path.join(os.tmpdir(), 'analytics-'));
  const db = harness.database.db;
  await harness.app.settings.setFromText('statisticsDate', `${year}-06-30`, 'test');
  // 城内村: a lifted household enjoying policy; a monitored ordinary household (one member deceased);
  // an ordinary household that is not counted. 任庄村: a lifted, monitored, eliminated household.
  // 中牟县: outside the county.
  await insertHousehold(db, {
    regionCode: regions.chengnei,
    householdType: 'lifted',
    policyEnjoyed: true,
    members: [{ birthDate: '1970-03-01' }, { birthDate: '1972-08-01' }, { birthDate: '2010-01-01' }],
  });
  await insertHousehold(db, {
    regionCode: regions.chengnei,
    householdType: 'ordinary',
    monitoringCategory: 'marginal',
    riskEliminated: false,
    identifiedAt: '202501',
    members: [{}, { status: 'deceased' }],
  });
  await insertHousehold(db, { regionCode: regions.chengnei, householdType: 'ordinary' });
  await insertHousehold(db, {
    regionCode: regions.renzhuang,
    householdType: 'lifted',
    policyEnjoyed: null,
    monitoringCategory: 'unstable_lifted',
    riskEliminated: true,
    identifiedAt: '202301',
    eliminatedAt: '202308',
    incomes: [
      { year: 2023, netIncomePerPerson: 7000 },
      { year, netIncomePerPerson: 12000, postNetIncomePerPerson: 9000 },
    ],
  });
  await insertHousehold(db, {
    regionCode: regions.rongzhuang,
    householdType: 'lifted',
    policyEnjoyed: true,
    members: [{}],
  });
  await harness.app.analytics.refresh('test');
  const countyUser = await harness.createUser({ role: 'county_user', regionCode: regions.lankao });
  countyUsername = countyUser.username;
  county = await harness.signIn(countyUser.username);
  const villageUser = await harness.createUser({ role: 'village_user', regionCode: regions.chengnei });
  village = await harness.signIn(villageUser.username);
});
afterAll(async () => {
  await harness?.close();
  await rm(directory, { recursive: true, force: true });
});

describe('GET /api/analytics/reports/:name', () => {
  it('answers the children of the region and the totals row, counting only the assisted population', async () => {
    const response = await county.get(`/api/analytics/reports/population?regionCode=${regions.lankao}`);
    expect(response.statusCode).toBe(200);
    const view = response.json() as View;
    expect(view.referenceDate).toBe(`${year}-06-30`);
    expect(view.rows.length).toBeGreaterThan(10);
    expect(view.totals.regionCode).toBe(regions.lankao);
    const totals = view.totals;
    expect(cell(view, totals, 'lifted.households')).toBe(2);
    expect(cell(view, totals, 'lifted.persons')).toBe(6);
    expect(cell(view, totals, 'lifted_enjoying.households')).toBe(1);
    expect(cell(view, totals, 'lifted_unrecorded.households')).toBe(1);
    expect(cell(view, totals, 'monitored.households')).toBe(2);
    expect(cell(view, totals, 'monitored.persons')).toBe(4);
    expect(cell(view, totals, 'category_marginal.persons')).toBe(1);
    expect(cell(view, totals, 'all.households')).toBe(3);
    expect(cell(view, totals, 'all.persons')).toBe(7);
    const guyang = view.rows.find((row) => row.regionCode === regions.guyang);
    expect(guyang && cell(view, guyang, 'all.persons')).toBe(7);
    expect(
      view.rows
        .filter((row) => row.regionCode !== regions.guyang)
        .every((row) => row.values.every((value) => value === 0)),
    ).toBe(true);
  });

  it('drills down to villages and applies the filters', async () => {
    const township = (
      await county.get(`/api/analytics/reports/population?regionCode=${regions.guyang}`)
    ).json() as View;
    const byCode = new Map(township.rows.map((row) => [row.regionCode, row]));
    expect(cell(township, byCode.get(regions.chengnei) as View['totals'], 'all.households')).toBe(2);
    expect(cell(township, byCode.get(regions.renzhuang) as View['totals'], 'all.households')).toBe(1);
    expect(township.path.map((item) => item.code)).toEqual([regions.lankao, regions.guyang]);

    const enjoying = (
      await county.get(
        `/api/analytics/reports/population?regionCode=${regions.lankao}&householdType=lifted_enjoying`,
      )
    ).json() as View;
    expect(cell(enjoying, enjoying.totals, 'all.households')).toBe(1);
    const notEliminated = (
      await county.get(`/api/analytics/reports/age?regionCode=${regions.lankao}&monitored=not_eliminated`)
    ).json() as View;
    expect(
      cell(notEliminated, notEliminated.totals, 'unknown.all') +
        cell(notEliminated, notEliminated.totals, '50_59.all') +
        cell(notEliminated, notEliminated.totals, '16_29.all') +
        cell(notEliminated, notEliminated.totals, '30_39.all') +
        cell(notEliminated, notEliminated.totals, '40_49.all') +
        cell(notEliminated, notEliminated.totals, '60_over.all') +
        cell(notEliminated, notEliminated.totals, 'under_16.all'),
    ).toBe(1);
  });

  it('takes ages, intervals and income changes at the reference date', async () => {
    const age = (
      await county.get(`/api/analytics/reports/age?regionCode=${regions.chengnei}`)
    ).json() as View;
    expect(age.rows).toEqual([]);
    // Born 1970-03-01, 1972-08-01 and 2010-01-01, at 30 June: 56, 53 and 16 in 2026.
    expect(cell(age, age.totals, '50_59.lifted_enjoying')).toBe(year - 1970 < 60 ? 2 : 1);
    expect(cell(age, age.totals, '16_29.lifted_enjoying')).toBe(
      year - 2010 >= 16 && year - 2010 <= 29 ? 1 : 0,
    );
    const interval = (
      await county.get(`/api/analytics/reports/elimination-interval?regionCode=${regions.lankao}`)
    ).json() as View;
    expect(cell(interval, interval.totals, '7.households')).toBe(1);
    const since = (
      await county.get(`/api/analytics/reports/time-since-identification?regionCode=${regions.lankao}`)
    ).json() as View;
    expect(cell(since, since.totals, 'over_12.households')).toBe(1);
    const income = (
      await county.get(`/api/analytics/reports/income-change?regionCode=${regions.lankao}`)
    ).json() as View;
    expect(cell(income, income.totals, 'higher.households')).toBe(1);
    const monthly = (
      await county.get(`/api/analytics/reports/monthly-new?regionCode=${regions.lankao}`)
    ).json() as View;
    expect(cell(monthly, monthly.totals, '202501.households')).toBe(1);
    expect(cell(monthly, monthly.totals, '202301.persons')).toBe(3);
    expect(monthly.columns.at(-1)?.path).toEqual([`${year}年`, '6月', '人数']);
  });

  it('answers a region outside the scope like a missing one, and refuses bad filters', async () => {
    const outside = await village.get(`/api/analytics/reports/population?regionCode=${regions.lankao}`);
    const missing = await village.get('/api/analytics/reports/population?regionCode=410225101999');
    expect(outside.statusCode).toBe(404);
    expect(outside.json().code).toBe(missing.json().code);
    const own = (
      await village.get(`/api/analytics/reports/population?regionCode=${regions.chengnei}`)
    ).json() as View;
    expect(cell(own, own.totals, 'all.households')).toBe(2);
    expect(own.path.map((item) => item.code)).toEqual([regions.chengnei]);
    expect(
      (await county.get(`/api/analytics/reports/nonsense?regionCode=${regions.lankao}`)).statusCode,
    ).toBe(400);
    expect(
      (await county.get(`/api/analytics/reports/age?regionCode=${regions.lankao}&householdType=x`))
        .statusCode,
    ).toBe(400);
    const wrongYear = await county.get(`/api/analytics/reports/age?regionCode=${regions.lankao}&year=2001`);
    expect(wrongYear.statusCode).toBe(400);
    expect(wrongYear.json().message).toContain('统计年度');
  });

  it('lets only administrators rebuild the cube', async () => {
    expect((await county.post('/api/analytics/refresh')).statusCode).toBe(403);
  });
});

describe('GET /api/analytics/reports/:name/export', () => {
  it('exports the view as shown, audited, with who and when, and LibreOffice reads its headers', async () => {
    const response = await county.get(
      `/api/analytics/reports/population?regionCode=${regions.lankao}`.replace(
        'population?',
        'population/export?',
      ),
    );
    expect(response.statusCode).toBe(200);
    const file = path.join(directory, 'population.xlsx');
    await writeFile(file, response.rawPayload);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.creator).toContain(countyUsername);
    const sheet = workbook.worksheets[0] as Worksheet;
    expect(String(sheet.getCell('A1').value)).toBe('河南省开封市兰考县帮扶对象基本情况');
    expect(String(sheet.getCell('A2').value)).toContain(`统计年度：${year}`);
    expect(String(sheet.getCell('A2').value)).toContain(`统计基准日：${year}-06-30`);
    expect(sheet.headerFooter.oddHeader).toContain(countyUsername);
    expect(sheet.headerFooter.oddFooter).toContain('导出时间');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 5 });
    // Three header rows: 脱贫户 over 小计 … over 户数/人数; 区划 spans all three.
    expect(sheet.getCell('A3').value).toBe('区划');
    expect(sheet.getCell('A5').isMerged).toBe(true);
    expect(sheet.getCell('B3').value).toBe('脱贫户');
    expect(sheet.getCell('I3').isMerged).toBe(true);
    expect(sheet.getCell('B4').value).toBe('小计');
    expect(sheet.getCell('B5').value).toBe('户数');
    expect(sheet.getCell('A6').value).toBe('合计');
    expect(sheet.getCell('B6').value).toBe(2);
    expect(sheet.getRow(7).getCell(1).value).toBe('兰阳街道');

    const audit = await harness.database.db
      .selectFrom('auditLog')
      .select(['actorUsername', 'targetId', 'detail'])
      .where('action', '=', 'analytics.export')
      .execute();
    expect(audit).toEqual([
      expect.objectContaining({ actorUsername: countyUsername, targetId: 'population' }),
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
    const csv = (await readFile(path.join(directory, 'population.csv'), 'utf8'))
      .replaceAll('"', '')
      .split('\n');
    expect(csv[0]).toContain('河南省开封市兰考县帮扶对象基本情况');
    expect(csv[2]).toMatch(/^区划,脱贫户,,,,,,,,监测对象,/);
    expect(csv[3]).toMatch(/^,小计,,享受政策,,不享受政策,,未记录,,小计,,风险已消除,,/);
    expect(csv[4]).toMatch(/^,户数,人数,户数,人数,/);
    expect(csv[5]).toMatch(/^合计,2,6,1,3,0,0,1,3,2,4,/);
  }, 180_000);
});

describe('shouwang report', () => {
  it('prints one row per child region and the total as JSON, and writes xlsx', async () => {
    const env = { ...process.env, DATABASE_URL: harness.database.url, SHOUWANG_PROVINCE: '41' };
    const { stdout } = await run('node', [cli, 'report', 'population', '--region', '410225101', '--json'], {
      env,
    });
    const printed = JSON.parse(stdout);
    expect(printed.rows.map((row: { regionCode: string }) => row.regionCode)).toContain(regions.chengnei);
    expect(
      printed.rows.find((row: { regionCode: string }) => row.regionCode === regions.chengnei)[
        'all.households'
      ],
    ).toBe(2);
    expect(printed.total).toMatchObject({
      regionCode: regions.guyang,
      'all.households': 3,
      'all.persons': 7,
    });
    const file = path.join(directory, 'cli.xlsx');
    await run('node', [cli, 'report', 'household-labour', '--region', '410225', '--xlsx', file], { env });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(String(workbook.worksheets[0]?.getCell('A1').value)).toBe(
      '河南省开封市兰考县帮扶对象家庭劳动力情况',
    );
    expect(workbook.creator).toBe('命令行（cli）');
  }, 120_000);
});
