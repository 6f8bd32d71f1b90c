import { type Kysely, sql } from 'kysely';

// monitoring:read   leads, cases, notices, attachments of the caller's region; the workbench to-dos
// monitoring:report record a lead from a cadre's home visit
// monitoring:act    act on a case step; which step a role and level may act on is the workflow's table
// monitoring:export the month's approved and eliminated households in the national layout
const grants: Record<string, string[]> = {
  system_admin: ['monitoring:read'],
  province_admin: ['monitoring:read', 'monitoring:export'],
  city_user: ['monitoring:read', 'monitoring:export'],
  county_user: ['monitoring:read', 'monitoring:act', 'monitoring:export'],
  township_user: ['monitoring:read', 'monitoring:act', 'monitoring:report'],
  village_user: ['monitoring:read', 'monitoring:act', 'monitoring:report'],
  leader_readonly: ['monitoring:read'],
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
  await sql`DELETE FROM role_permissions WHERE permission LIKE 'monitoring:%'`.execute(db);
}
