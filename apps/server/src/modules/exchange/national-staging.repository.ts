import { createHash } from 'node:crypto';
import {
  type CodeTableName,
  codeTables,
  type NationalColumn,
  nationalColumns,
  spellingsOf,
} from '@shouwang/domain';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { regionScopeCondition } from '../access/region-scope.ts';
import type { RegionRange } from '../regions/region-code.ts';
import { syncColumnOf, syncTypeOf } from '../registry/national-sync.service.ts';

/** How the file's rows land in the raw staging table. */
export interface StageShape {
  /** Columns of the file's header: the table has one text column per file column (col_1 …). */
  columnCount: number;
  /**
   * Row number of the header when rows are numbered by their order (csv: record k after the header is
   * row header + k, blank records included); null when each row carries its own (xlsx).
   */
  headerRowNumber: number | null;
  /** File column (0-based) of 县, 乡, 村 and 区划代码, where the file has them. */
  placeColumns: { county?: number; township?: number; village?: number; code?: number };
}

export interface StagedColumn {
  column: NationalColumn;
  /** Position of the column in the file (0-based). */
  index: number;
  /** The header as the file spells it (for located errors). */
  header: string;
}

/** Runs work on several connections at once (ImportSession.inParallel) and says how many to use. */
export interface ParallelRunner {
  parts: number;
  run(parts: number, work: (db: Kysely<Database>, part: number) => Promise<void>): Promise<void>;
}

export interface RowErrorRecord {
  row: number;
  column: string;
  value: string;
  reason: string;
}

const stageColumnOf = (index: number) => `col_${index + 1}`;
const identifier = (name: string): RawBuilder<unknown> => {
  if (!/^[a-z][a-z0-9_.]*$/.test(name)) throw new Error(`unexpected identifier ${name}`);
  return sql.raw(name);
};
const list = (items: RawBuilder<unknown>[]) => sql.join(items, sql`, `);

/**
 * Work tables of one import are written once and read a few times within minutes, and analysed by the
 * import itself where a plan needs it: autovacuum would only read gigabytes of them at province size
 * while the typing pass runs.
 */
const workTable = sql`WITH (autovacuum_enabled = false)`;

/** Blank-like characters a cell may carry around its value: spaces, tabs, NBSP, ideographic space. */
const blankCharacters = sql.raw(`E' \\t\\u00A0\\u3000'`);
/** What JavaScript's trim() removes around a place name, among what occurs in files. */
const placeBlankCharacters = sql.raw(`E' \\t\\r\\n\\u00A0\\u3000\\uFEFF'`);

/** Fields whose identifiers arrive as Excel numbers (`4102…0001.0`). */
const numericIdentifierFields = new Set(['householdNo', 'personNo', 'regionCode']);

/** Every spelling of a code table (and the code itself) → code, as one jsonb constant for `->>`. */
function codeMapping(table: CodeTableName): RawBuilder<unknown> {
  const mapping: Record<string, string> = {};
  for (const item of codeTables[table]) mapping[item.code] = item.code;
  for (const pair of spellingsOf(table)) mapping[pair.spelling] = pair.code;
  return sql`${JSON.stringify(mapping)}::jsonb`;
}

/**
 * SQL that turns a cleaned cell (`value`: trimmed text, NULL when blank) into the typed value of its
 * column; NULL when it cannot be read (counted as an unknown value).
 */
function conversionOf(
  column: NationalColumn,
  value: RawBuilder<unknown>,
  numbersValid: RawBuilder<unknown> = sql`false`,
): RawBuilder<unknown> {
  const kind = column.kind;
  if (typeof kind === 'object') {
    // The label as written first; folded parentheses and spaces only when that misses.
    const mapping = codeMapping(kind.code);
    return sql`coalesce(${mapping} ->> ${value}, ${mapping} ->> translate(${value}, '（）　 ', '()'))`;
  }
  switch (kind) {
    case 'date':
      // Days 01–28 exist in every month; later days are checked against the month's length.
      return sql`CASE WHEN length(${value}) = 8 AND ltrim(${value}, '0123456789') = ''
          AND substr(${value}, 5, 2) BETWEEN '01' AND '12' AND substr(${value}, 1, 4) >= '1850'
          AND substr(${value}, 7, 2) >= '01' THEN
            CASE WHEN substr(${value}, 7, 2) <= '28' THEN ${value}::date
              WHEN substr(${value}, 7, 2) <= to_char(make_date(substr(${value}, 1, 4)::int,
                substr(${value}, 5, 2)::int, 1) + interval '1 month - 1 day', 'DD') THEN ${value}::date
            END
        END`;
    case 'month':
      return sql`CASE WHEN length(${value}) = 6 AND ltrim(${value}, '0123456789') = ''
        AND substr(${value}, 5, 2) BETWEEN '01' AND '12' AND substr(${value}, 1, 4) >= '1900' THEN ${value} END`;
    case 'integer':
      return sql`CASE WHEN length(${value}) <= 9 AND ltrim(${value}, '0123456789') = '' THEN ${value}::int
        WHEN ${value} ~ '^[-+]\\d{1,9}$' THEN ${value}::int END`;
    case 'number':
      // Rows whose number cells all read as numbers (one pattern per row) skip the test per cell.
      return sql`CASE WHEN ${numbersValid} OR ${value} ~ ${numberPattern} THEN ${value}::numeric END`;
    case 'boolean':
      return sql`CASE ${value} WHEN '是' THEN true WHEN '否' THEN false
        ELSE (${codeMapping('yesNo')} ->> ${value})::boolean END`;
    case 'idNumber':
      return sql`upper(translate(${value}, ' 　', ''))`;
    case 'phone':
      return sql`translate(${value}, ' -　', '')`;
    default:
      return value;
  }
}

