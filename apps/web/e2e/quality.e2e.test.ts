import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from '../../server/src/excel.ts';
import { regions, testPassword } from '../../server/test/fixtures.ts';
import { type InsertedHousehold, insertHousehold } from '../../server/test/registry-factory.ts';
import { type E2eServer, screenshotDir, signInThroughPage, startE2eServer } from './browser.ts';

let server: E2eServer;
let migrants: InsertedHousehold;

beforeAll(async () => {
  server = await startE2eServer();
  const db = server.harness.database.db;
  // Two members working away from home without an employment channel: the rule written below flags both.
  migrants = await insertHousehold(db, {
    regionCode: regions.chengnei,
    members: [
      { name: '周大勇', workLocation: 'outside_province', employmentChannel: null },
      { name: '吴春花', workLocation: 'within_county', employmentChannel: null },
    ],
  });
  await insertHousehold(db, { regionCode: regions.chengnei, members: [{ name: '郑守田' }] });
  await insertHousehold(db, {
    regionCode: regions.renzhuang,
    members: [{ name: '钱友谊', workLocation: 'within_province', employmentChannel: '自主外出' }],
  });
});
afterAll(async () => {
  await server?.close();
});

const shot = (page: Page, name: string, fullPage = true) =>
  page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage });

async function settled(page: Page) {
  await page.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
  await page.waitForTimeout(400);
}

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/** The cells of the ranking row of a region, as text. */
async function rankingRow(page: Page, regionName: string): Promise<string[]> {
  const row = page.locator('.ant-table-tbody tr', { hasText: regionName }).first();
  await row.waitFor();
  return row.locator('td').allTextContents();
}

