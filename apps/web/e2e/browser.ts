import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../../server/test/app.ts';

export const screenshotDir = path.resolve(import.meta.dirname, '../../../.tmp/screenshots');

export interface E2eServer {
  harness: TestApp;
  baseUrl: string;
  browser: Browser;
  /** A new browser context (its own cookies) with a page at the given viewport. */
  newPage(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export async function startE2eServer(): Promise<E2eServer> {
  const distIndex = path.resolve(import.meta.dirname, '../dist/index.html');
  if (!existsSync(distIndex)) throw new Error('apps/web/dist is missing: run npm run build first');
  const harness = await createTestApp({ serveWeb: true });
  await harness.app.listen({ host: '127.0.0.1', port: 0 });
  const address = harness.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  await mkdir(screenshotDir, { recursive: true });
  return {
    harness,
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    async newPage(viewport = { width: 1440, height: 900 }) {
      const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      const page = await context.newPage();
      return { context, page };
    },
    async close() {
      await browser.close();
      await harness.close();
    },
  };
}

export async function signInThroughPage(page: Page, baseUrl: string, username: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
}
