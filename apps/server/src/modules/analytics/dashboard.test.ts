import { beijingToday } from '@shouwang/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../test/app.ts';
import { regions } from '../../../test/fixtures.ts';
import { insertHousehold } from '../../../test/registry-factory.ts';
import { DashboardService } from './dashboard.service.ts';

const year = Number(beijingToday().slice(0, 4));

let harness: TestApp;
let county: TestClient;
let village: TestClient;
let department: TestClient;

type View = {
  columns: Array<{ key: string }>;
  rows: Array<{ regionCode: string; values: number[] }>;
  totals: { values: number[] };
};
type Pair = { households: number; persons: number };
type Dashboard = {
  region: { code: string };
  year: number;
  headline: Record<
    | 'assisted'
    | 'lifted'
    | 'monitored'
    | 'eliminated'
    | 'notEliminated'
    | 'identifiedThisYear'
    | 'eliminatedThisYear',
    Pair
  > & {
    openFindings: number | null;
    openCases: number | null;
    overdueCases: number | null;
  };
  categories: Array<{ key: string; label: string } & Pair>;
  monthly: Array<{ month: string; identified: Pair; eliminated: Pair }>;
  structures: Array<{ key: string; items: Array<{ key: string; label: string; value: number }> }>;
  children: Array<{
    regionCode: string;
    regionName: string;
    assisted: Pair;
    monitoredHouseholds: number;
    monitoredShare: number;
  }>;
  qualityRanking: Array<{ regionCode: string; open: number; qualityRate: number }> | null;
};
const cell = (view: View, row: { values: number[] }, key: string) => {
  const index = view.columns.findIndex((column) => column.key === key);
  if (index < 0) throw new Error(`no column ${key}`);
  return row.values[index] as number;
};

