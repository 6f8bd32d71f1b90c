import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from '../../server/src/excel.ts';
import { regions, testPassword } from '../../server/test/fixtures.ts';
import { insertHousehold } from '../../server/test/registry-factory.ts';
import { type E2eServer, screenshotDir, signInThroughPage, startE2eServer } from './browser.ts';

let server: E2eServer;

beforeAll(async () => {
  server = await startE2eServer();
  const db = server.harness.database.db;
  // 城内村 and 任庄村 (堌阳镇): three lifted households with a seriously ill member; one ordinary.
  for (const regionCode of [regions.chengnei, regions.chengnei, regions.renzhuang]) {
    await insertHousehold(db, {
      regionCode,
      householdType: 'lifted',
      members: [{}, { health: 'serious_illness' }, {}],
    });
  }
  await insertHousehold(db, { regionCode: regions.chengnei, householdType: 'ordinary' });
}, 120_000);
afterAll(async () => {
  await server?.close();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });

async function settled(page: Page) {
  await page.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
  await page.waitForTimeout(400);
}

describe('custom statistics in the browser', () => {
  it('runs an expression, drills down to a township, lists the persons and exports them', async () => {
    const user = await server.harness.createUser({ role: 'county_user', regionCode: regions.lankao });
    const { context, page } = await server.newPage();
    await signInThroughPage(page, server.baseUrl, user.username, testPassword);
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto(`${server.baseUrl}/analytics/custom`);
    const editor = page.getByRole('textbox', { name: '统计条件' });
    await editor.fill('health = "患有大病" and household.householdType = "脱贫户" and');
    await page
      .getByRole('alert')
      .getByText(/第 1 行第 \d+ 列/)
      .waitFor();
    await editor.fill('health = "患有大病" and household.householdType = "脱贫户"');
    await page.getByText('语法正确').waitFor();
    await page.getByRole('button', { name: /运行统计/ }).click();
    await page.getByText('河南省开封市兰考县定制化统计').waitFor();
    await settled(page);
    const total = page.locator('.report-total-row td');
    await expect(total.nth(1).textContent()).resolves.toBe('3');
    await expect(total.nth(2).textContent()).resolves.toBe('3');
    await shot(page, 'custom-statistics-county');

    await page.locator('tr', { hasText: '堌阳镇' }).first().click();
    await page.getByText('河南省开封市兰考县堌阳镇定制化统计').waitFor();
    await settled(page);
    expect(page.url()).toContain(`regionCode=${regions.guyang}`);
    const chengnei = page.locator('tr', { hasText: '城内村' });
    await expect(chengnei.locator('td').nth(1).textContent()).resolves.toBe('2');

    await page.getByRole('tab', { name: /人员名单/ }).click();
    await page.getByText('共 3 人（证件号码已脱敏）').waitFor();
    await settled(page);
    await expect(page.locator('.ant-table-row', { hasText: '王秀兰' }).count()).resolves.toBe(3);
    await expect(page.locator('td', { hasText: /^\d{4}\*{10}[\dX]{4}$/ }).count()).resolves.toBe(3);
    await shot(page, 'custom-statistics-persons');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /导出人员名单/ }).click(),
    ]);
    const file = path.join(screenshotDir, 'custom-statistics-persons.xlsx');
    await download.saveAs(file);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile(file)) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(String(sheet?.getCell('A1').value)).toBe('河南省开封市兰考县堌阳镇定制化统计人员名单');
    expect(sheet?.getRow(7).getCell(6).value).toBe('王秀兰');
    expect(sheet?.getRow(8).getCell(1).value).toBe(null);

    // Saved for next time, and only for this user.
    await page.getByRole('button', { name: /保存为常用统计/ }).click();
    await page.getByLabel('名称').fill('患大病的脱贫人口');
    await page
      .getByRole('button', { name: /保\s*存/ })
      .last()
      .click();
    await page.locator('.ant-list-item', { hasText: '患大病的脱贫人口' }).waitFor();
    await shot(page, 'custom-statistics-saved');
    const address = page.url();
    await context.close();

    // On a phone the panels stack and the tables scroll inside their cards.
    const phone = await server.newPage({ width: 390, height: 844 });
    await signInThroughPage(phone.page, server.baseUrl, user.username, testPassword);
    await phone.page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await phone.page.goto(address);
    await phone.page.getByText('河南省开封市兰考县堌阳镇定制化统计').waitFor();
    await settled(phone.page);
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(phone.page, 'custom-statistics-phone');
    await phone.context.close();
  }, 120_000);
});
