import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import type { DB } from '../../db/connection.ts';
import ExcelJS from '../../excel.ts';
import { AppError } from '../../plugins/errors.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import {
  countyCodeOf,
  isWithinRange,
  type RegionRange,
  regionRange,
  toRegionCode,
} from '../regions/region-code.ts';
import { NationalSyncService, type SyncCounts } from '../registry/national-sync.service.ts';
import { exchangeErrors } from './exchange.errors.ts';
import { type BatchRecord, ExchangeRepository } from './exchange.repository.ts';
import { ImportSession } from './import-session.ts';
import { type NationalFileLayout, openNationalFile } from './national-file-reader.ts';
import {
  importDigestSeed,
  isSyncedColumn,
  NationalStagingRepository,
  type RowErrorRecord,
  type StagedColumn,
} from './national-staging.repository.ts';

export type ImportPhase = 'reading' | 'validating' | 'applying' | 'done';

export interface ImportProgress {
  phase: ImportPhase;
  rowsRead: number;
}

export interface ImportNationalFileOptions {
  /** An xlsx or csv file on disk. */
  filePath: string;
  /** Shown in the history; defaults to the file's base name. */
  fileName?: string;
  /** Scope and audit actor (the CLI passes cliPrincipal). */
  principal: Principal;
  /** Validate and report what would change; write nothing to the registry. */
  dryRun?: boolean;
  /** Statistics year of the income columns; default the current calendar year. */
  year?: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Client address for the audit log. */
  ip?: string | null;
}

export interface CountyTotal {
  countyCode: string;
  countyName: string;
  fileHouseholds: number;
  filePersons: number;
  platformHouseholds: number;
  platformPersons: number;
}

export interface ImportSummary {
  batchId: string;
  status: 'succeeded' | 'failed';
  dryRun: boolean;
  rowsRead: number;
  households: SyncCounts;
  persons: SyncCounts;
  rowsRejected: number;
  /** The first 100 located errors; all of them are kept with the batch. */
  errors: RowErrorRecord[];
  unknownColumns: string[];
  unknownValues: Array<{ column: string; value: string; count: number }>;
  countyTotals: CountyTotal[];
  seconds: number;
}

const noCounts = (): SyncCounts => ({ inserted: 0, updated: 0, unchanged: 0, markedAbsent: 0 });
const progressEveryRows = 10_000;
/** Connections that type the staged rows at once: one per core, at most 4. */
const typingConnections = Math.min(4, Math.max(1, os.availableParallelism()));
export const summaryErrorLimit = 100;

/**
 * Text for a COPY text-format field: `\N` for blank, backslash escapes for the rest. NUL and the unit
 * separator (used by the staging SQL to join cells) never occur in a real export and are dropped.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL and the unit separator are what must go.
const copySpecial = /[\\\t\n\r\0\u001f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the same characters, tested without state.
const copySpecialTest = /[\\\t\n\r\0\u001f]/;
const blankAsNull = (value: string) => (value === '' ? '\\N' : value);
function copyField(value: string): string {
  if (value === '') return '\\N';
  return value.replace(copySpecial, (character) => {
    if (character === '\\') return '\\\\';
    if (character === '\t') return '\\t';
    if (character === '\n') return '\\n';
    if (character === '\r') return '\\r';
    return '';
  });
}

function intersect(range: RegionRange, scope: RegionRange): RegionRange | undefined {
  // Codes compare as strings: the later start and the earlier end.
  const [, lo = range.lo] = [range.lo, scope.lo].sort();
  const [hi = range.hi] = [range.hi, scope.hi].sort();
  return lo < hi ? { lo, hi } : undefined;
}

async function sha256Of(filePath: string): Promise<string | null> {
  try {
    const hash = createHash('sha256');
    await pipeline(createReadStream(filePath), hash);
    return hash.digest('hex');
  } catch {
    return null;
  }
}

export interface ExchangeDependencies {
  db: DB;
  pool: pg.Pool;
  audit: AuditService;
  /** 2-digit code of the configured province: villages resolve within its tree only. */
  province: string;
}

/**
 * File imports. The national sync reads the file as a stream, COPYs its rows into a staging table on
 * the import's own connection, types and checks them there with set-based SQL, and hands the staged
 * snapshot to the registry's NationalSyncService, which applies it in one transaction.
 */
