#!/usr/bin/env node
// Runs every check: typecheck, lint, web build, unit + integration tests against a real PostgreSQL
// (embedded; again against EXTERNAL_DATABASE_URL when set), and browser end-to-end tests in Debian's
// chromium. Ends with one line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const reportDir = path.join(root, '.tmp');
mkdirSync(reportDir, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };

function step(title, command, args, options = {}) {
  process.stdout.write(`\n▶ ${title}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  return result.status === 0;
}

function fail(message) {
  process.stdout.write(`\n✗ ${message}\n${totals.passed} passed, ${totals.failed + 1} failed\n`);
  process.exit(1);
}

function ensureChromium() {
  const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const hasFonts = spawnSync('sh', ['-c', 'fc-list 2>/dev/null | grep -qi "wqy"']).status === 0;
  if (existsSync(executable) && hasFonts) return;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
  if (!isRoot || !hasApt) {
    fail(
      'Browser tests need Debian\'s chromium and Chinese fonts: run "sudo apt-get install -y chromium fonts-wqy-zenhei"',
    );
  }
  process.stdout.write('Installing Debian chromium and fonts-wqy-zenhei for the browser tests…\n');
  const install = spawnSync(
    'sh',
    [
      '-c',
      'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null',
    ],
    { stdio: 'inherit' },
  );
  if (install.status !== 0 || !existsSync(executable)) fail('apt-get could not install chromium');
}

function vitest(title, configs, extraEnv = {}) {
  const report = path.join(reportDir, `vitest-${title.replace(/\W+/g, '-')}.json`);
  rmSync(report, { force: true });
  const projectArgs = configs.flatMap((config) => ['--project', config]);
  step(
    title,
    'npx',
    ['vitest', 'run', ...projectArgs, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    {
      env: { ...process.env, ...extraEnv },
    },
  );
  if (!existsSync(report)) {
    totals.failed += 1;
    return;
  }
  const summary = JSON.parse(readFileSync(report, 'utf8'));
  totals.passed += summary.numPassedTests;
  totals.failed += summary.numFailedTests + (summary.success ? 0 : summary.numFailedTests === 0 ? 1 : 0);
  totals.skipped += summary.numPendingTests + summary.numTodoTests;
}

/** The Excel export tests convert a workbook with LibreOffice headless (Debian's libreoffice-calc, ~16 s to install). */
function ensureLibreOffice() {
  if (spawnSync('sh', ['-c', 'command -v soffice']).status === 0) return;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
  if (!isRoot || !hasApt) {
    fail(
      'Excel export tests need LibreOffice: run "sudo apt-get install -y --no-install-recommends libreoffice-calc"',
    );
  }
  process.stdout.write('Installing Debian libreoffice-calc for the Excel export tests…\n');
  const install = spawnSync(
    'sh',
    [
      '-c',
      'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc >/dev/null',
    ],
    { stdio: 'inherit' },
  );
  if (install.status !== 0) fail('apt-get could not install libreoffice-calc');
}

ensureChromium();
ensureLibreOffice();
for (const project of [
  'packages/domain',
  'packages/rules',
  'apps/server',
  'apps/web',
  'apps/web/tsconfig.e2e.json',
]) {
  if (!step(`Typecheck ${project}`, 'npx', ['tsc', '-p', project])) fail(`typecheck of ${project} failed`);
}
if (!step('Lint and format (biome)', 'npx', ['biome', 'check', '.'])) fail('lint failed');
if (!step('Build web', 'npm', ['run', 'build', '--workspace', '@shouwang/web'])) fail('web build failed');

vitest('Unit, integration and browser tests (embedded PostgreSQL)', ['server', 'e2e']);
if (process.env.EXTERNAL_DATABASE_URL) {
  vitest('Integration tests against EXTERNAL_DATABASE_URL', ['server'], {
    TEST_DATABASE_URL: process.env.EXTERNAL_DATABASE_URL,
  });
}

const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed${skipped}\n`);
process.exit(totals.failed === 0 ? 0 : 1);
