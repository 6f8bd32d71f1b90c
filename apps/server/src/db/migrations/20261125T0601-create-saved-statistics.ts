import { type Kysely, sql } from 'kysely';

/**
 * Custom statistics a user saved to run again: a name, the expression in the rule language, its scope
 * (person or household) and a note. Each user sees and deletes only their own.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE saved_statistics (
      id bigserial PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
      expression text NOT NULL CHECK (length(expression) BETWEEN 1 AND 4000),
      scope text NOT NULL CHECK (scope IN ('person', 'household')),
      note text CHECK (length(note) <= 500),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (user_id, name)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE saved_statistics`.execute(db);
}
