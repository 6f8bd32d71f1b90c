import { type Kysely, sql } from 'kysely';

/**
 * Request counters of rate-limited routes (the public self-report form), shared by every process of
 * the installation: one row per route, client key and fixed time window. UNLOGGED: counters are
 * worthless after a crash and must not cost WAL; rows of past windows are pruned as new ones come.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE UNLOGGED TABLE rate_limit_buckets (
      route text NOT NULL,
      client_key text NOT NULL,
      window_start timestamptz NOT NULL,
      hits int NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (route, client_key, window_start)
    );
    CREATE INDEX rate_limit_buckets_expiry_idx ON rate_limit_buckets (expires_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE rate_limit_buckets`.execute(db);
}
