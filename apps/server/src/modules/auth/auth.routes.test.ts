import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../test/app.ts';
import { regions, testPassword } from '../../../test/fixtures.ts';

let harness: TestApp;

beforeAll(async () => {
  harness = await createTestApp();
});
afterAll(async () => {
  await harness?.close();
});

async function auditActions(username: string) {
  return harness.database.db
    .selectFrom('auditLog')
    .select(['action', 'outcome', 'detail'])
    .where('actorUsername', '=', username)
    .orderBy('id')
    .execute();
}

describe('sign-in', () => {
  it('signs in, describes the session and signs out', async () => {
    const { username } = await harness.createUser({ role: 'village_user', regionCode: regions.chengnei });
    const client = await harness.signIn(username);
    const me = await client.get('/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      state: 'active',
      user: { username, regionCode: regions.chengnei, regionFullName: '河南省开封市兰考县堌阳镇城内村' },
    });
    expect(me.json().user.permissions).toContain('regions:read');
    const logout = await client.post('/api/auth/logout');
    expect(logout.statusCode).toBe(204);
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
    expect((await auditActions(username)).map((row) => row.action)).toEqual(['auth.login', 'auth.logout']);
  });

  it('tells the user when and from where the previous sign-in came', async () => {
    const { username } = await harness.createUser({ role: 'village_user', regionCode: regions.chengnei });
    const first = await harness.signIn(username);
    const firstMe = (await first.get('/api/auth/me')).json();
    expect(firstMe.user.previousLoginAt).toBeNull();
    const second = await harness.signIn(username);
    const secondMe = (await second.get('/api/auth/me')).json();
    expect(secondMe.user.previousLoginAt).toBe(firstMe.user.lastLoginAt);
    expect(secondMe.user.previousLoginIp).toBe(first.remoteAddress);
  });

  it('sets an httpOnly SameSite=Strict session cookie', async () => {
    const { username } = await harness.createUser({ role: 'county_user', regionCode: regions.lankao });
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: testPassword },
    });
    const cookie = response.cookies.find((candidate) => candidate.name === 'sw_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
  });

  it('answers a wrong password and an unknown user alike, and audits both', async () => {
    const { username } = await harness.createUser({ role: 'county_user', regionCode: regions.lankao });
    const client = new TestClient(harness.app);
    const wrong = await client.post('/api/auth/login', { username, password: 'Wrong#Passw0rd' });
    const unknown = await client.post('/api/auth/login', {
      username: 'nobody-here',
      password: 'Wrong#Passw0rd',
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().code).toBe('auth.invalid_credentials');
    expect(unknown.json().code).toBe('auth.invalid_credentials');
    expect(await auditActions('nobody-here')).toMatchObject([
      { action: 'auth.login', outcome: 'failure', detail: { reason: 'unknown_user' } },
    ]);
  });
});

describe('lockout', () => {
  it('locks the account for 15 minutes after 5 failed sign-ins, audits it, and unlocks by an administrator', async () => {
    const { id, username } = await harness.createUser({
      role: 'village_user',
      regionCode: regions.renzhuang,
    });
    const client = new TestClient(harness.app);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      statuses.push(
        (await client.post('/api/auth/login', { username, password: 'Wrong#Passw0rd' })).statusCode,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 423]);
    // Even the right password is refused while locked.
    const locked = await client.post('/api/auth/login', { username, password: testPassword });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().message).toContain('15 分钟');

    const row = await harness.database.db
      .selectFrom('users')
      .select('lockedUntil')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const minutes = ((row.lockedUntil?.getTime() ?? 0) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
    const actions = await auditActions(username);
    expect(actions.filter((entry) => entry.action === 'auth.lockout')).toHaveLength(1);
    expect(actions.at(-1)).toMatchObject({
      action: 'auth.login',
      outcome: 'denied',
      detail: { reason: 'locked' },
    });

    const admin = await harness.createUser({ role: 'county_user', regionCode: regions.lankao });
    const adminClient = await harness.signIn(admin.username);
    const unlock = await adminClient.post(`/api/users/${id}/unlock`);
    expect(unlock.statusCode).toBe(200);
    expect(unlock.json().lockedUntil).toBeNull();
    expect((await client.post('/api/auth/login', { username, password: testPassword })).statusCode).toBe(200);
  });

  it('lets the lock expire on its own', async () => {
    const { id, username } = await harness.createUser({
      role: 'village_user',
      regionCode: regions.renzhuang,
    });
    await harness.database.db
      .updateTable('users')
      .set({ lockedUntil: new Date(Date.now() - 1000) })
      .where('id', '=', id)
      .execute();
    expect(
      (await new TestClient(harness.app).post('/api/auth/login', { username, password: testPassword }))
        .statusCode,
    ).toBe(200);
  });
});

