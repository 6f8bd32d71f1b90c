import { type Kysely, sql } from 'kysely';

/**
 * The analytics cube: counts of the assisted population (lifted or monitored households and their
 * active members), pre-aggregated per statistics year at every region level, so that each standard
 * report at any level and filter is a small indexed read. Rebuilt whole by the analytics service
 * (after imports and on demand); see analytics.repository.ts for the design.
 *
 * analytics:read   standard reports on screen and from the API
 * analytics:export Excel export of a report view (each export audited)
 * analytics:refresh rebuild the cube on demand
 */
const grants: Record<string, string[]> = {
  system_admin: ['analytics:read', 'analytics:export', 'analytics:refresh'],
  province_admin: ['analytics:read', 'analytics:export', 'analytics:refresh'],
  city_user: ['analytics:read', 'analytics:export'],
  county_user: ['analytics:read', 'analytics:export'],
  township_user: ['analytics:read', 'analytics:export'],
  village_user: ['analytics:read', 'analytics:export'],
  department_user: ['analytics:read', 'analytics:export'],
  leader_readonly: ['analytics:read', 'analytics:export'],
};

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE analytics_cube (
      statistics_year int NOT NULL,
      region_level text NOT NULL,
      region_code char(12) NOT NULL,
      -- enjoying | not_enjoying | unrecorded (lifted households by 脱贫享受政策) | none (not lifted)
      lifted_status text NOT NULL,
      -- eliminated | not_eliminated | none (not monitored)
      monitored_status text NOT NULL,
      -- monitoring category code, '' when not monitored
      monitoring_category text NOT NULL,
      dimension text NOT NULL,
      -- a second key some dimensions carry (elimination-interval: the elimination year), else ''
      period text NOT NULL DEFAULT '',
      value text NOT NULL,
      households bigint NOT NULL,
      persons bigint NOT NULL
    );
    CREATE INDEX analytics_cube_read_idx
      ON analytics_cube (statistics_year, dimension, region_level, region_code);

    CREATE TABLE analytics_refreshes (
      id bigserial PRIMARY KEY,
      started_at timestamptz NOT NULL,
      finished_at timestamptz NOT NULL DEFAULT now(),
      -- import (after a national sync), cli, api
      trigger text NOT NULL,
      -- statistics year → reference date (YYYY-MM-DD) the cube was computed at
      reference_dates jsonb NOT NULL,
      cube_rows bigint NOT NULL,
      milliseconds int NOT NULL
    );
  `.execute(db);
  for (const [role, permissions] of Object.entries(grants)) {
    for (const permission of permissions) {
      await sql`INSERT INTO role_permissions (role_code, permission) VALUES (${role}, ${permission})
        ON CONFLICT DO NOTHING`.execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM role_permissions WHERE permission LIKE 'analytics:%'`.execute(db);
  await sql`DROP TABLE IF EXISTS analytics_cube_building`.execute(db);
  await sql`DROP TABLE analytics_refreshes, analytics_cube`.execute(db);
}