describe('data quality in the browser', () => {
  it('takes a rule written in the page into the next run, and a corrected record out of its findings', async () => {
    const admin = await server.harness.createUser({ role: 'province_admin', regionCode: regions.province });
    const desk = await server.newPage();
    const page = desk.page;
    await signInThroughPage(page, server.baseUrl, admin.username, testPassword);
    await page.waitForURL(`${server.baseUrl}/`);

    // 规则管理: the starter set, then a new rule whose text is checked while typing.
    await page.goto(`${server.baseUrl}/quality/rules`);
    await page.getByText('ID-001', { exact: true }).waitFor();
    await settled(page);
    await shot(page, 'quality-rules');
    await page.getByRole('button', { name: '新建规则' }).click();
    await page.getByLabel('规则编号').fill('hn-001');
    await page.getByLabel('规则名称').fill('外出务工人员未填写就业渠道');
    const text = page.getByLabel('规则条件');
    await text.fill('not blank(workLocation)\nand blank(employmentChanel)');
    const problem = page.getByRole('alert').filter({ hasText: '第 2 行第 11 列' });
    await problem.waitFor();
    expect(await problem.textContent()).toContain('employmentChanel');
    await shot(page, 'quality-rule-syntax-error', false);
    await text.fill('not blank(workLocation)\nand blank(employmentChannel)');
    await page.getByText('语法正确').waitFor();
    await page.getByRole('button', { name: '试算' }).click();
    await page.getByText('在您的辖区内将标记 1 户（2 人）').waitFor();
    await shot(page, 'quality-rule-preview', false);
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('规则 HN-001 已保存（第 1 版），下次检查起生效').waitFor();
    await page.getByText('外出务工人员未填写就业渠道').waitFor();
    await page
      .locator('.ant-table-tbody tr', { hasText: 'HN-001' })
      .getByRole('button', { name: /历\s*史/ })
      .click();
    const history = page.locator('.ant-drawer-body');
    await history.getByText('第 1 版').waitFor();
    expect(await history.textContent()).toContain('blank(employmentChannel)');
    await page.waitForTimeout(400);
    await shot(page, 'quality-rule-history', false);
    await page.locator('.ant-drawer-close').click();

    // 质量检查: start a run and watch it finish.
    await page.goto(`${server.baseUrl}/quality/runs`);
    await page.getByRole('button', { name: '开始检查' }).click();
    await page.getByText('查看问题清单').waitFor({ timeout: 30_000 });
    await settled(page);
    await shot(page, 'quality-runs');

    // 问题清单: the new rule's findings, by rule and then listed.
    await page.getByText('查看问题清单').click();
    const ruleRow = page.locator('.ant-table-tbody tr', { hasText: 'HN-001' });
    await ruleRow.waitFor();
    expect(await ruleRow.locator('td').nth(5).textContent()).toBe('2');
    await settled(page);
    await shot(page, 'quality-findings-by-rule');
    await ruleRow.click();
    await page.getByText('外出务工人员未填写就业渠道').first().waitFor();
    await page.getByText('周大勇').waitFor();
    await page.getByText('吴春花').waitFor();
    await settled(page);
    await shot(page, 'quality-finding-list');

    // By region, from the province down to the township's villages.
    await page.goto(`${server.baseUrl}/quality/findings?view=region&ruleCode=HN-001`);
    await page.locator('.ant-table-tbody tr', { hasText: '开封市' }).click();
    await page.locator('.ant-table-tbody tr', { hasText: '兰考县' }).click();
    await page.locator('.ant-table-tbody tr', { hasText: '堌阳镇' }).click();
    await page.locator('.ant-table-tbody tr', { hasText: '城内村' }).waitFor();
    await page.locator('.ant-breadcrumb').getByText('兰考县').waitFor();
    await settled(page);
    await shot(page, 'quality-findings-by-region');

    // 质量排名 of the township's villages, before the correction.
    await page.goto(
      `${server.baseUrl}/quality/rankings?regionCode=${regions.guyang}&orderBy=rectificationRate`,
    );
    await settled(page);
    const before = await rankingRow(page, '城内村');
    await shot(page, 'quality-rankings');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /导出\s*Excel/ }).click(),
    ]);
    const file = path.join(screenshotDir, 'quality-rankings.xlsx');
    await download.saveAs(file);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile(file)) as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]?.name).toBe('全部规则');
    const ruleSheet = workbook.worksheets.find((sheet) => sheet.name.startsWith('HN-001'));
    const villageRow = ruleSheet
      ?.getRows(1, ruleSheet.rowCount)
      ?.find((row) => row.getCell(1).value === '城内村');
    // 区划, 户数, 问题户数: the new rule flags one of the village's two households.
    expect([villageRow?.getCell(2).value, villageRow?.getCell(3).value]).toEqual([2, 1]);

    // A village cadre on a phone: the household's findings, an exemption request for one member …
    const cadre = await server.harness.createUser({ role: 'village_user', regionCode: regions.chengnei });
    const phone = await server.newPage({ width: 390, height: 844 });
    await signInThroughPage(phone.page, server.baseUrl, cadre.username, testPassword);
    await phone.page.waitForURL(`${server.baseUrl}/`);
    await phone.page.goto(`${server.baseUrl}/registry/households/${migrants.id}?tab=quality`);
    const openFinding = (name: string) =>
      phone.page
        .getByTestId('finding-card')
        .filter({ hasText: 'HN-001' })
        .filter({ hasText: name })
        .filter({ hasText: '待整改' });
    await openFinding('吴春花').waitFor();
    await openFinding('周大勇').waitFor();
    expect(await pageWidth(phone.page)).toBeLessThanOrEqual(390);
    await shot(phone.page, 'quality-household-findings-phone');
    await openFinding('吴春花').getByRole('button', { name: '申请豁免' }).click();
    await phone.page.getByLabel('豁免理由').fill('在县城工地打零工，无固定就业渠道，已入户核实');
    await phone.page.getByLabel('豁免至').click();
    await phone.page.locator('.ant-picker-header-next-btn').click();
    await phone.page.locator('.ant-picker-cell-in-view', { hasText: /^15$/ }).click();
    await phone.page.locator('.ant-picker-dropdown').waitFor({ state: 'hidden' });
    await shot(phone.page, 'quality-exemption-request-phone', false);
    await phone.page.getByRole('button', { name: '提交申请' }).click();
    await phone.page.getByText('豁免申请已提交，等待审批').waitFor();
    await openFinding('吴春花').getByText('豁免审批中').waitFor();

    // … and the other member corrected in the edit form, the warning going away as the field is filled.
    // On a phone the tab bar scrolls; the members tab is the page's first.
    await phone.page.goto(`${server.baseUrl}/registry/households/${migrants.id}`);
    await phone.page.getByRole('button', { name: '编辑 周大勇' }).click();
    const warnings = phone.page.getByRole('list', { name: '质量规则提示' });
    await warnings.getByText('HN-001').waitFor();
    // The warnings sit under the form; the drawer has finished sliding in once they are scrolled to.
    await warnings.scrollIntoViewIfNeeded();
    await phone.page.waitForTimeout(500);
    await shot(phone.page, 'quality-inline-warning-phone', false);
    await phone.page.getByLabel('就业渠道').fill('劳务公司介绍');
    await warnings.getByText('HN-001').waitFor({ state: 'detached' });
    await phone.page.getByRole('button', { name: '保存' }).click();
    await phone.page.getByText('已保存，修改已记入变更记录').waitFor();
    await phone.page.goto(`${server.baseUrl}/registry/households/${migrants.id}?tab=quality`);
    await phone.page
      .getByTestId('finding-card')
      .filter({ hasText: 'HN-001' })
      .filter({ hasText: '周大勇' })
      .filter({ hasText: '已整改' })
      .waitFor();
    await shot(phone.page, 'quality-household-fixed-phone');
    await phone.page.goto(`${server.baseUrl}/quality/findings/list?ruleCode=HN-001`);
    await phone.page.getByText('共 2 条').waitFor();
    await settled(phone.page);
    expect(await pageWidth(phone.page)).toBeLessThanOrEqual(390);
    await shot(phone.page, 'quality-finding-list-phone');
    await phone.context.close();

    // The admin approves the exemption; the ranking counts the fix.
    await page.goto(`${server.baseUrl}/quality/exemptions`);
    const request = page.locator('.ant-table-tbody tr', { hasText: '吴春花' });
    await request.waitFor();
    await settled(page);
    await shot(page, 'quality-exemptions');
    await request.getByRole('button', { name: /批\s*准/ }).click();
    await page.getByLabel('审批意见').fill('情况属实');
    await page
      .locator('.ant-modal')
      .getByRole('button', { name: /批\s*准/ })
      .click();
    await page.getByText('已批准豁免').waitFor();
    await page.goto(`${server.baseUrl}/registry/households/${migrants.id}?tab=quality`);
    const findings = page.locator('.ant-table-tbody');
    await findings.locator('tr', { hasText: '吴春花' }).filter({ hasText: '已豁免' }).waitFor();
    await findings.locator('tr', { hasText: '周大勇' }).filter({ hasText: '已整改' }).waitFor();
    await settled(page);
    await shot(page, 'quality-household-findings-desktop');

    await page.goto(
      `${server.baseUrl}/quality/rankings?regionCode=${regions.guyang}&orderBy=rectificationRate`,
    );
    await settled(page);
    const after = await rankingRow(page, '城内村');
    // Columns: rank, region, households, flagged, rate, found, open, fixed, exempted, progress.
    expect(Number(after[7])).toBe(Number(before[7]) + 1);
    expect(Number(after[8])).toBe(Number(before[8]) + 1);
    expect(Number(after[6])).toBe(Number(before[6]) - 2);
    expect(after[9]).not.toBe(before[9]);
    await desk.context.close();
  }, 90_000);
});