const numberPattern = '^[-+]?(\\d+(\\.\\d*)?|\\.\\d+)$';
/** All number cells of a row joined by chr(31) (which the reader never passes through) read as numbers. */
const numbersPattern = `^(${numberPattern.slice(1, -1)})?(\u001f(${numberPattern.slice(1, -1)})?)*$`;

/** Trimmed text, NULL when blank. */
const trimmedOf = (raw: RawBuilder<unknown>) => sql`NULLIF(btrim(${raw}, ${blankCharacters}), '')`;

/** The trimmed text with `.0` stripped where Excel turned digits into a number, and date separators dropped. */
function preparationOf(column: NationalColumn, trimmed: RawBuilder<unknown>): RawBuilder<unknown> {
  const kind = column.kind;
  const stripsDecimal =
    kind === 'date' ||
    kind === 'month' ||
    kind === 'integer' ||
    kind === 'phone' ||
    kind === 'boolean' ||
    typeof kind === 'object' ||
    numericIdentifierFields.has(column.field);
  if (!stripsDecimal) return trimmed;
  const stripped = sql`CASE WHEN ${trimmed} LIKE '%.0' THEN left(${trimmed}, -2) ELSE ${trimmed} END`;
  if (kind === 'date' || kind === 'month') return sql`translate(${stripped}, '-/.', '')`;
  return stripped;
}

/**
 * hasValidIdFormat of @shouwang/domain as a PostgreSQL pattern, for upper-cased numbers: 18, 20 or 22
 * characters, digits only but for an X in position 18 (a test holds the two to the same answers).
 */
export const idFormatPattern = '^\\d{17}[\\dX](\\d{2}|\\d{4})?$';

/**
 * The fields the checks and the matching read: all a row of an unchanged household needs (see
 * buildSyncRows).
 */
const keyFields: ReadonlySet<string> = new Set(['householdNo', 'personNo', 'idNumber', 'relation']);

/**
 * Bump when the typing of a cell changes in a way the code tables do not show: every stored household
 * digest then differs, and the next import types every row again.
 */
const typingVersion = 1;
let codeTablesFingerprint: string | undefined;

/**
 * The seed of the row hashes and household digests of an import: what else, besides a household's raw
 * cells, decides what its import writes — the statistics year of the income columns, the file's column
 * layout (which column is which field) and the code tables with their spellings.
 */
export function importDigestSeed(columns: StagedColumn[], year: number): bigint {
  codeTablesFingerprint ??= createHash('sha256')
    .update(
      JSON.stringify(
        Object.keys(codeTables)
          .sort()
          .map((table) => [table, codeTables[table as CodeTableName], spellingsOf(table as CodeTableName)]),
      ),
    )
    .digest('hex');
  const layout = columns.map((item) => [item.index, item.column.field]);
  const hash = createHash('sha256')
    .update(JSON.stringify({ typingVersion, year, layout, codeTables: codeTablesFingerprint }))
    .digest();
  return hash.readBigInt64BE(0);
}

/** Place columns (县, 乡, 村, 区划代码) are resolved once per distinct place, not staged per row. */
export const isSyncedColumn = (column: NationalColumn) =>
  column.target !== 'key' || column.field === 'householdNo';

/**
 * Names without the suffixes spellings differ in: 兰考 for 兰考县; 荣庄村 for 荣庄村委会 (村 and 社区 kept
 * apart: 三官庙村 and 三官庙社区 are two villages); 荣庄 as a last resort.
 */
const lenientName = {
  county: (name: RawBuilder<unknown>) => sql`regexp_replace(${name}, '(自治县|县|区|市)$', '')`,
  township: (name: RawBuilder<unknown>) => sql`regexp_replace(${name}, '(街道办事处|街道|镇|乡)$', '')`,
  villageKind: (name: RawBuilder<unknown>) =>
    sql`regexp_replace(regexp_replace(${name}, '(村民委员会|村委会)$', '村'),
      '(社区居民委员会|社区居委会|居民委员会|居委会)$', '社区')`,
  village: (name: RawBuilder<unknown>) =>
    sql`regexp_replace(${name}, '(社区居民委员会|社区居委会|村民委员会|居民委员会|村委会|居委会|委员会|村|社区)$', '')`,
};

const trackedKinds = (column: NationalColumn) =>
  typeof column.kind === 'object' || ['date', 'month', 'integer', 'number', 'boolean'].includes(column.kind);

