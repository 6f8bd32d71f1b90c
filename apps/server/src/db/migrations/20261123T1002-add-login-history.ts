import { type Kysely, sql } from 'kysely';

// The sign-in before the current one, shown to the user so that a stranger's sign-in is noticed.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE users
      ADD COLUMN last_login_ip text,
      ADD COLUMN previous_login_at timestamptz,
      ADD COLUMN previous_login_ip text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE users DROP COLUMN last_login_ip, DROP COLUMN previous_login_at, DROP COLUMN previous_login_ip`.execute(
    db,
  );
}
