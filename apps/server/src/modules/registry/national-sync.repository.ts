import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { regionScopeCondition } from '../access/region-scope.ts';
import type { RegionRange } from '../regions/region-code.ts';
import type { SyncCounts, SyncCoverage, SyncField } from './national-sync.service.ts';
import { localHouseholdNoPrefix } from './registry.repository.ts';

export interface SyncContext {
  batchId: string;
  year: number;
  scope: RegionRange;
  coverage: SyncCoverage[];
  householdFields: SyncField[];
  personFields: SyncField[];
  incomeFields: SyncField[];
  riskFields: SyncField[];
  measureFields: Array<{ category: string; column: string }>;
}

const identifierPattern = /^[a-z][a-z0-9_]*$/;
const raw = (identifier: string): RawBuilder<unknown> => {
  if (!identifierPattern.test(identifier)) throw new Error(`unexpected identifier ${identifier}`);
  return sql.raw(identifier);
};
const columnOf = (alias: string, column: string): RawBuilder<unknown> => {
  if (!identifierPattern.test(alias) || !identifierPattern.test(column)) {
    throw new Error(`unexpected identifier ${alias}.${column}`);
  }
  return sql.raw(`${alias}.${column}`);
};
const list = (items: RawBuilder<unknown>[]) => sql.join(items, sql`, `);

/** Registry tables a sync inserts into, in the order their foreign keys point (referenced first). */
const bulkLoadedTables = [
  'households',
  'persons',
  'household_incomes',
  'household_risks',
  'household_measures',
  'field_history',
];

/**
 * All SQL of the national sync. Runs on the import's own connection, where the exchange module staged
 * the snapshot in temporary tables (see syncTables); every statement is set-based.
 */
/** A household recorded here rather than by the national system (registry.repository's localHouseholdNoPrefix). */
const isLocalHousehold = (alias: string) =>
  sql<SqlBool>`${sql.ref(`${alias}.household_no`)} LIKE ${`${localHouseholdNoPrefix}%`}`;

/** Ids of the households recorded here within the coverage rows (`coverage.lo`, `coverage.hi`). */
const localHouseholdsIn = (coverage: RawBuilder<unknown>) =>
  sql`SELECT l.id FROM ${coverage} JOIN households l ON l.region_code >= coverage.lo AND l.region_code < coverage.hi
    WHERE ${isLocalHousehold('l')}`;

export class NationalSyncRepository {
  /** Change tables written so far, for the history and the counts. */
  private readonly written = { incomes: false, risks: false, measures: false };
  /** Indexes and foreign keys dropped for a bulk load, to build again before COMMIT. */
  private deferred: Array<{
    table: string;
    constraints: Array<{ name: string; definition: string }>;
    indexes: Array<{ name: string; definition: string }>;
  }> = [];

  constructor(private readonly db: Kysely<Database>) {}

  /**
   * The sync's own writes keep the household import digests themselves (writeDigests): the setting
   * tells the registry's triggers, which forget a household's digest on any other write, to let them be.
   */
  async begin() {
    await sql`BEGIN`.execute(this.db);
    await sql`SET LOCAL shouwang.national_sync = 'on'`.execute(this.db);
  }

  async commit() {
    await sql`COMMIT`.execute(this.db);
  }

  async rollback() {
    await sql`ROLLBACK`.execute(this.db);
  }

