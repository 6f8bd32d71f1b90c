import { type Kysely, sql } from 'kysely';

/**
 * The selection of a custom statistic (定制化统计), kept for a few minutes so that its counts and every
 * page of its person list read it instead of evaluating the expression again: at province
 * scale a person expression takes ~20 s each time. A selection is keyed by everything its hits depend
 * on (expression, scope, year, reference date, monitoring line, region). A registry change marks every
 * selection taken before it stale (`invalidated_at`), including one still being computed from an older
 * snapshot. UNLOGGED: a cache, emptied by a crash like any unlogged table, never the data of record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE UNLOGGED TABLE custom_statistic_selections (
      key text PRIMARY KEY,
      region_code char(12) NOT NULL,
      hit_count bigint NOT NULL,
      -- NULL until the person list is first asked for: its order is stored then.
      person_count bigint,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNLOGGED TABLE custom_statistic_selection_hits (
      key text NOT NULL REFERENCES custom_statistic_selections (key) ON DELETE CASCADE,
      household_id bigint NOT NULL,
      person_id bigint,
      region_code char(12) NOT NULL
    );
    CREATE INDEX custom_statistic_selection_hits_key_idx ON custom_statistic_selection_hits (key);
    -- The persons the list shows, numbered in list order: a page is a range of ordinals.
    CREATE UNLOGGED TABLE custom_statistic_selection_persons (
      key text NOT NULL REFERENCES custom_statistic_selections (key) ON DELETE CASCADE,
      ordinal bigint NOT NULL,
      person_id bigint NOT NULL,
      region_code char(12) NOT NULL,
      PRIMARY KEY (key, ordinal)
    );
    CREATE TABLE custom_statistic_cache_state (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      invalidated_at timestamptz NOT NULL
    );
    INSERT INTO custom_statistic_cache_state (invalidated_at) VALUES (now());
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE custom_statistic_cache_state, custom_statistic_selection_persons,
    custom_statistic_selection_hits, custom_statistic_selections`.execute(db);
}
