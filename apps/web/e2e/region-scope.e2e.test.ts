import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regions, testPassword } from '../../server/test/fixtures.ts';
import { type E2eServer, screenshotDir, signInThroughPage, startE2eServer } from './browser.ts';

let server: E2eServer;

beforeAll(async () => {
  server = await startE2eServer();
});
afterAll(async () => {
  await server?.close();
});

describe('region scope in the browser', () => {
  it('shows a village cadre on a phone only their own village', async () => {
    const cadre = await server.harness.createUser({ role: 'village_user', regionCode: regions.chengnei });
    const { context, page } = await server.newPage({ width: 390, height: 844 });
    await signInThroughPage(page, server.baseUrl, cadre.username, testPassword);
    await page.waitForURL(`${server.baseUrl}/`);
    await page.goto(`${server.baseUrl}/system/regions`);
    const tree = page.locator('.ant-tree');
    await expect.poll(() => tree.textContent()).toContain('城内村');
    expect(await tree.textContent()).not.toContain('任庄村');
    await page.screenshot({
      path: path.join(screenshotDir, 'e2e-village-regions-phone.png'),
      fullPage: true,
    });

    // Even asked directly, the neighbouring village does not exist for this cadre.
    const neighbour = await page.evaluate(
      async (code) => (await fetch(`/api/regions/${code}`)).status,
      regions.renzhuang,
    );
    expect(neighbour).toBe(404);
    const own = await page.evaluate(
      async (code) => (await fetch(`/api/regions/${code}`)).status,
      regions.chengnei,
    );
    expect(own).toBe(200);
    await context.close();
  });

  it('lists for a county user the accounts of that county and none of another county', async () => {
    const inCounty = await server.harness.createUser({ role: 'village_user', regionCode: regions.renzhuang });
    const elsewhere = await server.harness.createUser({
      role: 'village_user',
      regionCode: regions.rongzhuang,
    });
    const countyUser = await server.harness.createUser({ role: 'county_user', regionCode: regions.lankao });
    const { context, page } = await server.newPage();
    await signInThroughPage(page, server.baseUrl, countyUser.username, testPassword);
    await page.waitForURL(`${server.baseUrl}/`);
    await page.goto(`${server.baseUrl}/system/users`);
    const table = page.locator('.ant-table-tbody');
    await expect.poll(() => table.textContent()).toContain(inCounty.username);
    expect(await table.textContent()).not.toContain(elsewhere.username);
    await page.screenshot({ path: path.join(screenshotDir, 'e2e-county-users-desktop.png'), fullPage: true });
    await context.close();
  });
});
