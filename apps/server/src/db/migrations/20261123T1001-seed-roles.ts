import { type Kysely, sql } from 'kysely';

// Roles and their permission bundles are data; later modules add their permissions in their own migrations.
const roles: Array<{ code: string; name: string; levels: string[]; permissions: string[] }> = [
  {
    code: 'system_admin',
    name: '系统管理员',
    levels: ['province'],
    permissions: [
      'regions:read',
      'users:read',
      'users:write',
      'audit:read',
      'audit:export',
      'settings:read',
      'settings:write',
    ],
  },
  {
    code: 'province_admin',
    name: '省级管理员',
    levels: ['province'],
    permissions: ['regions:read', 'users:read', 'users:write', 'audit:read', 'settings:read'],
  },
  { code: 'city_user', name: '市级用户', levels: ['city'], permissions: ['regions:read', 'users:read'] },
  {
    code: 'county_user',
    name: '县级用户',
    levels: ['county'],
    permissions: ['regions:read', 'users:read', 'users:write'],
  },
  { code: 'township_user', name: '乡镇用户', levels: ['township'], permissions: ['regions:read'] },
  { code: 'village_user', name: '村级用户', levels: ['village'], permissions: ['regions:read'] },
  {
    code: 'department_user',
    name: '行业部门用户',
    levels: ['province', 'city', 'county'],
    permissions: ['regions:read'],
  },
  {
    code: 'leader_readonly',
    name: '只读领导',
    levels: ['province', 'city', 'county', 'township'],
    permissions: ['regions:read'],
  },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [index, role] of roles.entries()) {
    await sql`INSERT INTO roles (code, name, levels, sort_order)
      VALUES (${role.code}, ${role.name}, ${role.levels}, ${index + 1})`.execute(db);
    for (const permission of role.permissions) {
      await sql`INSERT INTO role_permissions (role_code, permission) VALUES (${role.code}, ${permission})`.execute(
        db,
      );
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM roles`.execute(db);
}
