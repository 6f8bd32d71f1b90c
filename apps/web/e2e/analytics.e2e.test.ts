import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from '../../server/src/excel.ts';
import { DemoService } from '../../server/src/modules/demo/demo.service.ts';
import { regions, testPassword } from '../../server/test/fixtures.ts';
import { type E2eServer, screenshotDir, signInThroughPage, startE2eServer } from './browser.ts';

let server: E2eServer;

beforeAll(async () => {
  server = await startE2eServer();
  const { app, system } = server.harness;
  // Seeded through the national import, whose hook rebuilds the report cube.
  const demo = new DemoService({ db: app.db, province: '41', exchange: app.exchange });
  await demo.seed({ scale: 'county', seed: 3, defects: 'none', households: 1500, principal: system });
}, 180_000);
afterAll(async () => {
  await server?.close();
});

const shot = (page: Page, name: string, fullPage = true) =>
  page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage });

async function settled(page: Page) {
  await page.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
  await page.waitForTimeout(400);
}

const totalsCell = (page: Page, column: number) =>
  page.locator('.report-total-row td').nth(column).textContent();

describe('standard reports in the browser', () => {
  it('drills down from the county to a township and back, switches report and exports what is shown', async () => {
    const user = await server.harness.createUser({ role: 'county_user', regionCode: regions.lankao });
    const { context, page } = await server.newPage();
    await signInThroughPage(page, server.baseUrl, user.username, testPassword);
    await page.getByText('工作台').first().waitFor();
    await page.goto(`${server.baseUrl}/analytics/reports`);
    await page.getByText('河南省开封市兰考县帮扶对象基本情况').waitFor();
    await settled(page);
    // Grouped headers over the numbers, the totals row first.
    await expect(page.locator('th', { hasText: '脱贫户' }).count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('th', { hasText: '边缘易致贫户' }).count()).resolves.toBe(1);
    const countyTotal = Number(await totalsCell(page, 1));
    expect(countyTotal).toBeGreaterThan(0);
    await shot(page, 'analytics-county');

    await page.locator('tr', { hasText: '堌阳镇' }).first().click();
    await page.getByText('河南省开封市兰考县堌阳镇帮扶对象基本情况').waitFor();
    await settled(page);
    expect(page.url()).toContain(`regionCode=${regions.guyang}`);
    await expect(page.locator('tr', { hasText: '城内村' }).count()).resolves.toBe(1);
    const townshipTotal = Number(await totalsCell(page, 1));
    expect(townshipTotal).toBeLessThanOrEqual(countyTotal);
    await shot(page, 'analytics-township');

    await page.locator('.ant-breadcrumb').getByText('兰考县').click();
    await page.getByText('河南省开封市兰考县帮扶对象基本情况').waitFor();

    await page
      .locator('.ant-select', { has: page.getByRole('combobox', { name: '报表', exact: true }) })
      .click();
    await page.locator('.ant-select-item-option', { hasText: '帮扶对象年龄结构' }).click();
    await page.getByText('河南省开封市兰考县帮扶对象年龄结构').waitFor();
    await settled(page);
    await expect(page.locator('th', { hasText: '16-29岁' }).count()).resolves.toBe(1);
    await shot(page, 'analytics-age');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /导出\s*Excel/ }).click(),
    ]);
    const file = path.join(screenshotDir, 'analytics-age.xlsx');
    await download.saveAs(file);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile(file)) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(String(sheet?.getCell('A1').value)).toBe('河南省开封市兰考县帮扶对象年龄结构');
    expect(sheet?.getCell('A6').value).toBe('合计');
    await context.close();
  }, 120_000);

  it('fits a township cadre on a phone: filters wrap, the table scrolls sideways inside its card', async () => {
    const user = await server.harness.createUser({ role: 'township_user', regionCode: regions.guyang });
    const { context, page } = await server.newPage({ width: 390, height: 844 });
    await signInThroughPage(page, server.baseUrl, user.username, testPassword);
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto(`${server.baseUrl}/analytics/reports?report=household-labour`);
    await page.getByText('河南省开封市兰考县堌阳镇帮扶对象家庭劳动力情况').waitFor();
    await settled(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'analytics-phone');
    // Outside the township: the same answer as a region that does not exist.
    await page.goto(`${server.baseUrl}/analytics/reports?regionCode=${regions.lankao}`);
    await page.getByText('不存在').first().waitFor();
    await context.close();
  }, 120_000);
});
