import { type Kysely, sql } from 'kysely';

// households:read  lists and details (masked personal data)
// households:write edit forms (writes history with source cadre)
// households:reveal see ID numbers and phones whole (each time audited)
// imports:run      import national sync files; imports:read batch history and row errors
const grants: Record<string, string[]> = {
  system_admin: ['households:read', 'households:write', 'households:reveal', 'imports:run', 'imports:read'],
  province_admin: ['households:read', 'households:write', 'households:reveal', 'imports:run', 'imports:read'],
  city_user: ['households:read', 'imports:read'],
  county_user: ['households:read', 'households:write', 'households:reveal', 'imports:run', 'imports:read'],
  township_user: ['households:read', 'households:write', 'households:reveal'],
  village_user: ['households:read', 'households:write', 'households:reveal'],
  department_user: ['households:read'],
  leader_readonly: ['households:read'],
};

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [role, permissions] of Object.entries(grants)) {
    for (const permission of permissions) {
      await sql`INSERT INTO role_permissions (role_code, permission) VALUES (${role}, ${permission})
        ON CONFLICT DO NOTHING`.execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM role_permissions WHERE permission LIKE 'households:%' OR permission LIKE 'imports:%'`.execute(
    db,
  );
}
