import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/connection.ts';
import type { Database, ImportBatchStatus } from '../../db/database.ts';
import { withRegionScope } from '../access/region-scope.ts';
import type { RegionRange } from '../regions/region-code.ts';

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

  async search(options: { scope: RegionRange; kind?: string; offset: number; limit: number }) {
    const base = withRegionScope(
      this.db.selectFrom('importBatches'),
      options.scope,
      'import_batches.region_code',
    ).$if(options.kind !== undefined, (query) => query.where('importBatches.kind', '=', options.kind ?? ''));
    const [items, total] = await Promise.all([
      base
        .leftJoin('regions', 'regions.code', 'importBatches.regionCode')
        .select([...batchColumns, 'regions.fullName as regionFullName'])
        .orderBy('importBatches.startedAt', 'desc')
        .orderBy('importBatches.id', 'desc')
        .offset(options.offset)
        .limit(options.limit)
        .execute(),
      base.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.total) };
  }

  async getById(options: { scope: RegionRange; id: string }) {
    return withRegionScope(this.db.selectFrom('importBatches'), options.scope, 'import_batches.region_code')
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