  /**
   * The first load of an empty registry table writes millions of rows: maintaining its secondary
   * indexes row by row and checking its foreign keys row by row costs several times the insert itself.
   * For each table the sync writes that is empty, this takes the table's exclusive lock (readers wait
   * until the sync commits: there is nothing to read yet), drops those indexes and foreign keys, and
   * restoreDeferredIndexes builds them again in one sorted pass each before COMMIT. A rollback (a
   * failed or killed import) brings them back as they were.
   */
  async deferIndexesOfEmptyTables() {
    for (const table of bulkLoadedTables) {
      if (!(await this.isEmpty(table))) continue;
      await sql`LOCK TABLE ${raw(table)} IN ACCESS EXCLUSIVE MODE`.execute(this.db);
      // Rows may have arrived between the look and the lock.
      if (!(await this.isEmpty(table))) continue;
      const { rows: constraints } = await sql<{ name: string; definition: string }>`
        SELECT conname AS name, pg_get_constraintdef(oid) AS definition
        FROM pg_constraint
        WHERE conrelid = ${table}::regclass AND contype = 'f'
        ORDER BY conname`.execute(this.db);
      const { rows: indexes } = await sql<{ name: string; definition: string }>`
        SELECT index_class.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
        FROM pg_index i
        JOIN pg_class index_class ON index_class.oid = i.indexrelid
        WHERE i.indrelid = ${table}::regclass AND NOT i.indisunique AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY index_class.relname`.execute(this.db);
      for (const constraint of constraints) {
        await sql`ALTER TABLE ${raw(table)} DROP CONSTRAINT ${sql.id(constraint.name)}`.execute(this.db);
      }
      for (const index of indexes) await sql`DROP INDEX ${sql.id(index.name)}`.execute(this.db);
      this.deferred.push({ table, constraints, indexes });
    }
  }

  /**
   * Builds the indexes and checks the foreign keys deferIndexesOfEmptyTables dropped, for every table
   * but those in `except` (whose bulk insert is still to come).
   */
  async restoreDeferredIndexes(options: { except: string[] }) {
    const now = this.deferred.filter((item) => !options.except.includes(item.table));
    for (const { indexes } of now) {
      for (const index of indexes) await sql.raw(index.definition).execute(this.db);
    }
    for (const { table, constraints } of now) {
      for (const constraint of constraints) {
        await sql`ALTER TABLE ${raw(table)} ADD CONSTRAINT ${sql.id(constraint.name)} ${sql.raw(constraint.definition)}`.execute(
          this.db,
        );
      }
    }
    this.deferred = this.deferred.filter((item) => options.except.includes(item.table));
  }

  private async isEmpty(table: string) {
    const { rows } = await sql<{ empty: boolean }>`
      SELECT NOT EXISTS (SELECT 1 FROM ${raw(table)}) AS empty`.execute(this.db);
    return rows[0]?.empty === true;
  }

  /** National syncs run one at a time: two snapshots of one county must not interleave. */
  async lockNationalSync() {
    await sql`SELECT pg_advisory_xact_lock(hashtext('shouwang.national_sync'))`.execute(this.db);
  }

  async insertOutOfScopeHouseholdErrors(options: { scope: RegionRange; householdNoColumn: string }) {
    const result = await sql`
      INSERT INTO sync_errors (row_number, column_name, value, reason)
      SELECT k.key_row_number, ${options.householdNoColumn}, k.household_no,
        '户编号 ' || k.household_no || ' 已登记在' || coalesce(region.full_name, h.region_code) ||
        '，不在您的管辖范围内，不能由本次导入修改'
      FROM sync_household_keys k
      JOIN households h ON h.household_no = k.household_no
      LEFT JOIN regions region ON region.code = h.region_code
      WHERE NOT ${regionScopeCondition(options.scope, 'h.region_code')}`.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }

  /** Households of the snapshot with their registry id (a new one drawn for new households). */
  async matchHouseholds(context: SyncContext) {
    const carried = [
      ...context.householdFields.map((field) => field.column),
      ...context.incomeFields.map((field) => field.column),
      ...context.riskFields.map((field) => field.column),
      ...context.measureFields.map((measure) => measure.column),
    ];
    await sql`
      CREATE TEMP TABLE sync_households ON COMMIT DROP AS
      SELECT k.household_no, k.region_code, k.key_row_number,
        coalesce(h.id, nextval('households_id_seq')) AS household_id,
        h.id IS NULL AS is_new, r.unchanged
        ${carried.length > 0 ? sql`, ${list(carried.map((column) => columnOf('r', column)))}` : sql``}
      FROM sync_household_keys k
      JOIN sync_rows r ON r.row_number = k.key_row_number
      LEFT JOIN households h ON h.household_no = k.household_no`.execute(this.db);
    await sql`CREATE INDEX ON sync_households (household_id)`.execute(this.db);
    await sql`CREATE INDEX ON sync_households (household_no)`.execute(this.db);
    await sql`ANALYZE sync_households (household_no, household_id, is_new)`.execute(this.db);
  }

