import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { starterRules } from '@shouwang/rules';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts';
import { regions } from '../../../test/fixtures.ts';
import { insertHousehold } from '../../../test/registry-factory.ts';

const run = promisify(execFile);
const cli = path.resolve(import.meta.dirname, '../../../bin/shouwang.js');
let database: TestDatabase;

async function shouwang(...args: string[]) {
  try {
    const output = await run('node', [cli, ...args], { env: { ...process.env, DATABASE_URL: database.url } });
    return { code: 0, stdout: output.stdout, stderr: output.stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

// Each command starts a process that compiles the sources and opens the database: seconds each on a
// loaded machine.
const cliTimeout = 120_000;

describe('shouwang rules and settings', () => {
  it(
    'sets the monitoring line of a year and the statistics date, and lists them',
    async () => {
      expect((await shouwang('settings', 'set', 'monitoringLine.2026', '7600')).code).toBe(0);
      expect((await shouwang('settings', 'set', 'statisticsDate', '2026-06-30')).code).toBe(0);
      const refused = await shouwang('settings', 'set', 'monitoringLine.2026', '零');
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('monitoringLine.2026');
      const listed = await shouwang('settings', 'list');
      expect(listed.stdout).toMatch(/^monitoringLine\.2026\t7600\t2026 年防止返贫监测标准/m);
      expect(listed.stdout).toMatch(/^statisticsDate\t"2026-06-30"\t/m);
    },
    cliTimeout,
  );

  it(
    'prints per-rule counts of flagged households and persons with --json, every enabled rule listed',
    async () => {
      await insertHousehold(database.db, { regionCode: regions.chengnei, members: [{}, { idNumber: null }] });
      await insertHousehold(database.db, {
        regionCode: regions.renzhuang,
        members: [{ relation: 'spouse' }, { relation: 'son' }],
      });
      const result = await shouwang('rules', 'run', '--json');
      expect(result.code, result.stderr).toBe(0);
      const body = JSON.parse(result.stdout) as {
        rules: Array<{ code: string; households: number; persons: number }>;
      };
      expect(Object.keys(body)).toEqual(['rules']);
      expect(body.rules.map((rule) => rule.code).sort()).toEqual(
        starterRules.map((rule) => rule.code).sort(),
      );
      for (const rule of body.rules) expect(Object.keys(rule)).toEqual(['code', 'households', 'persons']);
      expect(body.rules.find((rule) => rule.code === 'ID-001')).toEqual({
        code: 'ID-001',
        households: 1,
        persons: 1,
      });
      expect(body.rules.find((rule) => rule.code === 'HH-001')).toEqual({
        code: 'HH-001',
        households: 1,
        persons: 2,
      });
      expect(body.rules.find((rule) => rule.code === 'HH-008')).toEqual({
        code: 'HH-008',
        households: 0,
        persons: 0,
      });
      expect(result.stderr).toContain('检查完成');
      const runs = await database.db.selectFrom('qualityRuns').selectAll().execute();
      expect(runs).toEqual([
        expect.objectContaining({ trigger: 'cli', status: 'succeeded', startedBy: 'cli' }),
      ]);
    },
    cliTimeout,
  );

  it(
    'lists the rules',
    async () => {
      const listed = await shouwang('rules', 'list');
      expect(listed.code).toBe(0);
      expect(listed.stdout).toContain('ID-001\t启用\t人\t错误\t证件号码为空');
      expect(listed.stdout.trim().split('\n')).toHaveLength(starterRules.length);
    },
    cliTimeout,
  );
});