export class ExchangeService {
  private readonly repository: ExchangeRepository;
  private readonly sync = new NationalSyncService();
  private readonly provinceRange: RegionRange;
  /** Imports started by the API, still running in this process. */
  private readonly running = new Set<Promise<unknown>>();
  private readonly importedListeners: Array<
    (summary: ImportSummary, context: { principal: Principal }) => Promise<void>
  > = [];

  constructor(private readonly dependencies: ExchangeDependencies) {
    this.repository = new ExchangeRepository(dependencies.db);
    this.provinceRange = regionRange(toRegionCode(dependencies.province), 'province');
  }

  /**
   * Work that follows every applied (not dry-run) import, e.g. rebuilding the analytics cube, re-checking
   * the quality rules over the importer's region.
   */
  onImported(listener: (summary: ImportSummary, context: { principal: Principal }) => Promise<void>): void {
    this.importedListeners.push(listener);
  }

  /** Imports a national sync file and waits for the result. */
  async importNationalFile(options: ImportNationalFileOptions): Promise<ImportSummary> {
    const started = await this.begin(options);
    return started.finished;
  }

  /**
   * Starts an import and answers as soon as its batch exists; the caller polls the batch for progress.
   * `afterwards` runs when the import has ended either way (e.g. to delete an uploaded file).
   */
  async startNationalImport(
    options: ImportNationalFileOptions & { afterwards?: () => Promise<void> },
  ): Promise<{ batchId: string }> {
    let started: Awaited<ReturnType<ExchangeService['begin']>>;
    try {
      started = await this.begin(options);
    } catch (error) {
      await options.afterwards?.().catch(() => {});
      throw error;
    }
    const tracked = started.finished
      .catch(() => {
        // The failure is recorded on the batch; the poller reads it there.
      })
      .finally(async () => {
        await options.afterwards?.().catch(() => {});
        this.running.delete(tracked);
      });
    this.running.add(tracked);
    return { batchId: started.batchId };
  }

  /** Waits for the imports this process started (at shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  async failAbandonedBatches(): Promise<number> {
    await ImportSession.dropAbandonedSchemas(this.dependencies.pool);
    return this.repository.failAbandonedBatches(exchangeErrors.interrupted().message);
  }

  async searchBatches(principal: Principal, options: { page: number; pageSize: number; kind?: string }) {
    const { items, total } = await this.repository.search({
      scope: principal.scope,
      kind: options.kind,
      offset: (options.page - 1) * options.pageSize,
      limit: options.pageSize,
    });
    return { items: items.map((batch) => cutToScope(batch, principal.scope)), total };
  }

  async getBatchOrThrow(principal: Principal, id: string): Promise<BatchRecord> {
    if (!/^\d{1,18}$/.test(id)) throw exchangeErrors.batchNotFound(id);
    const batch = await this.repository.getById({ scope: principal.scope, id });
    if (!batch) throw exchangeErrors.batchNotFound(id);
    return cutToScope(batch, principal.scope);
  }

  /** A batch whose row errors the caller may download: one imported within the caller's scope. */
  async getBatchWithErrorsOrThrow(principal: Principal, id: string): Promise<BatchRecord> {
    const batch = await this.getBatchOrThrow(principal, id);
    if (batch.view !== 'full') throw exchangeErrors.errorsNotShared(batch.regionFullName ?? batch.regionCode);
    return batch;
  }