  /**
   * Persons by 人编号 first, then by ID (first 18, upper-cased) within the same household among those
   * not matched by number; the rest are new.
   */
  async matchPersons(context: SyncContext) {
    await sql`
      CREATE TEMP TABLE sync_person_matches ON COMMIT DROP AS
      SELECT DISTINCT ON (r.row_number) r.row_number, p.id AS person_id
      FROM sync_rows r
      JOIN persons p ON p.person_no = r.person_no
      WHERE r.person_no IS NOT NULL AND p.person_no IS NOT NULL AND ${regionScopeCondition(context.scope, 'p.region_code')}
      ORDER BY r.row_number, (p.status = 'active') DESC, p.id`.execute(this.db);
    await sql`CREATE INDEX ON sync_person_matches (row_number)`.execute(this.db);
    await sql`CREATE INDEX ON sync_person_matches (person_id)`.execute(this.db);
    await sql`ANALYZE sync_person_matches`.execute(this.db);
    await sql`
      INSERT INTO sync_person_matches (row_number, person_id)
      SELECT DISTINCT ON (r.row_number) r.row_number, p.id
      FROM sync_rows r
      JOIN sync_households sh ON sh.household_no = r.household_no AND NOT sh.is_new
      JOIN persons p ON p.household_id = sh.household_id AND upper(left(p.id_number, 18)) = r.id18
      WHERE r.id18 IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM sync_person_matches matched WHERE matched.row_number = r.row_number)
        AND NOT EXISTS (SELECT 1 FROM sync_person_matches matched WHERE matched.person_id = p.id)
      ORDER BY r.row_number, (p.status = 'active') DESC, p.id`.execute(this.db);
    const carried = context.personFields.map((field) => columnOf('r', field.column));
    await sql`
      CREATE TEMP TABLE sync_persons ON COMMIT DROP AS
      SELECT r.row_number, r.household_no, sh.household_id, sh.region_code,
        coalesce(m.person_id, nextval('persons_id_seq')) AS person_id,
        m.person_id IS NULL AS is_new, r.unchanged
        ${carried.length > 0 ? sql`, ${list(carried)}` : sql``}
      FROM sync_rows r
      JOIN sync_households sh ON sh.household_no = r.household_no
      LEFT JOIN sync_person_matches m ON m.row_number = r.row_number`.execute(this.db);
    await sql`CREATE INDEX ON sync_persons (person_id)`.execute(this.db);
    await sql`ANALYZE sync_persons (person_id, household_id, is_new)`.execute(this.db);
  }

  async insertHouseholds(context: SyncContext) {
    const columns = context.householdFields.map((field) => raw(field.column));
    await sql`
      INSERT INTO households (id, region_code, household_no, status, last_batch_id
        ${columns.length > 0 ? sql`, ${list(columns)}` : sql``})
      SELECT household_id, region_code, household_no, 'active', ${context.batchId}::bigint
        ${columns.length > 0 ? sql`, ${list(columns)}` : sql``}
      FROM sync_households WHERE is_new`.execute(this.db);
  }

  async updateHouseholds(context: SyncContext) {
    const fields: SyncField[] = [
      { field: 'regionCode', column: 'region_code', type: 'text' },
      ...context.householdFields,
    ];
    const changes = changeValues('h', 'sh', fields, [
      sql`('status', h.status, 'active', h.status <> 'active')`,
    ]);
    await sql`
      CREATE TEMP TABLE household_changes ON COMMIT DROP AS
      SELECT sh.household_id, sh.region_code, change.field, change.old_value, change.new_value
      FROM sync_households sh
      JOIN households h ON h.id = sh.household_id
      CROSS JOIN LATERAL (VALUES ${changes.values}) AS change (field, old_value, new_value, changed)
      WHERE NOT sh.is_new AND NOT sh.unchanged AND (${changes.anyChanged} OR h.status <> 'active')
        AND change.changed`.execute(this.db);
    await sql`
      UPDATE households h
      SET ${list(fields.map((field) => sql`${raw(field.column)} = ${columnOf('sh', field.column)}`))},
        status = 'active', updated_at = now(), last_batch_id = ${context.batchId}
      FROM sync_households sh
      WHERE h.id = sh.household_id
        AND h.id IN (SELECT household_id FROM household_changes)`.execute(this.db);
  }

