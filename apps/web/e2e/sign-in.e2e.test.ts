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

describe('sign-in in the browser', () => {
  it('shows the reason when the password is wrong', async () => {
    const user = await server.harness.createUser({ role: 'township_user', regionCode: regions.guyang });
    const { context, page } = await server.newPage({ width: 390, height: 844 });
    await signInThroughPage(page, server.baseUrl, user.username, 'Wrong#Passw0rd');
    await expect.poll(() => page.locator('body').textContent()).toContain('用户名或密码错误');
    expect(page.url()).toContain('/login');
    await context.close();
  });

  it('makes a new account change its password before anything else', async () => {
    const user = await server.harness.createUser({
      role: 'township_user',
      regionCode: regions.guyang,
      mustChangePassword: true,
    });
    const { context, page } = await server.newPage();
    await signInThroughPage(page, server.baseUrl, user.username, testPassword);
    await page.waitForURL(/\/account\/password/);
    await page.screenshot({
      path: path.join(screenshotDir, 'e2e-forced-password-desktop.png'),
      fullPage: true,
    });
    await page.getByLabel('当前密码').fill(testPassword);
    await page.getByLabel('新密码', { exact: true }).fill('Guyang#Town2026');
    await page.getByLabel('确认新密码').fill('Guyang#Town2026');
    await page.getByRole('button', { name: /修改密码|确认修改|保\s*存|提\s*交/ }).click();
    await page.waitForURL(`${server.baseUrl}/`);
    await expect.poll(() => page.locator('body').textContent()).toContain('堌阳镇');
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).json());
    expect(me.state).toBe('active');
    await context.close();
  });
});
