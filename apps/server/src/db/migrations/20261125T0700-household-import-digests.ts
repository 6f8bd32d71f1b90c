import { type Kysely, sql } from 'kysely';

/**
 * What each household looked like in the national file that last wrote it: a 64-bit hash of its rows'
 * raw cells (with the village, the statistics year and the file's column layout). A weekly re-import
 * of a province lists millions of households that have not changed; where a household's rows hash to
 * its stored digest, the import neither types nor compares them.
 *
 * A digest holds only while nothing else has written the household since: every write to a household,
 * its members, incomes, risks or measures deletes its digest (row triggers), except the national
 * sync's own writes, which set `shouwang.national_sync` for their transaction and keep the digests
 * themselves.
 *
 * Each forgetting is also logged (`household_digest_forgets`): a write that commits while a sync is
 * applying, after the sync compared the household but before it stored the digest, would otherwise be
 * covered by a digest that no longer describes the registry. The sync stores no digest for a household
 * logged since it began, and prunes the log up to where it began.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE household_import_digests (
      household_id bigint PRIMARY KEY,
      digest bigint NOT NULL
    );
    CREATE TABLE household_digest_forgets (
      id bigserial PRIMARY KEY,
      household_id bigint NOT NULL
    );

    CREATE FUNCTION forget_household_import_digest() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        DELETE FROM household_import_digests WHERE household_id = OLD.id;
        INSERT INTO household_digest_forgets (household_id) VALUES (OLD.id);
      END IF;
      RETURN NULL;
    END $$;

    CREATE FUNCTION forget_member_import_digest() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        DELETE FROM household_import_digests WHERE household_id = OLD.household_id;
        INSERT INTO household_digest_forgets (household_id) VALUES (OLD.household_id);
      END IF;
      IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.household_id IS DISTINCT FROM OLD.household_id) THEN
        DELETE FROM household_import_digests WHERE household_id = NEW.household_id;
        INSERT INTO household_digest_forgets (household_id) VALUES (NEW.household_id);
      END IF;
      RETURN NULL;
    END $$;

    -- A new household has no digest to forget.
    CREATE TRIGGER households_forget_import_digest
      AFTER UPDATE OR DELETE ON households FOR EACH ROW
      WHEN (current_setting('shouwang.national_sync', true) IS DISTINCT FROM 'on')
      EXECUTE FUNCTION forget_household_import_digest();
  `.execute(db);
  for (const table of ['persons', 'household_incomes', 'household_risks', 'household_measures']) {
    await sql`
      CREATE TRIGGER ${sql.raw(`${table}_forget_import_digest`)}
        AFTER INSERT OR UPDATE OR DELETE ON ${sql.table(table)} FOR EACH ROW
        WHEN (current_setting('shouwang.national_sync', true) IS DISTINCT FROM 'on')
        EXECUTE FUNCTION forget_member_import_digest()`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'households',
    'persons',
    'household_incomes',
    'household_risks',
    'household_measures',
  ]) {
    await sql`DROP TRIGGER ${sql.raw(`${table}_forget_import_digest`)} ON ${sql.table(table)}`.execute(db);
  }
  await sql`
    DROP FUNCTION forget_member_import_digest();
    DROP FUNCTION forget_household_import_digest();
    DROP TABLE household_digest_forgets;
    DROP TABLE household_import_digests;
  `.execute(db);
}
