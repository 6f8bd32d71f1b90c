import { type Kysely, type SqlBool, sql } from 'kysely';
import type { DB } from '../../db/connection.ts';
import type { Database, ImportBatchStatus } from '../../db/database.ts';
import { regionScopeCondition } from '../access/region-scope.ts';
import { countyCodeOf, coveringRegionCodes, type RegionRange } from '../regions/region-code.ts';

/** First key of the session advisory lock an import holds on its batch while it runs. */
export const batchLockClass = 713_001;

export interface NewBatch {
  kind: string;
  fileName: string;
  fileSha256: string | null;
  fileSize: number;
  statisticsYear: number;
  dryRun: boolean;
  userId: string | null;
  actorUsername: string;
  regionCode: string;
}

/** Whole, or the covering batch of a region above the caller's, cut down to the caller's counties. */
export type BatchView = 'full' | 'covering';

export type BatchRecord = Awaited<ReturnType<ExchangeRepository['getById']>> & {};

const batchColumns = [
  'importBatches.id',
  'importBatches.kind',
  'importBatches.fileName',
  'importBatches.fileSize',
  'importBatches.statisticsYear',
  'importBatches.dryRun',
  'importBatches.status',
  'importBatches.phase',
  'importBatches.rowsRead',
  'importBatches.actorUsername',
  'importBatches.regionCode',
  'importBatches.summary',
  'importBatches.error',
  'importBatches.startedAt',
  'importBatches.finishedAt',
] as const;

/** All SQL of import batches and their row errors. */
export class ExchangeRepository {
  constructor(private readonly db: DB) {}

  /** Inserts the batch and takes its liveness lock, both on the import's own connection. */
  async createBatch(session: Kysely<Database>, batch: NewBatch): Promise<string> {
    const row = await session
      .insertInto('importBatches')
      .values({ ...batch, fileSize: String(batch.fileSize), status: 'running', phase: 'reading' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`SELECT pg_advisory_lock(${batchLockClass}, (${row.id}::bigint % 2147483647)::int)`.execute(
      session,
    );
    return row.id;
  }

  async updateProgress(id: string, progress: { phase: string; rowsRead: number }) {
    await this.db
      .updateTable('importBatches')
      .set({ phase: progress.phase, rowsRead: progress.rowsRead })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .execute();
  }

  async finishBatch(
    executor: Kysely<Database>,
    id: string,
    outcome: {
      status: ImportBatchStatus;
      summary: Record<string, unknown> | null;
      error: string | null;
      rowsRead: number;
      fileSha256: string | null;
    },
  ) {
    await executor
      .updateTable('importBatches')
      .set({
        status: outcome.status,
        phase: 'done',
        rowsRead: outcome.rowsRead,
        summary: JSON.stringify(outcome.summary ?? {}),
        error: outcome.error,
        fileSha256: outcome.fileSha256,
        finishedAt: new Date(),
      })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Batches left 'running' by a process that is gone: nobody holds their lock any more. Marked failed;
   * their registry writes were never committed.
   */
  async failAbandonedBatches(reason: string): Promise<number> {
    const result = await sql`
      UPDATE import_batches batch
      SET status = 'failed', phase = 'done', error = ${reason}, finished_at = now()
      WHERE batch.status = 'running'
        AND NOT EXISTS (
          SELECT 1 FROM pg_locks lock
          WHERE lock.locktype = 'advisory' AND lock.granted
            AND lock.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND lock.classid = ${batchLockClass}::int::oid
            AND lock.objid = (batch.id % 2147483647)::int::oid
            AND lock.objsubid = 2
        )`.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }

  /**
   * The batches a caller may see: those imported within the scope, whole (`view` full), and those a
   * region above it imported that covered one of its counties (a province import covers every county
   * of its file), as `covering`: the service shows only the caller's counties of those.
   */
  private visibleBatches(scope: RegionRange) {
    const within = regionScopeCondition(scope, 'import_batches.region_code');
    // A township or village lies inside its county: the county of the scope counts as covered too.
    const ownCounty = countyCodeOf(scope);
    const covering = sql<SqlBool>`(import_batches.region_code IN (${sql.join(coveringRegionCodes(scope))})
      AND EXISTS (
        SELECT 1 FROM (
          SELECT rpad(county ->> 'countyCode', 12, '0') AS code
          FROM jsonb_array_elements(import_batches.summary -> 'countyTotals') AS county) AS covered
        WHERE ${regionScopeCondition(scope, 'covered.code')} OR covered.code = ${ownCounty}))`;
    return this.db
      .selectFrom('importBatches')
      .where((eb) => eb.or([within, covering]))
      .select(sql<BatchView>`CASE WHEN ${within} THEN 'full' ELSE 'covering' END`.as('view'));
  }

  async search(options: { scope: RegionRange; kind?: string; offset: number; limit: number }) {
    const base = this.visibleBatches(options.scope).$if(options.kind !== undefined, (query) =>
      query.where('importBatches.kind', '=', options.kind ?? ''),
    );
    const [items, total] = await Promise.all([
      base
        .leftJoin('regions', 'regions.code', 'importBatches.regionCode')
        .select([...batchColumns, 'regions.fullName as regionFullName'])
        .orderBy('importBatches.startedAt', 'desc')
        .orderBy('importBatches.id', 'desc')
        .offset(options.offset)
        .limit(options.limit)
        .execute(),
      base
        .clearSelect()
        .select((eb) => eb.fn.countAll<string>().as('total'))
        .executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.total) };
  }

  async getById(options: { scope: RegionRange; id: string }) {
    return this.visibleBatches(options.scope)
      .leftJoin('regions', 'regions.code', 'importBatches.regionCode')
      .select([...batchColumns, 'regions.fullName as regionFullName'])
      .where('importBatches.id', '=', options.id)
      .executeTakeFirst();
  }

  /** A page of row errors from `fromRow` on; a page never splits one row's errors. */
  async listRowErrors(options: { batchId: string; fromRow: number; limit: number }) {
    return this.db
      .selectFrom('importRowErrors')
      .select(['rowNumber', 'columnName', 'value', 'reason'])
      .where('batchId', '=', options.batchId)
      .where('rowNumber', '>=', options.fromRow)
      .orderBy('rowNumber')
      .orderBy('columnName')
      .limit(options.limit)
      .execute();
  }
}
