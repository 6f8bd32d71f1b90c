import { type Kysely, sql } from 'kysely';

/**
 * A lead that is not a real case (a duplicate, not in difficulty, the wrong village) is dismissed with
 * a kind and a reason; who dismissed it and when is kept on the lead, so its history shows it.
 *
 * A case may start without a household: a lead about a person whose ID number is not in the registry
 * becomes an identification case, and home verification records the household (through the registry)
 * before the chain goes on. Every step after verification has the household.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE monitoring_leads
      ADD COLUMN dismissal_kind text
        CHECK (dismissal_kind IN ('duplicate', 'not_in_difficulty', 'wrong_village', 'other')),
      ADD COLUMN dismissed_by bigint,
      ADD COLUMN dismissed_by_username text,
      ADD COLUMN dismissed_at timestamptz;
    ALTER TABLE monitoring_cases ALTER COLUMN household_id DROP NOT NULL;
    -- one open identification per unregistered ID number, as one per household for registered ones
    ALTER TABLE monitoring_cases ADD COLUMN id_number text;
    CREATE UNIQUE INDEX monitoring_cases_open_unregistered ON monitoring_cases (id_number, kind)
      WHERE closed_at IS NULL AND household_id IS NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX monitoring_cases_open_unregistered;
    ALTER TABLE monitoring_cases DROP COLUMN id_number;
    ALTER TABLE monitoring_cases ALTER COLUMN household_id SET NOT NULL;
    ALTER TABLE monitoring_leads DROP COLUMN dismissal_kind, DROP COLUMN dismissed_by,
      DROP COLUMN dismissed_by_username, DROP COLUMN dismissed_at;
  `.execute(db);
}