  async insertPersons(context: SyncContext) {
    const columns = context.personFields.map((field) => raw(field.column));
    await sql`
      INSERT INTO persons (id, household_id, region_code, status, last_batch_id
        ${columns.length > 0 ? sql`, ${list(columns)}` : sql``})
      SELECT person_id, household_id, region_code, 'active', ${context.batchId}::bigint
        ${columns.length > 0 ? sql`, ${list(columns)}` : sql``}
      FROM sync_persons WHERE is_new`.execute(this.db);
  }

  async updatePersons(context: SyncContext) {
    const fields: SyncField[] = [
      { field: 'regionCode', column: 'region_code', type: 'text' },
      ...context.personFields,
    ];
    const changes = changeValues('p', 'sp', fields, [
      sql`('householdNo', (SELECT household_no FROM households WHERE id = p.household_id), sp.household_no,
        p.household_id IS DISTINCT FROM sp.household_id)`,
      sql`('status', p.status, 'active', p.status = 'absent')`,
    ]);
    await sql`
      CREATE TEMP TABLE person_changes ON COMMIT DROP AS
      SELECT sp.household_id, sp.person_id, sp.region_code, change.field, change.old_value, change.new_value
      FROM sync_persons sp
      JOIN persons p ON p.id = sp.person_id
      CROSS JOIN LATERAL (VALUES ${changes.values}) AS change (field, old_value, new_value, changed)
      WHERE NOT sp.is_new AND NOT sp.unchanged
        AND (${changes.anyChanged} OR p.household_id IS DISTINCT FROM sp.household_id OR p.status = 'absent')
        AND change.changed`.execute(this.db);
    await sql`
      UPDATE persons p
      SET ${list(fields.map((field) => sql`${raw(field.column)} = ${columnOf('sp', field.column)}`))},
        household_id = sp.household_id,
        status = CASE WHEN p.status = 'absent' THEN 'active' ELSE p.status END,
        updated_at = now(), last_batch_id = ${context.batchId}
      FROM sync_persons sp
      WHERE p.id = sp.person_id
        AND p.id IN (SELECT person_id FROM person_changes)`.execute(this.db);
  }

  /** The statistics year's income row of each household: inserted, or updated where a value differs. */
  async applyIncomes(context: SyncContext) {
    const columns = context.incomeFields.map((field) => raw(field.column));
    const anyValue = sql.join(
      context.incomeFields.map((field) => sql`${columnOf('sh', field.column)} IS NOT NULL`),
      sql` OR `,
    );
    await sql`
      INSERT INTO household_incomes (household_id, year, region_code, ${list(columns)})
      SELECT sh.household_id, ${context.year}::int, sh.region_code, ${list(columns)}
      FROM sync_households sh
      WHERE sh.is_new AND (${anyValue})`.execute(this.db);
    const changes = changeValues('i', 'sh', context.incomeFields, []);
    await sql`
      CREATE TEMP TABLE income_changes ON COMMIT DROP AS
      SELECT sh.household_id, sh.region_code, change.field, change.old_value, change.new_value
      FROM sync_households sh
      LEFT JOIN household_incomes i ON i.household_id = sh.household_id AND i.year = ${context.year}::int
      CROSS JOIN LATERAL (VALUES ${changes.values}) AS change (field, old_value, new_value, changed)
      WHERE NOT sh.is_new AND NOT sh.unchanged AND (${changes.anyChanged}) AND change.changed`.execute(
      this.db,
    );
    await sql`
      INSERT INTO household_incomes (household_id, year, region_code, ${list(columns)})
      SELECT sh.household_id, ${context.year}::int, sh.region_code, ${list(columns)}
      FROM sync_households sh
      WHERE sh.household_id IN (SELECT household_id FROM income_changes)
      ON CONFLICT (household_id, year) DO UPDATE
      SET region_code = EXCLUDED.region_code,
        ${list(context.incomeFields.map((field) => sql`${raw(field.column)} = ${sql.raw(`EXCLUDED.${field.column}`)}`))},
        updated_at = now()`.execute(this.db);
    // Income rows of every year follow a household that moved village.
    await sql`
      UPDATE household_incomes i SET region_code = sh.region_code
      FROM sync_households sh
      WHERE i.household_id = sh.household_id AND i.region_code <> sh.region_code
        AND sh.household_id IN (SELECT household_id FROM household_changes WHERE field = 'regionCode')`.execute(
      this.db,
    );
    this.written.incomes = true;
  }

