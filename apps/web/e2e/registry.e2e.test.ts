import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regions, testPassword } from '../../server/test/fixtures.ts';
import { type InsertedHousehold, insertHousehold } from '../../server/test/registry-factory.ts';
import { type E2eServer, screenshotDir, signInThroughPage, startE2eServer } from './browser.ts';

let server: E2eServer;
let monitored: InsertedHousehold;

beforeAll(async () => {
  server = await startE2eServer();
  const db = server.harness.database.db;
  monitored = await insertHousehold(db, {
    regionCode: regions.chengnei,
    householdType: 'ordinary',
    monitoringCategory: 'marginal',
    identifiedAt: '202303',
    riskEliminated: false,
    risks: ['illness', 'schooling'],
    members: [
      { name: '张建国', health: 'chronic_illness' },
      { name: '王秀兰' },
      { name: '张小明', birthDate: '2012-05-06', schooling: 'grade_7', education: null },
    ],
    incomes: [
      {
        year: 2024,
        netIncomePerPerson: 8650,
        wageIncome: 18000,
        transferIncome: 4200,
        eligibleMedicalCost: 3100,
      },
    ],
    measures: [
      { category: 'health', value: '城乡居民基本医疗保险个人缴费补贴' },
      { category: 'education', value: '雨露计划' },
    ],
  });
  await insertHousehold(db, {
    regionCode: regions.chengnei,
    members: [
      { name: '李桂英', gender: 'female' },
      { name: '赵德福', relation: 'spouse', gender: 'male' },
    ],
  });
  await insertHousehold(db, {
    regionCode: regions.chengnei,
    monitoringCategory: 'unstable_lifted',
    identifiedAt: '202201',
    riskEliminated: true,
    eliminationMethod: 'assisted',
    eliminatedAt: '202306',
    risks: ['disability'],
    members: [{ name: '刘大山', health: 'disabled' }],
  });
  await insertHousehold(db, { regionCode: regions.renzhuang, members: [{ name: '孙邻村' }] });
});
afterAll(async () => {
  await server?.close();
});

/** Whole pages; drawers and dialogs as the screen shows them. */
const shot = (page: Page, name: string, fullPage = true) =>
  page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage });

/** The table's loading veil is gone (it fades out for 0.3 s after the data arrives). */
async function settled(page: Page) {
  await page.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
  await page.waitForTimeout(400);
}

/** No sideways scrolling on a phone: the page is as wide as the screen. */
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe('registry in the browser', () => {
  it("lets a village cadre on a phone open a household, change a member's phone and see it in the history", async () => {
    const cadre = await server.harness.createUser({ role: 'village_user', regionCode: regions.chengnei });
    const { context, page } = await server.newPage({ width: 390, height: 844 });
    await signInThroughPage(page, server.baseUrl, cadre.username, testPassword);
    await page.waitForURL(`${server.baseUrl}/`);
    await page.goto(`${server.baseUrl}/registry/households`);

    const card = page.getByRole('link', { name: '农户 张建国' });
    await card.waitFor();
    const list = await page.locator('.ant-list').textContent();
    expect(list).toContain('李桂英');
    expect(list).toContain('共 3 户');
    expect(list).not.toContain('孙邻村');
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await shot(page, 'registry-households-phone');

    await card.click();
    await page.waitForURL(`${server.baseUrl}/registry/households/${monitored.id}`);
    await page.getByText('张建国 户').waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await shot(page, 'registry-household-phone');

    await page.getByRole('button', { name: '编辑 王秀兰' }).click();
    const phone = page.getByLabel('家庭成员联系电话');
    await phone.fill('23912345678');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('家庭成员联系电话应为以 1 开头的 11 位手机号码').waitFor();
    await phone.fill('13912345678');
    await shot(page, 'registry-edit-member-phone', false);
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存，修改已记入变更记录').waitFor();

    await page.getByRole('tab', { name: '变更记录' }).click();
    const event = page.getByTestId('history-event').first();
    await event.waitFor();
    const text = await event.textContent();
    expect(text).toContain('干部编辑');
    expect(text).toContain('王秀兰');
    expect(text).toContain('家庭成员联系电话');
    expect(text).toContain('139****5678');
    await shot(page, 'registry-history-phone');

    const history = await server.harness.database.db
      .selectFrom('fieldHistory')
      .select(['field', 'newValue', 'source', 'userId'])
      .where('householdId', '=', monitored.id)
      .execute();
    expect(history).toEqual([{ field: 'phone', newValue: '13912345678', source: 'cadre', userId: cadre.id }]);

    await page.goto(`${server.baseUrl}/registry/persons`);
    await page.getByText('张小明').waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await shot(page, 'registry-persons-phone');
    await context.close();
  });

  it('lets a county user on a desk filter households, reveal a member and see the edit forms check an ID', async () => {
    const countyUser = await server.harness.createUser({ role: 'county_user', regionCode: regions.lankao });
    const { context, page } = await server.newPage();
    await signInThroughPage(page, server.baseUrl, countyUser.username, testPassword);
    await page.waitForURL(`${server.baseUrl}/`);
    await page.goto(`${server.baseUrl}/registry/households?monitoringCategory=monitored`);
    const table = page.locator('.ant-table-tbody');
    // A full page load: on a loaded machine it takes longer than the poll's default second.
    await expect.poll(() => table.textContent(), { timeout: 10_000 }).toContain('刘大山');
    expect(await table.textContent()).not.toContain('李桂英');
    await settled(page);
    await shot(page, 'registry-households-desktop');

    await page.getByRole('cell', { name: '张建国' }).click();
    await page.getByText('张建国 户').waitFor();
    await shot(page, 'registry-household-desktop');

    await page.getByRole('button', { name: '查看 张建国 的完整证件号码和电话' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('本次查看已记入审计日志').waitFor();
    expect(await dialog.textContent()).toContain(monitored.members[0]?.idNumber ?? 'missing');
    await page.waitForTimeout(500); // the dialog's opening animation
    await shot(page, 'registry-reveal-desktop', false);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: '编辑 张小明' }).click();
    const idNumber = monitored.members[2]?.idNumber ?? '';
    const wrongCheck = `${idNumber.slice(0, 17)}${idNumber[17] === '1' ? '2' : '1'}`;
    await page.getByRole('textbox', { name: '证件号码' }).fill(wrongCheck);
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('证件号码校验位不正确，请逐位核对').waitFor();
    await shot(page, 'registry-edit-member-desktop', false);
    await page.getByRole('button', { name: '取消' }).click();

    await page.getByRole('button', { name: '编辑户信息' }).click();
    await page.getByLabel('识别监测时间').fill('202313');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('识别监测时间应为年月，6 位数字，如 202403').waitFor();
    await shot(page, 'registry-edit-household-desktop', false);
    await page.getByRole('button', { name: '取消' }).click();

    await page.getByRole('tab', { name: '收入情况' }).click();
    await page.getByText('2024 年度').waitFor();
    await page.getByRole('tab', { name: '风险与帮扶措施' }).click();
    await page.getByText('雨露计划').waitFor();
    await shot(page, 'registry-household-risks-desktop');

    await page.goto(`${server.baseUrl}/registry/persons?ageTo=17`);
    // A full page load: on a loaded machine it takes longer than the poll's default second.
    await expect
      .poll(() => page.locator('.ant-table-tbody').textContent(), { timeout: 10_000 })
      .toContain('张小明');
    await settled(page);
    await shot(page, 'registry-persons-desktop');
    await context.close();
  });
});
