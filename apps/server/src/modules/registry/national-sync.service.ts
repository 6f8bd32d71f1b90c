import { type ColumnKind, type NationalColumn, nationalColumns } from '@shouwang/domain';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { RegionRange } from '../regions/region-code.ts';
import { NationalSyncRepository } from './national-sync.repository.ts';

/**
 * The snapshot a national sync applies, staged by the exchange module in the session's temporary
 * tables (the contract between the two modules):
 *
 * - `sync_rows`: one row per person of the file — `row_number`, `household_no`, `region_code` (the
 *   resolved village), `id18` (first 18 characters of the ID, upper-cased), and one typed column per
 *   national column named by {@link syncColumnOf} (codes already mapped, blanks NULL);
 * - `sync_household_keys`: one row per household — `household_no`, `region_code`, `key_row_number`
 *   (the row whose household columns count: the first 户主 row, else the first row);
 * - `sync_errors`: `row_number`, `column_name`, `value`, `reason` — located row errors;
 * - `sync_household_digests`: `household_no`, `digest` — a hash of the household's raw rows, its
 *   village and the import's seed (year, column layout, code tables);
 * - each row's `unchanged`: true where the household's digest matched the registry's (see
 *   findUnchangedHouseholds), and then only its keys (`household_no`, `person_no`, `id_number`, `id18`,
 *   `relation`, `region_code`) are typed: the sync neither compares nor writes such a household.
 */
export const syncTables = {
  rows: 'sync_rows',
  householdKeys: 'sync_household_keys',
  errors: 'sync_errors',
  householdDigests: 'sync_household_digests',
};

/** The column of `sync_rows` (and of the registry table) holding a national column. */
export function syncColumnOf(column: Pick<NationalColumn, 'field'>): string {
  return column.field.replace(':', '_').replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** The SQL type a national column is staged in, the same as its registry column. */
export function syncTypeOf(kind: ColumnKind): 'text' | 'date' | 'numeric' | 'int' | 'boolean' {
  if (kind === 'date') return 'date';
  if (kind === 'number') return 'numeric';
  if (kind === 'integer') return 'int';
  if (kind === 'boolean') return 'boolean';
  return 'text';
}

export interface SyncField {
  /** The field name of @shouwang/domain, used in field history. */
  field: string;
  /** The column in sync_rows and in the registry table. */
  column: string;
  type: ReturnType<typeof syncTypeOf>;
}

const fieldsOf = (target: NationalColumn['target']): SyncField[] =>
  nationalColumns
    .filter((column) => column.target === target)
    .map((column) => ({ field: column.field, column: syncColumnOf(column), type: syncTypeOf(column.kind) }));

export const syncFields = {
  household: fieldsOf('household'),
  person: fieldsOf('person'),
  income: [...fieldsOf('income'), ...fieldsOf('postElimination')],
  risk: fieldsOf('risk'),
  measure: nationalColumns
    .filter((column) => column.target === 'measure')
    .map((column) => ({ category: column.field.replace('measure:', ''), column: syncColumnOf(column) })),
};

export interface SyncCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  markedAbsent: number;
}

export interface SyncCoverage {
  /** 6-digit county code. */
  countyCode: string;
  range: RegionRange;
}

export interface SnapshotApplyOptions {
  batchId: string;
  /** Statistics year of the income columns. */
  year: number;
  /** Fields (NationalColumn.field) the file carries; the registry keeps its own value of every other. */
  presentFields: ReadonlySet<string>;
  /**
   * The counties the snapshot covers (within the importer's scope): their active persons and households
   * missing from it become absent.
   */
  coverage: SyncCoverage[];
  /** The importer's scope: nothing outside it is matched or changed. */
  scope: RegionRange;
  /** Validate and count, then roll back. */
  dryRun: boolean;
  /** Runs inside the transaction just before COMMIT (not in a dry run), e.g. to finish the batch row. */
  beforeCommit?: (result: SnapshotApplyResult) => Promise<void>;
}