  /** Risks 1–5 of each household, replaced as a whole when they differ. */
  async applyRisks(context: SyncContext) {
    const positions = context.riskFields.map((field) => ({
      position: Number(field.field.slice(-1)),
      column: field.column,
    }));
    const fileRisks = sql`(VALUES ${list(
      positions.map((item) => sql`(${sql.lit(item.position)}, ${columnOf('sh', item.column)})`),
    )}) AS risk (position, risk_type)`;
    await sql`
      CREATE TEMP TABLE risk_changes ON COMMIT DROP AS
      WITH file_risks AS (
        SELECT sh.household_id,
          string_agg(risk.position || ':' || risk.risk_type, ',' ORDER BY risk.position) AS keyed,
          string_agg(risk.risk_type, ',' ORDER BY risk.position) AS risks
        FROM sync_households sh CROSS JOIN LATERAL ${fileRisks}
        WHERE risk.risk_type IS NOT NULL AND NOT sh.is_new AND NOT sh.unchanged
        GROUP BY sh.household_id
      ),
      registry_risks AS (
        SELECT hr.household_id,
          string_agg(hr.position || ':' || hr.risk_type, ',' ORDER BY hr.position) AS keyed,
          string_agg(hr.risk_type, ',' ORDER BY hr.position) AS risks
        FROM household_risks hr
        WHERE hr.household_id IN (SELECT household_id FROM sync_households WHERE NOT is_new AND NOT unchanged)
        GROUP BY hr.household_id
      )
      SELECT sh.household_id, sh.region_code, registry.risks AS old_value, file.risks AS new_value
      FROM sync_households sh
      LEFT JOIN file_risks file ON file.household_id = sh.household_id
      LEFT JOIN registry_risks registry ON registry.household_id = sh.household_id
      WHERE NOT sh.is_new AND NOT sh.unchanged AND file.keyed IS DISTINCT FROM registry.keyed`.execute(
      this.db,
    );
    await sql`DELETE FROM household_risks WHERE household_id IN (SELECT household_id FROM risk_changes)`.execute(
      this.db,
    );
    await sql`
      INSERT INTO household_risks (household_id, position, risk_type)
      SELECT sh.household_id, risk.position, risk.risk_type
      FROM sync_households sh CROSS JOIN LATERAL ${fileRisks}
      WHERE risk.risk_type IS NOT NULL
        AND (sh.is_new OR sh.household_id IN (SELECT household_id FROM risk_changes))`.execute(this.db);
    this.written.risks = true;
  }

