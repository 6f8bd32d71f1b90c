import { type Kysely, sql } from 'kysely';

/**
 * What a full quality run looked at: its rules and region range, and when it merged. An open finding
 * that a later covering run did not fix was seen by that run, so a full run no longer rewrites every
 * finding it finds again: a finding's last sighting is its stored one or the latest covering run after
 * it (quality.repository.ts, findingLastSeen). Re-checks store their sightings on the findings themselves.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE quality_runs
      ADD COLUMN covered_rule_codes text[],
      ADD COLUMN covered_lo char(12),
      ADD COLUMN covered_hi char(12),
      ADD COLUMN merged_at timestamptz;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE quality_runs
      DROP COLUMN covered_rule_codes,
      DROP COLUMN covered_lo,
      DROP COLUMN covered_hi,
      DROP COLUMN merged_at;
  `.execute(db);
}
