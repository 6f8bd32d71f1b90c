import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: the real server (with its own PostgreSQL database per file) serving the
// built web app, driven in Debian's chromium through playwright-core.
export default defineConfig({
  test: {
    name: 'e2e',
    root: import.meta.dirname,
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['../server/test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