  /** Measures per category: one row per value; a category is replaced as a whole when its values differ. */
  async applyMeasures(context: SyncContext) {
    const categories = context.measureFields;
    await sql`
      CREATE TEMP TABLE sync_measures ON COMMIT DROP AS
      SELECT DISTINCT sh.household_id, sh.is_new, measure.category, btrim(item, ' 　') AS value
      FROM sync_households sh
      CROSS JOIN LATERAL (VALUES ${list(
        categories.map((category) => sql`(${category.category}, ${columnOf('sh', category.column)})`),
      )}) AS measure (category, list)
      CROSS JOIN LATERAL regexp_split_to_table(measure.list, '[,，、;；]') AS item
      WHERE NOT sh.unchanged AND measure.list IS NOT NULL AND btrim(item, ' 　') <> ''`.execute(this.db);
    await sql`
      CREATE TEMP TABLE measure_changes ON COMMIT DROP AS
      WITH file_lists AS (
        SELECT household_id, category, string_agg(value, ',' ORDER BY value) AS list
        FROM sync_measures WHERE NOT is_new GROUP BY household_id, category
      ),
      registry_lists AS (
        SELECT hm.household_id, hm.category, string_agg(hm.value, ',' ORDER BY hm.value) AS list
        FROM household_measures hm
        WHERE hm.household_id IN (SELECT household_id FROM sync_households WHERE NOT is_new AND NOT unchanged)
          AND hm.category IN (${list(categories.map((category) => sql`${category.category}`))})
        GROUP BY hm.household_id, hm.category
      )
      SELECT sh.household_id, sh.region_code,
        coalesce(file.category, registry.category) AS category,
        registry.list AS old_value, file.list AS new_value
      FROM file_lists file
      FULL JOIN registry_lists registry
        ON registry.household_id = file.household_id AND registry.category = file.category
      JOIN sync_households sh ON sh.household_id = coalesce(file.household_id, registry.household_id)
      WHERE file.list IS DISTINCT FROM registry.list`.execute(this.db);
    await sql`
      DELETE FROM household_measures hm
      USING measure_changes c
      WHERE hm.household_id = c.household_id AND hm.category = c.category`.execute(this.db);
    await sql`
      INSERT INTO household_measures (household_id, category, value)
      SELECT m.household_id, m.category, m.value
      FROM sync_measures m
      WHERE m.is_new
        OR EXISTS (SELECT 1 FROM measure_changes c WHERE c.household_id = m.household_id AND c.category = m.category)`.execute(
      this.db,
    );
    this.written.measures = true;
  }

  /**
   * Active persons and households of the covered regions that the snapshot no longer lists. Households
   * recorded here (`SW` numbers) and their members are not the national system's to list: left alone.
   */
  async markAbsent(context: SyncContext) {
    const coverage = sql`unnest(${context.coverage.map((item) => item.range.lo)}::bpchar[],
      ${context.coverage.map((item) => item.range.hi)}::bpchar[]) AS coverage (lo, hi)`;
    await sql`
      CREATE TEMP TABLE absent_persons ON COMMIT DROP AS
      SELECT p.id AS person_id, p.household_id, p.region_code
      FROM ${coverage}
      JOIN persons p ON p.region_code >= coverage.lo AND p.region_code < coverage.hi
      WHERE p.status = 'active' AND ${regionScopeCondition(context.scope, 'p.region_code')}
        AND NOT EXISTS (SELECT 1 FROM sync_persons sp WHERE sp.person_id = p.id)
        AND p.household_id NOT IN (${localHouseholdsIn(coverage)})`.execute(this.db);
    await sql`
      UPDATE persons SET status = 'absent', updated_at = now(), last_batch_id = ${context.batchId}
      WHERE id IN (SELECT person_id FROM absent_persons)`.execute(this.db);
    await sql`
      CREATE TEMP TABLE absent_households ON COMMIT DROP AS
      SELECT h.id AS household_id, h.region_code
      FROM ${coverage}
      JOIN households h ON h.region_code >= coverage.lo AND h.region_code < coverage.hi
      WHERE h.status = 'active' AND ${regionScopeCondition(context.scope, 'h.region_code')}
        AND NOT EXISTS (SELECT 1 FROM sync_households sh WHERE sh.household_id = h.id)
        AND NOT ${isLocalHousehold('h')}`.execute(this.db);
    await sql`
      UPDATE households SET status = 'absent', updated_at = now(), last_batch_id = ${context.batchId}
      WHERE id IN (SELECT household_id FROM absent_households)`.execute(this.db);
  }