  /** Streams every row error of a batch as an xlsx workbook (行号, 列, 值, 原因). */
  async writeErrorsXlsx(batch: BatchRecord, output: Writable): Promise<number> {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true });
    workbook.title = '导入错误明细';
    const sheet = workbook.addWorksheet('错误明细', { views: [{ state: 'frozen', ySplit: 2 }] });
    sheet.columns = [
      { key: 'row', width: 10 },
      { key: 'column', width: 22 },
      { key: 'value', width: 28 },
      { key: 'reason', width: 80 },
    ];
    sheet.addRow([`导入错误明细：${batch.fileName}（批次 ${batch.id}）`]).commit();
    const header = sheet.addRow(['行号', '列', '值', '原因']);
    header.font = { bold: true };
    header.commit();
    const pageSize = 5000;
    let fromRow = 0;
    let count = 0;
    for (;;) {
      const rows = await this.repository.listRowErrors({ batchId: batch.id, fromRow, limit: pageSize });
      const last = rows.at(-1);
      // A full page may end inside one row's errors: keep that row for the next page.
      const complete =
        rows.length < pageSize || !last ? rows : rows.filter((row) => row.rowNumber < last.rowNumber);
      for (const row of complete) {
        sheet.addRow([row.rowNumber, row.columnName ?? '', row.value ?? '', row.reason]).commit();
      }
      count += complete.length;
      if (rows.length < pageSize || !last) break;
      fromRow = last.rowNumber;
    }
    sheet.commit();
    await workbook.commit();
    return count;
  }

  private async begin(options: ImportNationalFileOptions) {
    const year = options.year ?? new Date().getFullYear();
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw exchangeErrors.invalidYear(year);
    const fileName = options.fileName ?? path.basename(options.filePath);
    const fileSize = await stat(options.filePath).then(
      (info) => info.size,
      () => -1,
    );
    const session = await ImportSession.open(this.dependencies.pool);
    let batchId: string;
    try {
      batchId = await this.repository.createBatch(session.db, {
        kind: 'national_sync',
        fileName,
        fileSha256: null,
        fileSize: Math.max(fileSize, 0),
        statisticsYear: year,
        dryRun: options.dryRun ?? false,
        userId: options.principal.userId || null,
        actorUsername: options.principal.username,
        regionCode: options.principal.regionCode,
      });
    } catch (error) {
      await session.close();
      throw error;
    }
    const finished = this.run(session, batchId, {
      ...options,
      fileName,
      year,
      fileExists: fileSize >= 0,
    }).finally(() => session.close());
    // The caller may not await at once (API): never leave a rejection unobserved.
    finished.catch(() => {});
    return { batchId, finished };
  }

  private async run(
    session: ImportSession,
    batchId: string,
    options: ImportNationalFileOptions & { fileName: string; year: number; fileExists: boolean },
  ): Promise<ImportSummary> {
    const startedAt = performance.now();
    const dryRun = options.dryRun ?? false;
    const principal = options.principal;
    const staging = new NationalStagingRepository(session.db);
    const hashing = options.fileExists ? sha256Of(options.filePath) : Promise.resolve(null);
    let rowsRead = 0;
    // Progress for pollers goes through the pool, one write at a time; the latest state wins.
    let writing = false;
    let unwritten: ImportProgress | undefined;
    const writeProgress = async () => {
      writing = true;
      while (unwritten) {
        const progress = unwritten;
        unwritten = undefined;
        await this.repository.updateProgress(batchId, progress).catch(() => {});
      }
      writing = false;
    };
    const report = (phase: ImportPhase) => {
      options.onProgress?.({ phase, rowsRead });
      unwritten = { phase, rowsRead };
      if (!writing) void writeProgress();
    };
    const seconds = () => Math.round((performance.now() - startedAt) / 100) / 10;

    try {
      if (!options.fileExists) throw exchangeErrors.unreadable(options.fileName, '文件不存在');
      report('reading');
      const file = await openNationalFile(options.filePath, options.fileName);
      const layout = file.layout;
      const staged = stagedColumnsOf(layout);
      const headers = headersOf(layout);
      await staging.createStage({
        columnCount: layout.headers.length,
        headerRowNumber: file.csv ? layout.headerRowNumber : null,
        placeColumns: placeColumnIndexes(layout),
      });
      if (file.csv) {
        // PostgreSQL parses the csv; the scanner passes its records on and counts them.
        const records = file.csv.open((count) => {
          rowsRead = count;
          report('reading');
        });
        await session.copy(staging.csvCopyStatement(file.csv), records, {
          fileName: options.fileName,
          firstRowNumber: layout.headerRowNumber + 1,
        });
      } else {
        const rows = file.rows;
        const columnCount = layout.headers.length;
        const lines = Readable.from(
          (async function* () {
            let chunk = '';
            const values: string[] = new Array(columnCount);
            for await (const batch of rows) {
              for (const row of batch) {
                for (let index = 0; index < columnCount; index += 1) values[index] = row.cells[index] ?? '';
                // One test per row; cells are escaped one by one only in the rare row that needs it.
                const fields = copySpecialTest.test(values.join(''))
                  ? values.map(copyField)
                  : values.map(blankAsNull);
                chunk += `${row.rowNumber}\t${fields.join('\t')}\n`;
                rowsRead += 1;
                if (rowsRead % progressEveryRows === 0) report('reading');
              }
              yield chunk;
              chunk = '';
            }
            if (chunk) yield chunk;
          })(),
          { objectMode: false },
        );
        await session.copy(staging.textCopyStatement(), lines);
      }

      report('validating');
      const hasPersonNo = layout.columns.some((column) => column?.field === 'personNo');
      await staging.insertPlaces();
      await staging.resolvePlaces({ province: this.provinceRange, scope: principal.scope });
      // Where earlier imports left household digests, households whose rows are the same raw cells
      // (and that nothing has written since) are keyed but not typed, compared or written.
      const reuseDigests = await this.sync.hasImportDigests(session.db);
      await staging.buildSyncRows(
        staged,
        { parts: typingConnections, run: (parts, work) => session.inParallel(parts, work) },
        {
          digestSeed: importDigestSeed(staged, options.year),
          findUnchanged: reuseDigests
            ? () => this.sync.findUnchangedHouseholds(session.db, { scope: principal.scope })
            : undefined,
        },
      );
      rowsRead = await staging.countRows();
      if (rowsRead === 0) throw exchangeErrors.emptyFile(options.fileName);
      await staging.buildKeys({ hasPersonNo });
      await staging.insertRowErrors(headers, { hasPersonNo });
      await this.sync.findOutOfScopeHouseholds(session.db, {
        scope: principal.scope,
        householdNoColumn: headers.householdNo ?? '户编号',
      });
      const unknownValues = await staging.listUnknownValues(200);
      const fileTotals = await staging.countFileByCounty();
      const coverage = fileTotals.flatMap((county) => {
        const range = intersect(regionRange(toRegionCode(county.countyCode), 'county'), principal.scope);
        return range ? [{ countyCode: county.countyCode, range }] : [];
      });
      const errorCount = await staging.countErrors();
      const base = {
        batchId,
        dryRun,
        rowsRead,
        unknownColumns: layout.unknownColumns,
        unknownValues,
      };
      const countyTotalsWith = (
        platform: Array<{ countyCode: string; households: number; persons: number }>,
      ) =>
        fileTotals.map((county) => {
          const current = platform.find((item) => item.countyCode === county.countyCode);
          return {
            countyCode: county.countyCode,
            countyName: county.countyName,
            fileHouseholds: county.households,
            filePersons: county.persons,
            platformHouseholds: current?.households ?? 0,
            platformPersons: current?.persons ?? 0,
          };
        });

      if (errorCount.errors > 0) {
        await staging.saveErrors(batchId);
        const summary: ImportSummary = {
          ...base,
          status: 'failed',
          households: noCounts(),
          persons: noCounts(),
          rowsRejected: errorCount.rejectedRows,
          errors: await staging.listErrors(summaryErrorLimit),
          countyTotals: countyTotalsWith(await this.sync.countActiveByCounty(session.db, coverage)),
          seconds: seconds(),
        };
        await this.finish(
          session,
          batchId,
          summary,
          `${errorCount.rejectedRows} 行数据有错误，整个文件未导入`,
          hashing,
        );
        report('done');
        await this.audit(options, summary);
        return summary;
      }

      report('applying');
      let summary: ImportSummary | undefined;
      const buildSummary = (
        result: Awaited<ReturnType<NationalSyncService['applySnapshot']>>,
      ): ImportSummary => ({
        ...base,
        status: 'succeeded',
        households: result.households,
        persons: result.persons,
        rowsRejected: 0,
        errors: [],
        countyTotals: countyTotalsWith(result.platformTotals),
        seconds: seconds(),
      });
      const result = await this.sync.applySnapshot(session.db, {
        batchId,
        year: options.year,
        presentFields: new Set(layout.columns.flatMap((column) => (column ? [column.field] : []))),
        coverage,
        scope: principal.scope,
        dryRun,
        // The batch is finished in the same transaction as the registry writes: both or neither.
        beforeCommit: async (applied) => {
          summary = buildSummary(applied);
          await this.finish(session, batchId, summary, null, hashing);
        },
      });
      if (!summary) {
        summary = buildSummary(result);
        await this.finish(session, batchId, summary, null, hashing);
      }
      report('done');
      await this.audit(options, summary);
      if (!summary.dryRun) {
        // The import has committed: a listener's failure is its own to report, never the batch's.
        for (const listener of this.importedListeners) await listener(summary, { principal }).catch(() => {});
      }
      return summary;
    } catch (error) {
      const message =
        error instanceof AppError ? error.message : `导入失败：${(error as Error).message ?? error}`;
      await this.repository
        .finishBatch(this.dependencies.db, batchId, {
          status: 'failed',
          summary: null,
          error: message,
          rowsRead,
          fileSha256: await hashing,
        })
        .catch(() => {});
      options.onProgress?.({ phase: 'done', rowsRead });
      await this.dependencies.audit
        .record({
          action: 'imports.national',
          actor: principal,
          ip: options.ip,
          targetType: 'import_batch',
          targetId: batchId,
          outcome: 'failure',
          detail: { fileName: options.fileName, dryRun, rowsRead, error: message },
        })
        .catch(() => {});
      throw error;
    }
  }

  private async finish(
    session: ImportSession,
    batchId: string,
    summary: ImportSummary,
    error: string | null,
    hashing: Promise<string | null>,
  ) {
    await this.repository.finishBatch(session.db, batchId, {
      status: summary.status,
      summary: { ...summary },
      error,
      rowsRead: summary.rowsRead,
      fileSha256: await hashing,
    });
  }

  private async audit(options: ImportNationalFileOptions & { fileName: string }, summary: ImportSummary) {
    await this.dependencies.audit.record({
      action: 'imports.national',
      actor: options.principal,
      ip: options.ip,
      targetType: 'import_batch',
      targetId: summary.batchId,
      outcome: summary.status === 'succeeded' ? 'success' : 'failure',
      detail: {
        fileName: options.fileName,
        dryRun: summary.dryRun,
        rowsRead: summary.rowsRead,
        households: summary.households,
        persons: summary.persons,
        rowsRejected: summary.rowsRejected,
      },
    });
  }
}

