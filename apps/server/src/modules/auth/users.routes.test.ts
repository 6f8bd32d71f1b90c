import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../test/app.ts';
import { regions } from '../../../test/fixtures.ts';

let harness: TestApp;
let county: TestClient;

beforeAll(async () => {
  harness = await createTestApp();
  const countyUser = await harness.createUser({ role: 'county_user', regionCode: regions.lankao });
  county = await harness.signIn(countyUser.username);
});
afterAll(async () => {
  await harness?.close();
});

const newVillageUser = (overrides: Record<string, unknown> = {}) => ({
  username: `cadre${Math.floor(Math.random() * 1e6)}`,
  displayName: '城内村信息员',
  password: 'Chengnei#2026',
  regionCode: regions.chengnei,
  roles: ['village_user'],
  phone: '13800001234',
  ...overrides,
});

describe('user administration', () => {
  it('lets a county user create a village account that must change its password at first sign-in', async () => {
    const body = newVillageUser();
    const created = await county.post('/api/users', body);
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({
      username: body.username,
      regionFullName: '河南省开封市兰考县堌阳镇城内村',
      roles: [{ code: 'village_user', name: '村级用户' }],
      mustChangePassword: true,
    });
    const signedIn = await harness.signIn(body.username, body.password);
    expect((await signedIn.get('/api/auth/me')).json().state).toBe('password_change_required');
    const audit = await harness.database.db
      .selectFrom('auditLog')
      .select(['action', 'targetId'])
      .where('action', '=', 'users.create')
      .where('targetId', '=', created.json().id)
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('refuses a role placed at the wrong level', async () => {
    const response = await county.post('/api/users', newVillageUser({ roles: ['county_user'] }));
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('auth.role_level');
  });

  it('refuses administrator roles to anyone but a system administrator', async () => {
    const provinceAdmin = await harness.createUser({ role: 'province_admin', regionCode: regions.province });
    const client = await harness.signIn(provinceAdmin.username);
    const response = await client.post(
      '/api/users',
      newVillageUser({ regionCode: regions.province, roles: ['system_admin'] }),
    );
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('auth.role_not_grantable');
  });

  it('offers only the roles the caller may grant', async () => {
    const codes = (await county.get('/api/roles')).json().items.map((role: { code: string }) => role.code);
    expect(codes).toContain('village_user');
    expect(codes).not.toContain('system_admin');
    expect(codes).not.toContain('province_admin');
  });

  it('refuses a weak initial password with the reasons', async () => {
    const response = await county.post('/api/users', newVillageUser({ password: 'abc' }));
    expect(response.statusCode).toBe(400);
    expect(response.json().details.violations.length).toBeGreaterThan(0);
  });

  it('refuses a duplicate user name', async () => {
    const body = newVillageUser();
    expect((await county.post('/api/users', body)).statusCode).toBe(200);
    expect((await county.post('/api/users', body)).json().code).toBe('auth.username_taken');
  });

  it('filters the list by region and text within the scope', async () => {
    const body = newVillageUser({ displayName: '任庄村专员', regionCode: regions.renzhuang });
    await county.post('/api/users', body);
    const response = await county.get(`/api/users?regionCode=${regions.renzhuang}&q=${body.username}`);
    expect(response.json()).toMatchObject({ total: 1, items: [{ username: body.username }] });
  });

  it('resets a password: sessions end and the next sign-in must change it', async () => {
    const target = await harness.createUser({ role: 'village_user', regionCode: regions.chengnei });
    const session = await harness.signIn(target.username);
    const reset = await county.post(`/api/users/${target.id}/reset-password`, { password: 'Temporary#2026' });
    expect(reset.json().mustChangePassword).toBe(true);
    expect((await session.get('/api/auth/me')).statusCode).toBe(401);
    const again = await harness.signIn(target.username, 'Temporary#2026');
    expect((await again.get('/api/auth/me')).json().state).toBe('password_change_required');
  });

  it('disables an account, ending its sessions and refusing sign-in', async () => {
    const target = await harness.createUser({ role: 'village_user', regionCode: regions.chengnei });
    const session = await harness.signIn(target.username);
    expect((await county.post(`/api/users/${target.id}/disable`)).json().disabled).toBe(true);
    expect((await session.get('/api/auth/me')).statusCode).toBe(401);
    await expect(harness.signIn(target.username)).rejects.toThrow(/auth.disabled/);
  });

  it('forbids user administration to roles without users:write', async () => {
    const village = await harness.createUser({ role: 'village_user', regionCode: regions.chengnei });
    const client = await harness.signIn(village.username);
    const response = await client.post('/api/users', newVillageUser());
    expect(response.statusCode).toBe(403);
    const denied = await harness.database.db
      .selectFrom('auditLog')
      .select(['outcome'])
      .where('action', '=', 'access.denied')
      .where('actorUsername', '=', village.username)
      .execute();
    expect(denied).toEqual([{ outcome: 'denied' }]);
  });
});