  /**
   * The digest of every household the snapshot wrote or found equal field by field: the next import
   * of the same rows types and compares none of them (members this snapshot marked absent stay absent
   * as long as those rows do not change). A household with a value that could not be read keeps none
   * (its rows must be read again to report it), nor does one marked absent (it must be compared, and
   * revived, when it returns). Households skipped as unchanged keep theirs.
   */
  async writeDigests(options: { forgetsMark: string }) {
    await sql`
      CREATE TEMP TABLE unreadable_households ON COMMIT DROP AS
      SELECT DISTINCT household_no FROM sync_rows WHERE unknown_cells IS NOT NULL`.execute(this.db);
    await sql`
      DELETE FROM household_import_digests
      WHERE household_id IN (SELECT household_id FROM absent_households UNION ALL
        SELECT sh.household_id FROM sync_households sh
        WHERE sh.household_no IN (SELECT household_no FROM unreadable_households))`.execute(this.db);
    await sql`
      INSERT INTO household_import_digests (household_id, digest)
      SELECT sh.household_id, d.digest
      FROM sync_households sh
      JOIN sync_household_digests d ON d.household_no = sh.household_no
      WHERE NOT sh.unchanged AND sh.household_no NOT IN (SELECT household_no FROM unreadable_households)
        -- Written by someone else while this sync ran: the registry may no longer be what it compared.
        AND sh.household_id NOT IN (SELECT household_id FROM household_digest_forgets WHERE id > ${options.forgetsMark}::bigint)
      ON CONFLICT (household_id) DO UPDATE SET digest = EXCLUDED.digest`.execute(this.db);
    await sql`DELETE FROM household_digest_forgets WHERE id <= ${options.forgetsMark}::bigint`.execute(
      this.db,
    );
  }

  /**
   * Where the log of forgotten digests stands as the sync begins to compare: a household logged after
   * this point may have changed after the sync compared it (see writeDigests).
   */
  async markDigestForgets(): Promise<string> {
    const { rows } = await sql<{ mark: string }>`
      SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS mark
      FROM household_digest_forgets_id_seq`.execute(this.db);
    return rows[0]?.mark ?? '0';
  }

  /**
   * The snapshot's households whose digest the registry still holds: nothing has written them since
   * an import of exactly these rows (see the migration household-import-digests).
   */
  async findUnchangedHouseholds(options: { scope: RegionRange }) {
    await sql`
      CREATE TEMP TABLE sync_unchanged_households AS
      SELECT d.household_no
      FROM sync_household_digests d
      JOIN households h ON h.household_no = d.household_no
      JOIN household_import_digests stored ON stored.household_id = h.id AND stored.digest = d.digest
      -- A household outside the importer's scope is refused (insertOutOfScopeHouseholdErrors), never skipped.
      WHERE ${regionScopeCondition(options.scope, 'h.region_code')}`.execute(this.db);
    await sql`ANALYZE sync_unchanged_households`.execute(this.db);
  }

  async hasImportDigests() {
    const { rows } = await sql<{ present: boolean }>`
      SELECT EXISTS (SELECT 1 FROM household_import_digests) AS present`.execute(this.db);
    return rows[0]?.present === true;
  }

  /** One history row per changed field, and one `_created` row per new household or person. */
  async writeHistory(context: SyncContext): Promise<number> {
    const parts = [
      sql`SELECT household_id, NULL::bigint AS person_id, region_code, 'household' AS entity, '_created' AS field,
          NULL AS old_value, NULL AS new_value FROM sync_households WHERE is_new`,
      sql`SELECT household_id, person_id, region_code, 'person', '_created', NULL, NULL FROM sync_persons WHERE is_new`,
      sql`SELECT household_id, NULL, region_code, 'household', field, old_value, new_value FROM household_changes`,
      sql`SELECT household_id, person_id, region_code, 'person', field, old_value, new_value FROM person_changes`,
      sql`SELECT household_id, NULL, region_code, 'household', 'status', 'active', 'absent' FROM absent_households`,
      sql`SELECT household_id, person_id, region_code, 'person', 'status', 'active', 'absent' FROM absent_persons`,
    ];
    if (this.written.incomes) {
      parts.push(sql`SELECT household_id, NULL, region_code, ${`income:${context.year}`}::text, field, old_value, new_value
        FROM income_changes`);
    }
    if (this.written.risks) {
      parts.push(sql`SELECT household_id, NULL, region_code, 'risks', 'risks', old_value, new_value
        FROM risk_changes`);
    }
    if (this.written.measures) {
      parts.push(sql`SELECT household_id, NULL, region_code, 'measures', category, old_value, new_value
        FROM measure_changes`);
    }
    const result = await sql`
      INSERT INTO field_history (household_id, person_id, region_code, entity, field, old_value, new_value,
        source, batch_id)
      SELECT change.*, 'national_sync', ${context.batchId}::bigint
      FROM (${sql.join(parts, sql` UNION ALL `)}) AS change`.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }

  async countChanges(): Promise<{ households: SyncCounts; persons: SyncCounts }> {
    const householdUpdates = [sql`SELECT household_id FROM household_changes`];
    if (this.written.incomes) householdUpdates.push(sql`SELECT household_id FROM income_changes`);
    if (this.written.risks) householdUpdates.push(sql`SELECT household_id FROM risk_changes`);
    if (this.written.measures) householdUpdates.push(sql`SELECT household_id FROM measure_changes`);
    const { rows } = await sql<Record<string, string>>`
      SELECT
        (SELECT count(*) FROM sync_households WHERE is_new) AS households_inserted,
        (SELECT count(*) FROM sync_households WHERE NOT is_new) AS households_matched,
        (SELECT count(*) FROM (${sql.join(householdUpdates, sql` UNION `)}) AS updated) AS households_updated,
        (SELECT count(*) FROM absent_households) AS households_absent,
        (SELECT count(*) FROM sync_persons WHERE is_new) AS persons_inserted,
        (SELECT count(*) FROM sync_persons WHERE NOT is_new) AS persons_matched,
        (SELECT count(DISTINCT person_id) FROM person_changes) AS persons_updated,
        (SELECT count(*) FROM absent_persons) AS persons_absent`.execute(this.db);
    const counts = rows[0] ?? {};
    const number = (key: string) => Number(counts[key] ?? 0);
    return {
      households: {
        inserted: number('householdsInserted'),
        updated: number('householdsUpdated'),
        unchanged: number('householdsMatched') - number('householdsUpdated'),
        markedAbsent: number('householdsAbsent'),
      },
      persons: {
        inserted: number('personsInserted'),
        updated: number('personsUpdated'),
        unchanged: number('personsMatched') - number('personsUpdated'),
        markedAbsent: number('personsAbsent'),
      },
    };
  }

  /** The platform's side of the totals check: the national system's households and persons (not `SW` ones). */
  async countActiveByCounty(context: Pick<SyncContext, 'coverage'>) {
    if (context.coverage.length === 0) return [];
    const { rows } = await sql<{ countyCode: string; households: string; persons: string }>`
      SELECT coverage.county_code,
        (SELECT count(*) FROM households h
          WHERE h.status = 'active' AND h.region_code >= coverage.lo AND h.region_code < coverage.hi
            AND NOT ${isLocalHousehold('h')}) AS households,
        (SELECT count(*) FROM persons p
          WHERE p.status = 'active' AND p.region_code >= coverage.lo AND p.region_code < coverage.hi
            AND p.household_id NOT IN (SELECT h.id FROM households h
              WHERE h.region_code >= coverage.lo AND h.region_code < coverage.hi AND ${isLocalHousehold('h')})) AS persons
      FROM unnest(${context.coverage.map((item) => item.countyCode)}::text[],
        ${context.coverage.map((item) => item.range.lo)}::bpchar[],
        ${context.coverage.map((item) => item.range.hi)}::bpchar[]) AS coverage (county_code, lo, hi)
      ORDER BY coverage.county_code`.execute(this.db);
    return rows.map((row) => ({
      countyCode: row.countyCode,
      households: Number(row.households),
      persons: Number(row.persons),
    }));
  }
}

/**
 * The VALUES rows `(field, old text, new text, changed)` comparing each field of a registry row
 * (`current`) with the staged one (`incoming`), and the OR of all comparisons that lets unchanged rows
 * skip the unpivot. Values compare typed (1.50 = 1.5); history keeps their text.
 */
function changeValues(current: string, incoming: string, fields: SyncField[], extra: RawBuilder<unknown>[]) {
  const comparisons = fields.map(
    (field) => sql`${columnOf(current, field.column)} IS DISTINCT FROM ${columnOf(incoming, field.column)}`,
  );
  const values = [
    ...fields.map(
      (field, index) =>
        sql`(${field.field}, ${columnOf(current, field.column)}::text, ${columnOf(incoming, field.column)}::text,
          ${comparisons[index]})`,
    ),
    ...extra,
  ];
  return {
    values: list(values),
    anyChanged: comparisons.length > 0 ? sql.join(comparisons, sql` OR `) : sql`false`,
  };
}