/** The file's columns that are staged per row, with their position and header as the file spells it. */
function stagedColumnsOf(layout: NationalFileLayout): StagedColumn[] {
  return layout.columns.flatMap((column, index) =>
    column && isSyncedColumn(column)
      ? [{ column, header: layout.headers[index] ?? column.header, index }]
      : [],
  );
}

function headersOf(layout: NationalFileLayout): Record<string, string> {
  const headers: Record<string, string> = {};
  layout.columns.forEach((column, index) => {
    if (column) headers[column.field] = layout.headers[index] ?? column.header;
  });
  return headers;
}

function placeColumnIndexes(layout: NationalFileLayout) {
  const indexOf = (field: string) => {
    const index = layout.columns.findIndex((column) => column?.field === field);
    return index >= 0 ? index : undefined;
  };
  return {
    county: indexOf('countyName'),
    township: indexOf('townshipName'),
    village: indexOf('villageName'),
    code: indexOf('regionCode'),
  };
}

/**
 * A batch a region above the caller's imported, as the caller may see it: the file, its outcome and the
 * totals check of the caller's counties. Row errors and unknown values (cells of other counties' rows)
 * stay with the importing region.
 */
function cutToScope(batch: BatchRecord, scope: RegionRange): BatchRecord {
  if (batch.view === 'full' || !batch.summary) return batch;
  const summary = batch.summary as Partial<ImportSummary>;
  if (!Array.isArray(summary.countyTotals)) return { ...batch, summary: {} };
  const ownCounty = countyCodeOf(scope);
  const countyTotals = summary.countyTotals.filter((county) => {
    const code = toRegionCode(county.countyCode);
    return isWithinRange(code, scope) || code === ownCounty;
  });
  return { ...batch, summary: { ...summary, errors: [], unknownValues: [], countyTotals } };
}