describe('session lifetime', () => {
  it('ends a session idle for longer than the idle timeout (30 minutes by default)', async () => {
    const { username } = await harness.createUser({ role: 'village_user', regionCode: regions.chengnei });
    const client = await harness.signIn(username);
    const setIdle = (minutes: number) =>
      harness.database.db
        .updateTable('sessions')
        .set({ lastSeenAt: new Date(Date.now() - minutes * 60_000) })
        .where('userId', '=', (eb) => eb.selectFrom('users').select('id').where('username', '=', username))
        .execute();
    await setIdle(29);
    expect((await client.get('/api/auth/me')).statusCode).toBe(200);
    await setIdle(31);
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('ends a session past its absolute lifetime even when active', async () => {
    const { username } = await harness.createUser({ role: 'village_user', regionCode: regions.chengnei });
    const client = await harness.signIn(username);
    await harness.database.db
      .updateTable('sessions')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where('userId', '=', (eb) => eb.selectFrom('users').select('id').where('username', '=', username))
      .execute();
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
  });
});

describe('CSRF defence', () => {
  it('refuses a write without the session CSRF token', async () => {
    const { username } = await harness.createUser({ role: 'village_user', regionCode: regions.chengnei });
    const client = await harness.signIn(username);
    const response = await client.request({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { 'x-csrf-token': 'forged' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('common.csrf');
    expect((await client.get('/api/auth/me')).statusCode).toBe(200);
  });
});

describe('passwords', () => {
  it('forces a password change at first sign-in and enforces the policy and history', async () => {
    const { username } = await harness.createUser({
      role: 'township_user',
      regionCode: regions.guyang,
      mustChangePassword: true,
    });
    const client = await harness.signIn(username);
    expect((await client.get('/api/auth/me')).json().state).toBe('password_change_required');
    expect((await client.get('/api/regions/410225101000')).statusCode).toBe(403);

    const weak = await client.post('/api/auth/password', {
      currentPassword: testPassword,
      newPassword: 'short',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().details.violations).toContain('密码长度不少于 10 位');
    const same = await client.post('/api/auth/password', {
      currentPassword: testPassword,
      newPassword: testPassword,
    });
    expect(same.json().details.violations).toContain('不能与最近 5 次使用过的密码相同');
    const withName = await client.post('/api/auth/password', {
      currentPassword: testPassword,
      newPassword: `${username}#A1x`,
    });
    expect(withName.json().details.violations).toContain('密码不能包含用户名');

    const changed = await client.post('/api/auth/password', {
      currentPassword: testPassword,
      newPassword: 'Guyang#Town2026',
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().state).toBe('active');
    expect((await client.get('/api/regions/410225101000')).statusCode).toBe(200);
  });

  it('refuses any of the last five passwords', async () => {
    const { username } = await harness.createUser({ role: 'township_user', regionCode: regions.guyang });
    const client = await harness.signIn(username);
    const history = ['Second#Pass01', 'Third#Pass001', 'Fourth#Pass01', 'Fifth#Pass001', 'Sixth#Pass001'];
    let current = testPassword;
    for (const next of history) {
      const response = await client.post('/api/auth/password', {
        currentPassword: current,
        newPassword: next,
      });
      expect(response.statusCode).toBe(200);
      current = next;
    }
    // The first password is now six changes back: allowed again; the second is not.
    const second = await client.post('/api/auth/password', {
      currentPassword: current,
      newPassword: 'Second#Pass01',
    });
    expect(second.statusCode).toBe(400);
    const first = await client.post('/api/auth/password', {
      currentPassword: current,
      newPassword: testPassword,
    });
    expect(first.statusCode).toBe(200);
  });
});

describe('TOTP second factor', () => {
  it('enrols, then asks for a code at sign-in and rejects a wrong one', async () => {
    const { username } = await harness.createUser({ role: 'county_user', regionCode: regions.lankao });
    const client = await harness.signIn(username);
    const enrolment = await client.post('/api/auth/totp/enrolment');
    expect(enrolment.statusCode).toBe(200);
    const { secret, otpauthUrl } = enrolment.json();
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    expect((await client.post('/api/auth/totp/enrolment/confirm', { code: '000000' })).statusCode).toBe(401);
    const confirmed = await client.post('/api/auth/totp/enrolment/confirm', {
      code: await generate({ secret }),
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().user.totpEnabled).toBe(true);

    const second = new TestClient(harness.app);
    const login = await second.post('/api/auth/login', { username, password: testPassword });
    expect(login.json().state).toBe('second_factor_required');
    expect((await second.get(`/api/regions/${regions.lankao}`)).statusCode).toBe(403);
    const wrongCode = await second.post('/api/auth/totp/verify', { code: '123456' });
    expect(wrongCode.statusCode).toBe(401);
    expect(wrongCode.json().code).toBe('auth.invalid_totp');
    const verified = await second.post('/api/auth/totp/verify', { code: await generate({ secret }) });
    expect(verified.json().state).toBe('active');
    expect((await second.get(`/api/regions/${regions.lankao}`)).statusCode).toBe(200);
    const outcomes = (await auditActions(username)).filter((entry) => entry.action === 'auth.second_factor');
    expect(outcomes.map((entry) => entry.outcome)).toEqual(['failure', 'success']);
  });

  it('requires administrators to enrol when the setting is on', async () => {
    const { username } = await harness.createUser({ role: 'province_admin', regionCode: regions.province });
    await harness.app.settings.setFromText('auth.requireAdminTotp', 'true', 'test');
    try {
      const client = await harness.signIn(username);
      expect((await client.get('/api/auth/me')).json().state).toBe('totp_enrolment_required');
      expect((await client.get('/api/users')).statusCode).toBe(403);
      const { secret } = (await client.post('/api/auth/totp/enrolment')).json();
      const confirmed = await client.post('/api/auth/totp/enrolment/confirm', {
        code: await generate({ secret }),
      });
      expect(confirmed.json().state).toBe('active');
      expect((await client.get('/api/users')).statusCode).toBe(200);
      const disable = await client.post('/api/auth/totp/disable', { code: await generate({ secret }) });
      expect(disable.json().code).toBe('auth.totp_required');
    } finally {
      await harness.app.settings.setFromText('auth.requireAdminTotp', 'false', 'test');
    }
  });
});

describe('login rate limit', () => {
  it('answers 429 after 20 sign-in attempts a minute from one address', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 22; attempt += 1) {
      const response = await harness.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '10.9.9.9',
        payload: { username: 'nobody', password: 'x' },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });
});