export interface SnapshotApplyResult {
  households: SyncCounts;
  persons: SyncCounts;
  /** Active households and persons per county code (6 digits) after the snapshot, for the covered counties. */
  platformTotals: Array<{ countyCode: string; households: number; persons: number }>;
  historyRows: number;
}

/**
 * Applies a staged national snapshot to the registry in one transaction of set-based statements:
 * households by 户编号, persons by 人编号 else ID within the household, yearly incomes, risks and
 * measures; field history for every change (source national_sync); missing ones marked absent.
 */
export class NationalSyncService {
  /**
   * Households of the snapshot that the registry already holds outside the importer's scope: writes a
   * located error for each into sync_errors and returns how many.
   */
  async findOutOfScopeHouseholds(
    session: Kysely<Database>,
    options: { scope: RegionRange; householdNoColumn: string },
  ) {
    return new NationalSyncRepository(session).insertOutOfScopeHouseholdErrors(options);
  }

  /**
   * Whether any household holds an import digest: only then can a snapshot have unchanged households,
   * and is the cheap keying pass before the typing worth its cost.
   */
  async hasImportDigests(session: Kysely<Database>) {
    return new NationalSyncRepository(session).hasImportDigests();
  }

  /**
   * Names in `sync_unchanged_households` the households of the snapshot (`sync_household_digests`)
   * that no write has touched since an import of exactly the same rows.
   */
  async findUnchangedHouseholds(session: Kysely<Database>, options: { scope: RegionRange }) {
    await new NationalSyncRepository(session).findUnchangedHouseholds(options);
  }

  /** Active households and persons per covered county, as the registry holds them now. */
  async countActiveByCounty(session: Kysely<Database>, coverage: SyncCoverage[]) {
    return new NationalSyncRepository(session).countActiveByCounty({ coverage });
  }

  async applySnapshot(
    session: Kysely<Database>,
    options: SnapshotApplyOptions,
  ): Promise<SnapshotApplyResult> {
    const repository = new NationalSyncRepository(session);
    const present = (field: string) => options.presentFields.has(field);
    const context = {
      batchId: options.batchId,
      year: options.year,
      scope: options.scope,
      coverage: options.coverage,
      householdFields: syncFields.household.filter((field) => present(field.field)),
      personFields: syncFields.person.filter((field) => present(field.field)),
      incomeFields: syncFields.income.filter((field) => present(field.field)),
      riskFields: syncFields.risk.filter((field) => present(field.field)),
      measureFields: syncFields.measure.filter((measure) => present(`measure:${measure.category}`)),
    };
    await repository.begin();
    try {
      await repository.lockNationalSync();
      const forgetsMark = await repository.markDigestForgets();
      // A dry run takes no table locks; it rolls back what it wrote.
      if (!options.dryRun) await repository.deferIndexesOfEmptyTables();
      await repository.matchHouseholds(context);
      await repository.matchPersons(context);
      await repository.insertHouseholds(context);
      await repository.updateHouseholds(context);
      await repository.insertPersons(context);
      await repository.updatePersons(context);
      if (context.incomeFields.length > 0) await repository.applyIncomes(context);
      if (context.riskFields.length > 0) await repository.applyRisks(context);
      if (context.measureFields.length > 0) await repository.applyMeasures(context);
      // Marking absent and counting per county read persons and households by region: their
      // indexes are back first; field history's after its own bulk insert.
      if (!options.dryRun) await repository.restoreDeferredIndexes({ except: ['field_history'] });
      await repository.markAbsent(context);
      const historyRows = await repository.writeHistory(context);
      if (!options.dryRun) await repository.writeDigests({ forgetsMark });
      const counts = await repository.countChanges();
      const platformTotals = await repository.countActiveByCounty(context);
      if (!options.dryRun) await repository.restoreDeferredIndexes({ except: [] });
      const result: SnapshotApplyResult = { ...counts, platformTotals, historyRows };
      if (options.dryRun) {
        await repository.rollback();
      } else {
        await options.beforeCommit?.(result);
        await repository.commit();
      }
      return result;
    } catch (error) {
      await repository.rollback().catch(() => {});
      throw error;
    }
  }
}
