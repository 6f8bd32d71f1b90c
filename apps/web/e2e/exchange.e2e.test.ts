import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildHousehold,
  type NationalRow,
  writeNationalCsv,
  writeNationalXlsx,
} from '../../server/src/modules/exchange/fixtures/national-file-builder.ts';
import { regions, testPassword } from '../../server/test/fixtures.ts';
import { type E2eServer, screenshotDir, signInThroughPage, startE2eServer } from './browser.ts';

let server: E2eServer;
let directory: string;
let goodFile: string;
let badFile: string;

beforeAll(async () => {
  server = await startE2eServer();
  directory = await mkdtemp(path.join(os.tmpdir(), 'shouwang-import-e2e-'));
  goodFile = path.join(directory, '兰考县监测对象信息.xlsx');
  const rows: NationalRow[] = [];
  for (let sequence = 1; sequence <= 12; sequence += 1) {
    rows.push(...buildHousehold({ sequence, place: sequence % 3 === 0 ? 'renzhuang' : 'chengnei' }));
  }
  (rows[4] as NationalRow).文化程度 = '博士后';
  await writeNationalXlsx(goodFile, rows);
  badFile = path.join(directory, '有错误的文件.csv');
  const bad = buildHousehold({ sequence: 20 });
  (bad[1] as NationalRow).证件号码 = '4102251234';
  (bad[2] as NationalRow).与户主关系 = '户主';
  await writeNationalCsv(badFile, bad, { encoding: 'gb18030' });
});
afterAll(async () => {
  await server?.close();
  await rm(directory, { recursive: true, force: true });
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

async function upload(page: Page, file: string, options: { dryRun: boolean }) {
  await page.goto(`${server.baseUrl}/exchange/import`);
  await page.locator('input[type=file]').setInputFiles(file);
  const toggle = page.getByRole('switch', { name: '试导入' });
  if ((await toggle.getAttribute('aria-checked')) !== String(options.dryRun)) await toggle.click();
  await page.getByRole('button', { name: options.dryRun ? '开始试导入' : '开始导入' }).click();
}

describe('national import in the browser', () => {
  it('lets a county user upload the national xlsx and read the result with the county check', async () => {
    const county = await server.harness.createUser({ role: 'county_user', regionCode: regions.lankao });
    const { context, page } = await server.newPage();
    await signInThroughPage(page, server.baseUrl, county.username, testPassword);
    // The layout opens every menu group once the menu is ready; open this one only if it is still closed,
    // since a click on an open group closes it.
    const importItem = page.getByRole('menuitem', { name: /数据导入/ });
    await page.getByRole('menuitem', { name: /数据交换/ }).waitFor();
    if (!(await importItem.isVisible())) await page.getByRole('menuitem', { name: /数据交换/ }).click();
    await importItem.click();
    await expect.poll(() => page.url()).toContain('/exchange/import');
    await shot(page, 'exchange-import-form');

    await upload(page, goodFile, { dryRun: false });
    await page.getByText('导入完成').waitFor();
    const counts = page.locator('.ant-card', { hasText: '台账变化' });
    await expect.poll(() => counts.locator('tr', { hasText: '户' }).first().textContent()).toContain('12');
    await page.getByText('地区总数核查（文件与平台，导入后）').waitFor();
    await page.getByText('博士后').waitFor();
    await shot(page, 'exchange-import-result');

    await upload(page, badFile, { dryRun: true });
    await page.getByText(/行数据有错误，整个文件未导入/).waitFor();
    await page.getByText('证件号码格式不正确', { exact: false }).waitFor();
    await expect(page.getByRole('link', { name: /下载错误明细/ }).getAttribute('href')).resolves.toMatch(
      /\/api\/imports\/\d+\/errors\.xlsx$/,
    );
    await shot(page, 'exchange-import-errors');

    await page
      .getByRole('link', { name: /导入记录/ })
      .first()
      .click();
    await page.getByText('兰考县监测对象信息.xlsx').waitFor();
    await page.getByText('2 行错误').waitFor();
    await shot(page, 'exchange-batches');
    await context.close();
  });

  it('shows a county user the province import that covered the county, without other counties', async () => {
    const provinceFile = path.join(directory, '河南省监测对象信息.xlsx');
    const rows = [
      ...buildHousehold({ sequence: 31 }),
      ...buildHousehold({ sequence: 32, place: 'rongzhuang' }),
    ];
    (rows[1] as NationalRow).证件号码 = (rows[0] as NationalRow).证件号码 ?? null;
    await writeNationalXlsx(provinceFile, rows);
    const summary = await server.harness.app.exchange.importNationalFile({
      filePath: provinceFile,
      principal: server.harness.system,
      year: 2025,
    });
    expect(summary.status).toBe('failed');

    const county = await server.harness.createUser({ role: 'county_user', regionCode: regions.lankao });
    for (const viewport of [undefined, { width: 390, height: 844 }]) {
      const { context, page } = await server.newPage(viewport);
      await signInThroughPage(page, server.baseUrl, county.username, testPassword);
      await page.waitForURL(`${server.baseUrl}/`);
      await page.goto(`${server.baseUrl}/exchange/batches`);
      const phone = viewport !== undefined;
      // A table row on a desktop, a card on a phone.
      const row = page.locator(phone ? '.ant-list-item' : 'tr', { hasText: '河南省监测对象信息.xlsx' });
      await row.getByText(/上级导入/).waitFor();
      await row
        .getByText(phone ? `${summary.rowsRejected} 行错误，未导入` : `${summary.rowsRejected} 行错误`)
        .waitFor();
      // No download link for a batch of a region above: its errors hold other counties' rows.
      expect(await row.getByRole('link', { name: /行错误/ }).count()).toBe(0);
      if (phone) expect(await pageWidth(page)).toBeLessThanOrEqual(390);
      await shot(page, phone ? 'exchange-batches-covering-phone' : 'exchange-batches-covering');
      await row.getByRole('link', { name: '河南省监测对象信息.xlsx' }).click();
      await page.getByText('本批次由河南省导入，覆盖您的辖区').waitFor();
      await page.getByText('请联系导入单位（河南省）获取').waitFor();
      const totals = page.locator('.ant-card', { hasText: '地区总数核查' });
      await totals.getByText('兰考县').waitFor();
      expect(await totals.getByText('中牟县').count()).toBe(0);
      expect(await page.getByRole('link', { name: /下载错误明细/ }).count()).toBe(0);
      if (phone) expect(await pageWidth(page)).toBeLessThanOrEqual(390);
      await shot(page, phone ? 'exchange-batch-covering-phone' : 'exchange-batch-covering');
      await context.close();
    }
  });

  it('fits a phone screen', async () => {
    const county = await server.harness.createUser({ role: 'county_user', regionCode: regions.lankao });
    const { context, page } = await server.newPage({ width: 390, height: 844 });
    await signInThroughPage(page, server.baseUrl, county.username, testPassword);
    await page.waitForURL(`${server.baseUrl}/`);
    await upload(page, goodFile, { dryRun: true });
    await page.getByText(/试导入完成/).waitFor();
    await page.waitForTimeout(300);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await shot(page, 'exchange-import-phone');
    await page.goto(`${server.baseUrl}/exchange/batches`);
    await page.getByText('兰考县监测对象信息.xlsx').first().waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await shot(page, 'exchange-batches-phone');
    await context.close();
  });
});
