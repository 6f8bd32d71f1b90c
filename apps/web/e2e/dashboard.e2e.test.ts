import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoService } from '../../server/src/modules/demo/demo.service.ts';
import { regions, testPassword } from '../../server/test/fixtures.ts';
import { type E2eServer, screenshotDir, signInThroughPage, startE2eServer } from './browser.ts';

let server: E2eServer;

beforeAll(async () => {
  server = await startE2eServer();
  const { app, system } = server.harness;
  // Seeded through the national import, whose hook rebuilds the report cube.
  const demo = new DemoService({ db: app.db, province: '41', exchange: app.exchange });
  await demo.seed({ scale: 'county', seed: 5, defects: 'none', households: 1500, principal: system });
}, 180_000);
afterAll(async () => {
  await server?.close();
});

const shot = (page: Page, name: string, fullPage = true) =>
  page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage });

type Pair = { households: number; persons: number };
type DashboardBody = {
  region: { code: string; name: string };
  headline: Record<string, Pair | number | null>;
  children: Array<{ regionCode: string; regionName: string }>;
};

/** The dashboard as the API answers it to the signed-in page (same cookies). */
const apiDashboard = (page: Page, regionCode: string) =>
  page.evaluate(async (code) => {
    const response = await fetch(`/api/analytics/dashboard?regionCode=${code}`);
    return (await response.json()) as DashboardBody;
  }, regionCode);

async function chartsDrawn(page: Page, count: number) {
  await page.locator('[data-indicator="assisted"]').waitFor();
  await page.waitForFunction(
    (minimum) => document.querySelectorAll('.dashboard canvas').length >= minimum,
    count,
  );
  await page.waitForTimeout(800); // chart animations
}

/** Clicks along the region-comparison chart until a click lands on a child region's bar and drills down. */
async function clickFirstBar(page: Page) {
  const chart = page.getByLabel('下级区划对比图');
  await chart.scrollIntoViewIfNeeded(); // the mouse clicks inside the viewport only
  const box = await chart.boundingBox();
  if (!box) throw new Error('no region comparison chart');
  const before = page.url();
  for (const height of [0.6, 0.5, 0.7]) {
    const y = box.y + box.height * height;
    for (let x = box.x + box.width * 0.08; x < box.x + box.width * 0.95; x += 3) {
      await page.mouse.click(x, y);
      if (page.url() !== before) return;
    }
  }
  throw new Error('no bar found under the pointer');
}

describe('dashboard in the browser', () => {
  it('shows the API numbers, draws the charts, drills down by a bar and fills a 1920×1080 screen', async () => {
    const user = await server.harness.createUser({ role: 'county_user', regionCode: regions.lankao });
    const { context, page } = await server.newPage({ width: 1440, height: 900 });
    await signInThroughPage(page, server.baseUrl, user.username, testPassword);
    await page.getByText('工作台').first().waitFor();
    await page.goto(`${server.baseUrl}/analytics/dashboard`);
    await chartsDrawn(page, 4);
    // The menu opens its group at the current page.
    await page.getByRole('menuitem', { name: /综合展示/ }).waitFor();

    const api = await apiDashboard(page, regions.lankao);
    expect(api.region.name).toBe('兰考县');
    const indicators = await page
      .locator('[data-indicator]')
      .evaluateAll((elements) =>
        elements.map((element) => [
          element.getAttribute('data-indicator') as string,
          Number(element.querySelector('.dashboard-indicator-value')?.textContent?.replace(/,/g, '')),
        ]),
      );
    expect(indicators.length).toBeGreaterThanOrEqual(9);
    for (const [key, shown] of indicators) {
      const value = api.headline[key as string];
      expect(shown, key as string).toBe(typeof value === 'number' ? value : (value as Pair).households);
    }
    expect((api.headline.assisted as Pair).households).toBeGreaterThan(0);
    await shot(page, 'dashboard-county');

    await clickFirstBar(page);
    await page.waitForURL(/regionCode=410225\d{3}000/);
    const township = new URL(page.url()).searchParams.get('regionCode') as string;
    const name = api.children.find((child) => child.regionCode === township)?.regionName as string;
    await page.locator('.ant-breadcrumb').getByText(name).waitFor();
    await chartsDrawn(page, 4);
    const townshipApi = await apiDashboard(page, township);
    await expect(
      page.locator('[data-indicator="assisted"] .dashboard-indicator-value').textContent(),
    ).resolves.toBe((townshipApi.headline.assisted as Pair).households.toLocaleString('zh-CN'));
    // Back up through the breadcrumb.
    await page.locator('.ant-breadcrumb').getByText('兰考县').click();
    await page.waitForURL(new RegExp(`regionCode=${regions.lankao}`));
    await context.close();

    // The large screen: the dashboard element in full screen, dark, everything visible without scrolling.
    const wall = await server.newPage({ width: 1920, height: 1080 });
    await signInThroughPage(wall.page, server.baseUrl, user.username, testPassword);
    await wall.page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await wall.page.goto(`${server.baseUrl}/analytics/dashboard`);
    await chartsDrawn(wall.page, 4);
    await wall.page.getByRole('button', { name: /全屏展示/ }).click();
    await wall.page.locator('.dashboard-screen').waitFor();
    await wall.page.getByText('河南省开封市兰考县防返贫动态监测综合展示').waitFor();
    await wall.page.waitForTimeout(1000);
    const fit = await wall.page.evaluate(() => {
      const element = document.querySelector('.dashboard-screen') as HTMLElement;
      const panels = Array.from(document.querySelectorAll('.dashboard-screen .dashboard-panel')).map(
        (panel) => panel.getBoundingClientRect(),
      );
      return {
        fullscreen: document.fullscreenElement === element,
        width: element.clientWidth,
        height: element.clientHeight,
        overflow: element.scrollHeight - element.clientHeight,
        lowestPanel: Math.max(...panels.map((rect) => rect.bottom)),
        smallestChart: Math.min(
          ...Array.from(document.querySelectorAll('.dashboard-screen canvas')).map(
            (canvas) => canvas.getBoundingClientRect().height,
          ),
        ),
      };
    });
    expect(fit.fullscreen).toBe(true);
    expect(fit.width).toBe(1920);
    expect(fit.height).toBe(1080);
    expect(fit.overflow).toBeLessThanOrEqual(0);
    expect(fit.lowestPanel).toBeLessThanOrEqual(1080);
    expect(fit.smallestChart).toBeGreaterThan(250);
    await shot(wall.page, 'dashboard-screen-1920', false);
    await wall.page.getByRole('button', { name: /退出全屏/ }).click();
    await wall.page.getByRole('button', { name: /全屏展示/ }).waitFor();
    await wall.context.close();
  }, 180_000);

  it('stacks on a phone and keeps a township cadre inside the township', async () => {
    const user = await server.harness.createUser({ role: 'township_user', regionCode: regions.guyang });
    const { context, page } = await server.newPage({ width: 390, height: 844 });
    await signInThroughPage(page, server.baseUrl, user.username, testPassword);
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    await page.goto(`${server.baseUrl}/analytics/dashboard`);
    await chartsDrawn(page, 4);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const columns = await page
      .locator('.dashboard-panel')
      .evaluateAll(
        (panels) => new Set(panels.map((panel) => Math.round(panel.getBoundingClientRect().left))).size,
      );
    expect(columns).toBe(1);
    await shot(page, 'dashboard-phone');
    await page.goto(`${server.baseUrl}/analytics/dashboard?regionCode=${regions.lankao}`);
    await page.getByText('不存在').first().waitFor();
    await context.close();
  }, 120_000);
});
