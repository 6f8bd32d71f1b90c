import { type Kysely, sql } from 'kysely';

// quality:read          rules, findings, runs, rankings: everyone who may read households (findings are
//                       about households they already see, and cadres fix what the rules find)
// quality:export        findings and rankings as xlsx (masked; audited): the same readers minus
//                       department users, who get their own exchange exports
// quality:run           start a run over one's own region: province, and counties, where corrections
//                       are verified (township and village cadres see results of the nightly run and
//                       the instant re-check of each edit; many small runs would only compete with it)
// rules:write           add, edit, enable and disable rules: the province decides what is a defect
// exemptions:request    ask to accept a finding as a true exception: the cadres who hold the record
// exemptions:approve    decide requests: county and above (not the requester's own level below county,
//                       so that an exception is never waved through by the one who asked)
const grants: Record<string, string[]> = {
  system_admin: ['quality:read', 'quality:export', 'quality:run', 'rules:write', 'exemptions:approve'],
  province_admin: ['quality:read', 'quality:export', 'quality:run', 'rules:write', 'exemptions:approve'],
  city_user: ['quality:read', 'quality:export', 'exemptions:approve'],
  county_user: ['quality:read', 'quality:export', 'quality:run', 'exemptions:request', 'exemptions:approve'],
  township_user: ['quality:read', 'quality:export', 'exemptions:request'],
  village_user: ['quality:read', 'quality:export', 'exemptions:request'],
  department_user: ['quality:read'],
  leader_readonly: ['quality:read', 'quality:export'],
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
  await sql`DELETE FROM role_permissions
    WHERE permission LIKE 'quality:%' OR permission LIKE 'rules:%' OR permission LIKE 'exemptions:%'`.execute(
    db,
  );
}