beforeAll(async () => {
  harness = await createTestApp();
  const db = harness.database.db;
  await harness.app.settings.setFromText('statisticsDate', `${year}-06-30`, 'test');
  // 城内村: a lifted household; a monitored household identified this February (one member deceased).
  // 任庄村: a monitored household identified in 2023, eliminated this March. 中牟县: outside the county.
  await insertHousehold(db, { regionCode: regions.chengnei, householdType: 'lifted', policyEnjoyed: true });
  const monitored = await insertHousehold(db, {
    regionCode: regions.chengnei,
    householdType: 'ordinary',
    monitoringCategory: 'marginal',
    riskEliminated: false,
    identifiedAt: `${year}02`,
    members: [{ birthDate: '1980-05-01' }, { status: 'deceased' }],
  });
  await insertHousehold(db, {
    regionCode: regions.renzhuang,
    householdType: 'lifted',
    policyEnjoyed: false,
    monitoringCategory: 'unstable_lifted',
    riskEliminated: true,
    identifiedAt: '202301',
    eliminatedAt: `${year}03`,
    members: [{ birthDate: '1950-01-01' }, { birthDate: '2012-01-01' }],
  });
  await insertHousehold(db, { regionCode: regions.rongzhuang, householdType: 'lifted', policyEnjoyed: true });
  // One open finding and one open case in 城内村.
  const run = await db
    .insertInto('qualityRuns')
    .values({
      trigger: 'ui',
      status: 'succeeded',
      regionCode: regions.lankao,
      householdCount: null,
      startedBy: 'test',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const now = new Date();
  await db
    .insertInto('qualityFindings')
    .values({
      ruleCode: 'HH-001',
      householdId: monitored.id,
      personId: null,
      regionCode: regions.chengnei,
      status: 'open',
      firstSeenRun: run.id,
      firstSeenAt: now,
      lastSeenRun: run.id,
      lastSeenAt: now,
    })
    .execute();
  await db
    .insertInto('monitoringCases')
    .values({
      kind: 'elimination',
      regionCode: regions.chengnei,
      householdId: monitored.id,
      leadId: null,
      state: 'township_review',
      stepStartedAt: now,
      stepDueAt: new Date(now.getTime() + 86_400_000),
      chainDueAt: null,
      createdBy: null,
    })
    .execute();
  await harness.app.analytics.refresh('test');
  county = await harness.signIn(
    (await harness.createUser({ role: 'county_user', regionCode: regions.lankao })).username,
  );
  village = await harness.signIn(
    (await harness.createUser({ role: 'village_user', regionCode: regions.chengnei })).username,
  );
  department = await harness.signIn(
    (await harness.createUser({ role: 'department_user', regionCode: regions.lankao, department: '民政' }))
      .username,
  );
});
afterAll(async () => {
  await harness?.close();
});

async function dashboardOf(client: TestClient, regionCode: string): Promise<Dashboard> {
  const response = await client.get(`/api/analytics/dashboard?regionCode=${regionCode}&year=${year}`);
  expect(response.statusCode).toBe(200);
  return response.json() as Dashboard;
}
async function reportOf(client: TestClient, report: string, regionCode: string): Promise<View> {
  const response = await client.get(`/api/analytics/reports/${report}?regionCode=${regionCode}&year=${year}`);
  expect(response.statusCode).toBe(200);
  return response.json() as View;
}

describe(DashboardService.name, () => {
  // The county reads the cube, the township is counted live: both must equal the reports.
  for (const [level, regionCode] of [
    ['county', regions.lankao],
    ['township', regions.guyang],
  ] as const) {
    it(`shows the population and monthly-new report numbers of the same ${level} and year`, async () => {
      const [dashboard, population, monthlyNew, age] = await Promise.all([
        dashboardOf(county, regionCode),
        reportOf(county, 'population', regionCode),
        reportOf(county, 'monthly-new', regionCode),
        reportOf(county, 'age', regionCode),
      ]);
      const pair = (key: string) => ({
        households: cell(population, population.totals, `${key}.households`),
        persons: cell(population, population.totals, `${key}.persons`),
      });
      expect(dashboard.year).toBe(year);
      expect(dashboard.headline.assisted).toEqual(pair('all'));
      expect(dashboard.headline.lifted).toEqual(pair('lifted'));
      expect(dashboard.headline.monitored).toEqual(pair('monitored'));
      expect(dashboard.headline.eliminated).toEqual(pair('monitored_eliminated'));
      expect(dashboard.headline.notEliminated).toEqual(pair('monitored_not_eliminated'));
      // The fixtures, so that the equalities above are not 0 = 0.
      expect(dashboard.headline.assisted).toEqual({ households: 3, persons: 6 });
      expect(dashboard.headline.monitored).toEqual({ households: 2, persons: 3 });
      expect(dashboard.categories.find((item) => item.key === 'marginal')).toMatchObject({
        label: '边缘易致贫户',
        ...pair('category_marginal'),
      });

      for (const entry of dashboard.monthly) {
        const key = entry.month.replace('-', '');
        expect(entry.identified).toEqual({
          households: cell(monthlyNew, monthlyNew.totals, `${key}.households`),
          persons: cell(monthlyNew, monthlyNew.totals, `${key}.persons`),
        });
      }
      expect(dashboard.monthly[0]?.month).toBe('2021-01');
      expect(dashboard.monthly.at(-1)?.month).toBe(`${year}-06`);
      expect(dashboard.monthly.reduce((sum, entry) => sum + entry.identified.households, 0)).toBe(
        cell(monthlyNew, monthlyNew.totals, 'all.households'),
      );
      expect(dashboard.headline.identifiedThisYear).toEqual({ households: 1, persons: 1 });
      expect(dashboard.monthly.find((entry) => entry.month === `${year}-03`)?.eliminated).toEqual({
        households: 1,
        persons: 2,
      });
      expect(dashboard.headline.eliminatedThisYear).toEqual({ households: 1, persons: 2 });

      const ages = dashboard.structures.find((structure) => structure.key === 'age');
      expect(ages?.items.map((item) => item.value)).toEqual(
        ages?.items.map((item) => cell(age, age.totals, `${item.key}.all`)),
      );
      expect(ages?.items.find((item) => item.key === '60_over')).toMatchObject({
        label: '60岁及以上',
        value: 1,
      });

      expect(dashboard.children.map((child) => child.regionCode)).toEqual(
        population.rows.map((row) => row.regionCode),
      );
      for (const child of dashboard.children) {
        const row = population.rows.find(
          (item) => item.regionCode === child.regionCode,
        ) as View['rows'][number];
        expect(child.assisted.households).toBe(cell(population, row, 'all.households'));
        expect(child.monitoredHouseholds).toBe(cell(population, row, 'monitored.households'));
      }
    });
  }

  it('compares the child regions and ranks them by quality when there are findings', async () => {
    const dashboard = await dashboardOf(county, regions.lankao);
    const guyang = dashboard.children.find((child) => child.regionCode === regions.guyang);
    expect(guyang).toMatchObject({ regionName: '堌阳镇', monitoredHouseholds: 2 });
    expect(guyang?.monitoredShare).toBeCloseTo(2 / 3);
    expect(dashboard.headline.openFindings).toBe(1);
    expect(dashboard.headline.openCases).toBe(1);
    expect(dashboard.qualityRanking?.find((item) => item.regionCode === regions.guyang)).toMatchObject({
      open: 1,
    });
    // Best first: a township without findings ranks above 堌阳镇.
    expect(dashboard.qualityRanking?.at(-1)?.regionCode).toBe(regions.guyang);
  });

  it('leaves out what the caller may not read', async () => {
    const dashboard = await dashboardOf(department, regions.lankao);
    expect(dashboard.headline.assisted.households).toBe(3);
    expect(dashboard.headline.openFindings).toBe(1);
    expect(dashboard.headline.openCases).toBeNull();
  });

  it('defaults to the caller’s own region', async () => {
    const response = await village.get('/api/analytics/dashboard');
    expect(response.statusCode).toBe(200);
    const dashboard = response.json() as Dashboard;
    expect(dashboard.region.code).toBe(regions.chengnei);
    expect(dashboard.headline.assisted).toEqual({ households: 2, persons: 4 });
    expect(dashboard.children).toEqual([]);
    expect(dashboard.qualityRanking).toBeNull();
  });

  it('refuses another county like a region that does not exist, and a year the cube does not have', async () => {
    const outside = await county.get(`/api/analytics/dashboard?regionCode=${regions.zhongmou}`);
    const missing = await county.get('/api/analytics/dashboard?regionCode=410225999000');
    expect(outside.statusCode).toBe(404);
    expect(outside.json().code).toBe(missing.json().code);
    expect((await village.get(`/api/analytics/dashboard?regionCode=${regions.lankao}`)).statusCode).toBe(404);
    const badYear = await county.get(`/api/analytics/dashboard?regionCode=${regions.lankao}&year=2001`);
    expect(badYear.statusCode).toBe(400);
  });
});