/**
 * All SQL of staging and validating a national file. Runs on the import's own connection: the raw
 * rows are COPYed into a temporary table, then typed, checked and keyed with a handful of set-based
 * statements into the tables the registry's national sync reads (see syncTables).
 */
export class NationalStagingRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private shape: StageShape = { columnCount: 0, headerRowNumber: null, placeColumns: {} };

  /**
   * The raw staging table: the file's columns as text (col_1 …), `ordinal` in the order rows arrive
   * and, for an xlsx, each row's own row number.
   */
  async createStage(shape: StageShape) {
    this.shape = shape;
    const definitions = Array.from(
      { length: shape.columnCount },
      (_, index) => sql`${identifier(stageColumnOf(index))} text`,
    );
    await sql`
      CREATE UNLOGGED TABLE national_stage (ordinal bigint GENERATED ALWAYS AS IDENTITY, row_number int
        ${definitions.length > 0 ? sql`, ${list(definitions)}` : sql``}) ${workTable}`.execute(this.db);
  }

  /** COPY of a csv's records as they are (see CsvRecordScanner). */
  csvCopyStatement(options: { delimiter: string; encoding: 'utf-8' | 'gb18030' }): string {
    const names = Array.from({ length: this.shape.columnCount }, (_, index) => stageColumnOf(index));
    const delimiter = options.delimiter === '\t' ? "E'\\t'" : "','";
    const encoding = options.encoding === 'utf-8' ? 'UTF8' : 'GB18030';
    return `COPY national_stage (${names.join(', ')}) FROM STDIN (FORMAT csv, DELIMITER ${delimiter}, ENCODING '${encoding}')`;
  }

  /** COPY of text lines: the row number, then every column of the file. */
  textCopyStatement(): string {
    const names = [
      'row_number',
      ...Array.from({ length: this.shape.columnCount }, (_, index) => stageColumnOf(index)),
    ];
    return `COPY national_stage (${names.join(', ')}) FROM STDIN`;
  }

  /** The row number of a staged row as a user sees it. */
  private rowNumberOf(table: string): RawBuilder<unknown> {
    const headerRowNumber = this.shape.headerRowNumber;
    return headerRowNumber === null
      ? identifier(`${table}.row_number`)
      : sql`(${sql.lit(headerRowNumber)} + ${identifier(`${table}.ordinal`)})::int`;
  }

  /** Rows with some content: the csv scanner passes blank records on as rows of NULLs. */
  private hasContent(table: string): RawBuilder<unknown> {
    if (this.shape.headerRowNumber === null || this.shape.columnCount === 0) return sql`true`;
    const cells = Array.from({ length: this.shape.columnCount }, (_, index) =>
      identifier(`${table}.${stageColumnOf(index)}`),
    );
    return sql`num_nonnulls(${list(cells)}) > 0`;
  }

  /** 县, 乡, 村 or 区划代码 of a staged row, trimmed, '' when the file lacks the column. */
  private placePart(table: string, part: keyof StageShape['placeColumns']): RawBuilder<unknown> {
    const index = this.shape.placeColumns[part];
    if (index === undefined) return sql`''::text`;
    return sql`coalesce(btrim(${identifier(`${table}.${stageColumnOf(index)}`)}, ${placeBlankCharacters}), '')`;
  }

  /** Rows with content, for the summary's row count. */
  async countRows(): Promise<number> {
    const { rows } = await sql<{ count: string }>`SELECT count(*) AS count FROM sync_rows`.execute(this.db);
    return Number(rows[0]?.count ?? 0);
  }

  /** The distinct (县, 乡, 村, 区划代码) of the file, numbered in the order they first occur. */
  async insertPlaces() {
    const fold = (column: string) => sql`translate(place.${sql.raw(column)}, ' 　（）', '()')`;
    await sql`
      CREATE UNLOGGED TABLE national_places ${workTable} AS
      SELECT place.*,
        ${fold('county_name')} AS county_folded, ${fold('township_name')} AS township_folded,
        ${fold('village_name')} AS village_folded,
        ${lenientName.county(fold('county_name'))} AS county_lenient,
        ${lenientName.township(fold('township_name'))} AS township_lenient,
        ${lenientName.village(fold('village_name'))} AS village_lenient,
        ${lenientName.villageKind(fold('village_name'))} AS village_kind,
        NULLIF(regexp_replace(btrim(place.code), '\\.0+$', ''), '') AS code_cleaned,
        NULL::char(12) AS village_code, NULL::text AS problem, NULL::text[] AS candidates
      FROM (
        SELECT (row_number() OVER (ORDER BY min(stage.ordinal)))::int AS place_id,
          ${this.placePart('stage', 'county')} AS county_name,
          ${this.placePart('stage', 'township')} AS township_name,
          ${this.placePart('stage', 'village')} AS village_name,
          ${this.placePart('stage', 'code')} AS code
        FROM national_stage stage
        -- Blank rows (left out later) are not filtered here: testing every column would read whole
        -- rows where the place columns at their start suffice; they add at most one unused place.
        GROUP BY 2, 3, 4, 5
      ) AS place`.execute(this.db);
    await sql`ANALYZE national_places`.execute(this.db);
  }

  /**
   * Each place to exactly one village of the province: a 12-digit 区划代码 wins; otherwise the three
   * names within their parent chain, exact first, then ignoring suffixes such as 村委会, 镇, 县.
   */
  async resolvePlaces(options: { province: RegionRange; scope: RegionRange }) {
    await sql`
      UPDATE national_places place
      SET village_code = v.code
      FROM regions v
      WHERE length(place.code_cleaned) = 12 AND v.code = place.code_cleaned::char(12) AND v.level = 'village'
        AND ${regionScopeCondition(options.province, 'v.code')}`.execute(this.db);
    await sql`
      UPDATE national_places SET problem = 'unknown_code'
      WHERE code_cleaned IS NOT NULL AND village_code IS NULL`.execute(this.db);
    // The villages of the counties the file names (by either spelling): a few thousand rows at most.
    const fold = (name: RawBuilder<unknown>) => sql`translate(${name}, ' 　（）', '()')`;
    await sql`
      CREATE TEMP TABLE candidate_villages AS
      SELECT v.code,
        ${fold(sql`c.name`)} AS county_folded, ${fold(sql`t.name`)} AS township_folded,
        ${fold(sql`v.name`)} AS village_folded,
        ${lenientName.county(fold(sql`c.name`))} AS county_lenient,
        ${lenientName.township(fold(sql`t.name`))} AS township_lenient,
        ${lenientName.village(fold(sql`v.name`))} AS village_lenient,
        ${lenientName.villageKind(fold(sql`v.name`))} AS village_kind
      FROM regions c
      JOIN regions t ON t.parent_code = c.code
      JOIN regions v ON v.parent_code = t.code AND v.level = 'village'
      WHERE c.level = 'county' AND ${regionScopeCondition(options.province, 'c.code')}
        AND (${fold(sql`c.name`)} IN (SELECT county_folded FROM national_places WHERE code_cleaned IS NULL)
          OR ${lenientName.county(fold(sql`c.name`))} IN
            (SELECT county_lenient FROM national_places WHERE code_cleaned IS NULL))`.execute(this.db);
    await sql`ANALYZE candidate_villages`.execute(this.db);
    // Exact names first; then county and township without suffix with 村/社区 kept; then without both.
    const tiers = [
      { county: 'county_folded', township: 'township_folded', village: 'village_folded' },
      { county: 'county_lenient', township: 'township_lenient', village: 'village_kind' },
      { county: 'county_lenient', township: 'township_lenient', village: 'village_lenient' },
    ];
    for (const tier of tiers) {
      const key = (level: 'county' | 'township' | 'village') => sql.raw(tier[level]);
      await sql`
        WITH matches AS (
          SELECT place.place_id, array_agg(village.code ORDER BY village.code) AS codes
          FROM national_places place
          JOIN candidate_villages village
            ON village.${key('county')} = place.${key('county')}
            AND village.${key('township')} = place.${key('township')}
            AND village.${key('village')} = place.${key('village')}
          WHERE place.code_cleaned IS NULL AND place.candidates IS NULL
          GROUP BY place.place_id
        )
        UPDATE national_places place
        SET candidates = matches.codes,
          village_code = CASE WHEN cardinality(matches.codes) = 1 THEN matches.codes[1] END,
          problem = CASE WHEN cardinality(matches.codes) > 1 THEN 'ambiguous' END
        FROM matches
        WHERE matches.place_id = place.place_id`.execute(this.db);
    }
    await sql`UPDATE national_places SET problem = 'unknown' WHERE village_code IS NULL AND problem IS NULL`.execute(
      this.db,
    );
    await sql`
      UPDATE national_places place SET problem = 'out_of_scope'
      WHERE village_code IS NOT NULL AND NOT ${regionScopeCondition(options.scope, 'place.village_code')}`.execute(
      this.db,
    );
  }

  /**
   * Types the rows: trims, strips `.0`, maps code values through the code tables, parses dates,
   * months, numbers and yes/no; a value that cannot be read becomes NULL and is listed in
   * `unknown_cells` (header, value) for the summary. Columns the file lacks are NULL.
   *
   * Every row also gets `row_hash`, a hash of its raw cells, and every household a digest of its rows
   * (`sync_household_digests`). With `findUnchanged` (the registry holds digests of earlier imports),
   * the rows are first keyed and hashed in a cheap pass; `findUnchanged` then names the households
   * whose digest the registry still holds (`sync_unchanged_households`), and only the other households'
   * rows are typed in full. Rows of unchanged households carry their keys alone, with `unchanged` set.
   */
  async buildSyncRows(
    columns: StagedColumn[],
    parallel: ParallelRunner,
    options: { digestSeed: bigint; findUnchanged?: () => Promise<void> },
  ) {
    const seed = sql.lit(options.digestSeed.toString());
    if (!options.findUnchanged) {
      const full = this.typedSelect(columns, { seed });
      await sql`CREATE UNLOGGED TABLE sync_rows ${workTable} AS ${full(sql`true`)} WITH NO DATA`.execute(
        this.db,
      );
      await this.fillInParallel('sync_rows', full, parallel);
      await this.digestHouseholds('sync_rows', seed);
    } else {
      // Every row keyed and hashed; then the rows of households that are not unchanged typed in full.
      const keys = this.typedSelect(columns, { seed, only: keyFields, ordinal: true });
      await sql`CREATE UNLOGGED TABLE sync_rows ${workTable} AS ${keys(sql`true`)} WITH NO DATA`.execute(
        this.db,
      );
      await this.fillInParallel('sync_rows', keys, parallel);
      await this.digestHouseholds('sync_rows', seed);
      await options.findUnchanged();
      await sql`CREATE UNLOGGED TABLE sync_changed_ordinals (ordinal bigint) ${workTable}`.execute(this.db);
      await sql`
        WITH changed AS (
          DELETE FROM sync_rows
          WHERE household_no IS NULL
            OR household_no NOT IN (SELECT household_no FROM sync_unchanged_households)
          RETURNING ordinal
        )
        INSERT INTO sync_changed_ordinals SELECT ordinal FROM changed`.execute(this.db);
      const changed = await sql`SELECT 1 FROM sync_changed_ordinals LIMIT 1`.execute(this.db);
      if (changed.rows.length > 0) {
        await sql`ANALYZE sync_changed_ordinals`.execute(this.db);
        const typed = this.typedSelect(columns, { seed, ordinal: true });
        await this.fillInParallel(
          'sync_rows',
          (part) => typed(sql`${part} AND stage.ordinal IN (SELECT ordinal FROM sync_changed_ordinals)`),
          parallel,
        );
      }
      await sql`DROP TABLE sync_changed_ordinals`.execute(this.db);
    }
    await sql`DROP TABLE national_stage`.execute(this.db);
    // Statistics for the join and grouping keys only: a wide table costs seconds to analyse in full.
    await sql`ANALYZE sync_rows (row_number, household_no, person_no, id18, region_code, place_id)`.execute(
      this.db,
    );
  }

  /**
   * Fills `table` from the stage on one connection per core, each over its own range of the stage's
   * pages (a TID range scan): typing is most of the CPU of an import, and PostgreSQL cannot run these
   * layers in its parallel workers.
   */
  private async fillInParallel(
    table: string,
    select: (part: RawBuilder<unknown>) => RawBuilder<unknown>,
    parallel: ParallelRunner,
  ) {
    const { rows } = await sql<{ pages: string }>`
      SELECT pg_relation_size('national_stage') / current_setting('block_size')::int AS pages`.execute(
      this.db,
    );
    const pages = Number(rows[0]?.pages ?? 0);
    // A small file is typed faster than a second connection opens.
    const parts = Math.max(1, Math.min(parallel.parts, Math.floor(pages / 16)));
    const boundary = (part: number) => `(${Math.floor((pages * part) / parts)},0)`;
    await parallel.run(parts, async (db, part) => {
      const range = [
        part > 0 ? sql`stage.ctid >= ${boundary(part)}::tid` : sql`true`,
        part < parts - 1 ? sql`stage.ctid < ${boundary(part + 1)}::tid` : sql`true`,
      ];
      await sql`INSERT INTO ${identifier(table)} ${select(sql.join(range, sql` AND `))}`.execute(db);
    });
  }

  /**
   * One digest per 户编号 of the file: its village and its rows' hashes in row order. Equal digests
   * mean the same raw cells, in the same layout, for the same statistics year (the seed).
   */
  private async digestHouseholds(table: string, seed: RawBuilder<unknown>) {
    await sql`
      CREATE TEMP TABLE sync_household_digests AS
      SELECT household_no COLLATE "default" AS household_no,
        hashtextextended(coalesce(min(region_code), '') || ':' || string_agg(row_hash::text, ','),
          ${seed}::bigint) AS digest
      -- One sort of all rows (string_agg's own ORDER BY would sort each household apart), by bytes:
      -- the database's collation would compare every pair of 户编号 through the C library.
      FROM (SELECT household_no COLLATE "C" AS household_no, region_code, row_hash FROM ${identifier(table)}
        WHERE household_no IS NOT NULL ORDER BY 1, row_number) AS sorted
      GROUP BY household_no`.execute(this.db);
    await sql`ANALYZE sync_household_digests`.execute(this.db);
  }

  /**
   * The SELECT that types the stage's rows (those matching `part`): every staged column, or with
   * `only` just those fields (the others NULL), plus the row's place, row number, `row_hash` and, with
   * `ordinal`, the stage's ordinal.
   */
  private typedSelect(
    columns: StagedColumn[],
    options: { seed: RawBuilder<unknown>; only?: ReadonlySet<string>; ordinal?: boolean },
  ) {
    const staged = new Map(
      columns
        .filter((item) => !options.only || options.only.has(item.column.field))
        .map((item) => [item.column.field, item]),
    );
    const trimmed: RawBuilder<unknown>[] = [];
    const prepared: RawBuilder<unknown>[] = [];
    const converted: RawBuilder<unknown>[] = [];
    const outer: RawBuilder<unknown>[] = [];
    const unknownCells: RawBuilder<unknown>[] = [];
    for (const column of nationalColumns.filter(isSyncedColumn)) {
      const name = syncColumnOf(column);
      const item = staged.get(column.field);
      if (!item) {
        // Written in the outermost layer only: the layers below carry what is typed.
        outer.push(sql`NULL::${sql.raw(syncTypeOf(column.kind))} AS ${identifier(name)}`);
        continue;
      }
      outer.push(identifier(`converted.${name}`));
      const tracked = trackedKinds(column);
      trimmed.push(
        sql`${trimmedOf(identifier(`stage.${stageColumnOf(item.index)}`))} AS ${identifier(name)}`,
      );
      prepared.push(sql`${preparationOf(column, identifier(`trimmed.${name}`))} AS ${identifier(name)}`);
      if (tracked) prepared.push(sql`${identifier(`trimmed.${name}`)} AS ${identifier(`${name}__text`)}`);
      const value = identifier(`prepared.${name}`);
      let conversion = conversionOf(column, value, sql`prepared.numbers_valid__`);
      if (column.field === 'idType' && staged.has('idNumber')) {
        // Blank 证件类型 means 居民身份证, or 残疾人证 for a 20/22-character number.
        conversion = sql`CASE WHEN ${value} IS NULL THEN
            CASE WHEN prepared.id_number IS NULL THEN NULL
              WHEN length(prepared.id_number) IN (20, 22) THEN 'disability_cert' ELSE 'resident_id' END
          ELSE ${conversion} END`;
      }
      converted.push(sql`${conversion} AS ${identifier(name)}`);
      if (tracked) {
        converted.push(sql`${identifier(`prepared.${name}__text`)} AS ${identifier(`${name}__text`)}`);
        unknownCells.push(
          sql`CASE WHEN ${identifier(`converted.${name}`)} IS NULL AND ${identifier(`converted.${name}__text`)} IS NOT NULL
            THEN ${item.header} || chr(31) || ${identifier(`converted.${name}__text`)} END`,
        );
      }
    }
    const unknownArray =
      unknownCells.length > 0
        ? sql`NULLIF(array_remove(ARRAY[${list(unknownCells)}]::text[], NULL), '{}')`
        : sql`NULL::text[]`;
    const numberCells = [...staged.values()]
      .filter((item) => item.column.kind === 'number')
      .map((item) => sql`coalesce(${identifier(`trimmed.${syncColumnOf(item.column)}`)}, '')`);
    if (numberCells.length > 0) {
      prepared.push(sql`concat_ws(chr(31), ${list(numberCells)}) ~ ${numbersPattern} AS numbers_valid__`);
    }
    // The row's raw cells, hashed as they are (NULL and '' apart, position by position).
    const cells = Array.from({ length: this.shape.columnCount }, (_, index) =>
      identifier(`stage.${stageColumnOf(index)}`),
    );
    const rowHash =
      cells.length > 0
        ? sql`hash_record_extended(ROW(${list(cells)}), ${options.seed}::bigint)`
        : sql`0::bigint`;
    const carried = options.ordinal ? sql`, ordinal` : sql``;
    const withLeading = (items: RawBuilder<unknown>[]) => (items.length > 0 ? sql`, ${list(items)}` : sql``);
    // Layers (trim → prepare → convert), each kept a real subquery by OFFSET 0, so that an expression
    // that uses a value several times reads the layer below instead of recomputing it.
    return (part: RawBuilder<unknown>) => sql`
      SELECT converted.row_number, converted.place_id, converted.region_code,
        ${list(outer)},
        left(converted.id_number, 18) AS id18,
        ${unknownArray} AS unknown_cells,
        converted.row_hash, ${sql.lit(options.only !== undefined)} AS unchanged
        ${options.ordinal ? sql`, converted.ordinal` : sql``}
      FROM (
        SELECT prepared.row_number, prepared.place_id, prepared.region_code, prepared.row_hash ${carried}
          ${withLeading(converted)}
        FROM (
          SELECT trimmed.row_number, trimmed.place_id, trimmed.region_code, trimmed.row_hash ${carried}
            ${withLeading(prepared)}
          FROM (
            SELECT ${this.rowNumberOf('stage')} AS row_number, place.place_id, place.village_code AS region_code,
              ${rowHash} AS row_hash ${options.ordinal ? sql`, stage.ordinal` : sql``}
              ${withLeading(trimmed)}
            FROM national_stage stage
            JOIN national_places place
              ON place.county_name = ${this.placePart('stage', 'county')}
              AND place.township_name = ${this.placePart('stage', 'township')}
              AND place.village_name = ${this.placePart('stage', 'village')}
              AND place.code = ${this.placePart('stage', 'code')}
            WHERE ${this.hasContent('stage')} AND ${part}
            OFFSET 0
          ) AS trimmed
          OFFSET 0
        ) AS prepared
        OFFSET 0
      ) AS converted`;
  }

  /** Values that could not be read, per column, most frequent first. */
  async listUnknownValues(limit: number) {
    const { rows } = await sql<{ column: string; value: string; count: string }>`
      SELECT split_part(cell, chr(31), 1) AS column, split_part(cell, chr(31), 2) AS value, count(*) AS count
      FROM sync_rows, unnest(unknown_cells) AS cell
      WHERE unknown_cells IS NOT NULL
      GROUP BY 1, 2
      ORDER BY count(*) DESC, 1, 2
      LIMIT ${limit}`.execute(this.db);
    return rows.map((row) => ({ column: row.column, value: row.value, count: Number(row.count) }));
  }

  /**
   * One row per 户编号 with the row that carries the household's columns (the first 户主, else the
   * first row); plus the keys seen twice, for the checks.
   */
  async buildKeys(options: { hasPersonNo: boolean }) {
    await sql`
      CREATE TEMP TABLE sync_household_keys AS
      SELECT household_no,
        min(region_code) AS region_code,
        min(row_number) AS first_row_number,
        coalesce(min(row_number) FILTER (WHERE relation = 'head'), min(row_number)) AS key_row_number,
        count(*) FILTER (WHERE relation = 'head') AS heads,
        min(coalesce(region_code, 'place ' || place_id)) <> max(coalesce(region_code, 'place ' || place_id))
          AS several_villages
      FROM sync_rows
      WHERE household_no IS NOT NULL
      GROUP BY household_no`.execute(this.db);
    await sql`ANALYZE sync_household_keys`.execute(this.db);
    await sql`
      CREATE TEMP TABLE bad_households AS
      SELECT k.household_no, k.key_row_number, k.heads, k.several_villages, first_row.row_number AS first_row_number,
        coalesce(first_row.region_code, 'place ' || first_row.place_id) AS first_village,
        first_place.village_name AS first_village_name
      FROM sync_household_keys k
      JOIN sync_rows first_row ON first_row.row_number = k.first_row_number
      JOIN national_places first_place ON first_place.place_id = first_row.place_id
      WHERE k.several_villages OR k.heads > 1`.execute(this.db);
    await sql`
      CREATE TEMP TABLE duplicate_ids AS
      SELECT id18, min(row_number) AS first_row_number
      FROM sync_rows WHERE id18 IS NOT NULL
      GROUP BY id18 HAVING count(*) > 1`.execute(this.db);
    await sql`
      CREATE TEMP TABLE duplicate_person_numbers AS
      SELECT person_no, min(row_number) AS first_row_number
      FROM sync_rows WHERE ${options.hasPersonNo ? sql`person_no IS NOT NULL` : sql`false`}
      GROUP BY person_no HAVING count(*) > 1`.execute(this.db);
  }

  /**
   * The row errors that refuse the file, each located by row, column header and value, in one pass
   * over the rows against the small tables of bad places, households and duplicate keys.
   */
  async insertRowErrors(headers: Record<string, string>, options: { hasPersonNo: boolean }) {
    await sql`CREATE TEMP TABLE sync_errors (row_number int, column_name text, value text, reason text)`.execute(
      this.db,
    );
    const village = headers.villageName ?? '村';
    const code = headers.regionCode ?? '区划代码';
    const unidentified = options.hasPersonNo
      ? '人编号和证件号码都为空，无法识别该成员'
      : '证件号码为空且文件没有人编号列，无法识别该成员';
    // A row of an unchanged household can only fail with the file as a whole: a bad place, a bad
    // household or a key another row shares. Where there is none of those, only typed rows are read.
    const { rows: crossRow } = await sql<{ found: boolean }>`
      SELECT EXISTS (SELECT 1 FROM national_places WHERE problem IS NOT NULL)
        OR EXISTS (SELECT 1 FROM bad_households) OR EXISTS (SELECT 1 FROM duplicate_ids)
        OR EXISTS (SELECT 1 FROM duplicate_person_numbers) AS found`.execute(this.db);
    const rows = crossRow[0]?.found ? sql`sync_rows` : sql`(SELECT * FROM sync_rows WHERE NOT unchanged)`;
    await sql`
      INSERT INTO sync_errors (row_number, column_name, value, reason)
      SELECT r.row_number, problem.column_name, problem.value, problem.reason
      FROM ${rows} r
      JOIN national_places place ON place.place_id = r.place_id
      LEFT JOIN bad_households household ON household.household_no = r.household_no
      LEFT JOIN duplicate_ids duplicate_id ON duplicate_id.id18 = r.id18
      LEFT JOIN duplicate_person_numbers duplicate_number ON duplicate_number.person_no = r.person_no
      CROSS JOIN LATERAL (VALUES
        (place.problem = 'unknown_code', ${code}, place.code,
          '区划代码 ' || place.code || ' 不是本省的村级区划代码'),
        (place.problem = 'unknown', ${village}, place.village_name,
          '县“' || coalesce(place.county_name, '') || '”乡“' || coalesce(place.township_name, '') || '”村“' ||
          coalesce(place.village_name, '') || '”在本省区划中找不到对应的村'),
        (place.problem = 'ambiguous', ${village}, place.village_name,
          '县“' || coalesce(place.county_name, '') || '”乡“' || coalesce(place.township_name, '') || '”村“' ||
          coalesce(place.village_name, '') || '”对应多个村（' || array_to_string(place.candidates, '、') ||
          '），请在文件中加入区划代码列'),
        (place.problem = 'out_of_scope', ${village}, place.village_name,
          '村“' || coalesce(place.village_name, '') || '”（' || place.village_code || '）不在您的管辖范围内'),
        (r.household_no IS NULL, ${headers.householdNo ?? '户编号'}, NULL, '户编号为空'),
        (household.several_villages AND coalesce(r.region_code, 'place ' || r.place_id) <> household.first_village,
          ${village}, place.village_name,
          '户编号 ' || r.household_no || ' 同时出现在两个村：“' || coalesce(household.first_village_name, '') ||
          '”（第 ' || household.first_row_number || ' 行）和“' || coalesce(place.village_name, '') || '”'),
        (household.heads > 1 AND r.relation = 'head' AND r.row_number <> household.key_row_number,
          ${headers.relation ?? '与户主关系'}, '户主',
          '户编号 ' || r.household_no || ' 有多个户主（第 ' || household.key_row_number || ' 行已是户主）'),
        (NOT r.unchanged AND r.id_number IS NOT NULL AND r.id_number !~ ${idFormatPattern},
          ${headers.idNumber ?? '证件号码'}, r.id_number,
          '证件号码格式不正确：应为 18 位（末位可为 X），或 20、22 位的残疾人证号'),
        (duplicate_id.first_row_number <> r.row_number, ${headers.idNumber ?? '证件号码'}, r.id_number,
          '证件号码与第 ' || duplicate_id.first_row_number || ' 行重复'),
        (duplicate_number.first_row_number <> r.row_number, ${headers.personNo ?? '人编号'}, r.person_no,
          '人编号与第 ' || duplicate_number.first_row_number || ' 行重复'),
        (r.person_no IS NULL AND r.id_number IS NULL, ${headers.idNumber ?? '证件号码'}, NULL, ${unidentified})
      ) AS problem (failed, column_name, value, reason)
      WHERE (place.problem IS NOT NULL OR r.household_no IS NULL OR household.household_no IS NOT NULL
          -- An unchanged household's rows passed this check when its digest was written.
          OR (NOT r.unchanged AND r.id_number IS NOT NULL AND r.id_number !~ ${idFormatPattern})
          OR duplicate_id.id18 IS NOT NULL OR duplicate_number.person_no IS NOT NULL
          OR (r.person_no IS NULL AND r.id_number IS NULL))
        AND problem.failed`.execute(this.db);
  }

  async countErrors() {
    const { rows } = await sql<{ errors: string; rows: string }>`
      SELECT count(*) AS errors, count(DISTINCT row_number) AS rows FROM sync_errors`.execute(this.db);
    return { errors: Number(rows[0]?.errors ?? 0), rejectedRows: Number(rows[0]?.rows ?? 0) };
  }

  async listErrors(limit: number): Promise<RowErrorRecord[]> {
    const { rows } = await sql<{
      rowNumber: number;
      columnName: string;
      value: string | null;
      reason: string;
    }>`
      SELECT row_number, column_name, value, reason FROM sync_errors
      ORDER BY row_number, column_name LIMIT ${limit}`.execute(this.db);
    return rows.map((row) => ({
      row: row.rowNumber,
      column: row.columnName,
      value: row.value ?? '',
      reason: row.reason,
    }));
  }

  /** Keeps every located error of the batch (the temporary table goes with the connection). */
  async saveErrors(batchId: string) {
    await sql`
      INSERT INTO import_row_errors (batch_id, row_number, column_name, value, reason)
      SELECT ${batchId}::bigint, row_number, column_name, value, reason FROM sync_errors`.execute(this.db);
  }

  /** The counties the file covers, with their households and persons in the file. */
  async countFileByCounty() {
    const { rows } = await sql<{
      countyCode: string;
      countyName: string;
      households: string;
      persons: string;
    }>`
      WITH households AS (
        SELECT left(region_code, 6) AS county_code, count(*) AS households
        FROM sync_household_keys WHERE region_code IS NOT NULL GROUP BY 1
      ),
      persons AS (
        SELECT left(region_code, 6) AS county_code, count(*) AS persons
        FROM sync_rows WHERE region_code IS NOT NULL GROUP BY 1
      )
      SELECT persons.county_code, coalesce(county.name, persons.county_code) AS county_name,
        coalesce(households.households, 0) AS households, persons.persons
      FROM persons
      LEFT JOIN households ON households.county_code = persons.county_code
      LEFT JOIN regions county ON county.code = rpad(persons.county_code, 12, '0')
      ORDER BY persons.county_code`.execute(this.db);
    return rows.map((row) => ({
      countyCode: row.countyCode,
      countyName: row.countyName,
      households: Number(row.households),
      persons: Number(row.persons),
    }));
  }
}
