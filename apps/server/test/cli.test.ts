import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './database.ts';

const run = promisify(execFile);
const cli = path.resolve(import.meta.dirname, '../bin/shouwang.js');
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

describe('shouwang CLI', () => {
  it('creates a user, who then has to change the password', async () => {
    const created = await shouwang(
      'user',
      'create',
      '--username',
      'lankao-admin',
      '--password',
      'Lankao#Admin1',
      '--role',
      'county_user',
      '--region',
      '410225',
      '--display-name',
      '兰考县管理员',
    );
    expect(created.code).toBe(0);
    expect(created.stderr).toContain('已创建用户 lankao-admin（县级用户，河南省开封市兰考县）');
    const row = await database.db
      .selectFrom('users')
      .select(['mustChangePassword', 'regionCode'])
      .where('username', '=', 'lankao-admin')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ mustChangePassword: true, regionCode: '410225000000' });
  });

  it('unlocks and resets a password', async () => {
    await database.db
      .updateTable('users')
      .set({ lockedUntil: new Date(Date.now() + 600_000), failedLoginCount: 3 })
      .where('username', '=', 'lankao-admin')
      .execute();
    expect((await shouwang('user', 'unlock', '--username', 'lankao-admin')).code).toBe(0);
    const unlocked = await database.db
      .selectFrom('users')
      .select(['lockedUntil'])
      .where('username', '=', 'lankao-admin')
      .executeTakeFirstOrThrow();
    expect(unlocked.lockedUntil).toBeNull();
    const reset = await shouwang(
      'user',
      'reset-password',
      '--username',
      'lankao-admin',
      '--password',
      'Another#Pass1',
    );
    expect(reset.code).toBe(0);
  });

  it('fails with one clear line and a non-zero code', async () => {
    const weak = await shouwang(
      'user',
      'create',
      '--username',
      'weak',
      '--password',
      'abc',
      '--role',
      'village_user',
      '--region',
      '410225101200',
    );
    expect(weak.code).toBe(1);
    expect(weak.stderr.trim().split('\n')).toHaveLength(1);
    expect(weak.stderr).toContain('密码不符合要求');
    const missing = await shouwang('user', 'unlock');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('prints help for every command', async () => {
    for (const command of [
      ['start'],
      ['db', 'migrate'],
      ['regions', 'load'],
      ['user', 'create'],
      ['audit', 'verify'],
    ]) {
      const help = await shouwang(...command, '--help');
      expect(help.code, command.join(' ')).toBe(0);
      expect(help.stdout).toContain('Usage: shouwang');
    }
  });

  it('reloads the region tree of a province idempotently', async () => {
    const loaded = await shouwang('regions', 'load', '--province', '41');
    expect(loaded.code).toBe(0);
    expect(loaded.stderr).toMatch(/村 52378/);
    const count = await database.db
      .selectFrom('regions')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow();
    expect(Number(count.count)).toBe(1 + 18 + 181 + 2586 + 52378);
  });

  it('stores a setting and rejects an invalid one', async () => {
    expect((await shouwang('settings', 'set', 'auth.idleTimeoutMinutes', '20')).code).toBe(0);
    const invalid = await shouwang('settings', 'set', 'audit.retentionMonths', '3');
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('6 至 120');
  });

  it('adds a year of holidays and adjusted working days, and lists it', async () => {
    const added = await shouwang(
      'calendar',
      'add',
      '--year',
      '2029',
      '--holiday',
      '春节=2029-02-12..2029-02-19',
      '--workday',
      '春节调休=2029-02-11',
    );
    expect(added.code).toBe(0);
    expect(added.stderr).toContain('已登记 2029 年：放假 8 天，调休上班 1 天');
    const listed = await shouwang('calendar', 'list', '--year', '2029');
    expect(listed.stdout.split('\n')[0]).toBe('2029-02-11\t上班\t春节调休');
    // a Monday is no adjusted working day
    expect((await shouwang('calendar', 'add', '--year', '2029', '--workday', 'x=2029-02-26')).code).not.toBe(
      0,
    );
  }, 180_000);
});
