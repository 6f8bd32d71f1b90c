import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/connection.ts';
import type { AuditOutcome, Database } from '../../db/database.ts';
import { withRegionScope } from '../access/region-scope.ts';
import type { RegionRange } from '../regions/region-code.ts';
import { type ChainedContent, chainHash } from './audit-chain.ts';

export interface AuditRecord extends ChainedContent {
  prevHash: string;
  hash: string;
}

export interface AuditListRecord extends AuditRecord {
  regionName: string | null;
}

export interface AuditSearchFilters {
  scope: RegionRange;
  from?: Date;
  to?: Date;
  action?: string;
  actor?: string;
  outcome?: AuditOutcome;
}

type Executor = Kysely<Database>;

export class AuditRepository {
  constructor(private readonly db: DB) {}

  /** Appends one row to the chain; the head row's lock serialises writers. */
  async append(executor: Executor, entry: Omit<ChainedContent, 'id'>): Promise<AuditRecord> {
    const head = await executor
      .selectFrom('auditChainHead')
      .select(['lastHash'])
      .where('id', '=', 1)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const { rows } = await sql<{ id: string }>`SELECT nextval('audit_log_id_seq')::text AS id`.execute(
      executor,
    );
    const id = rows[0]?.id ?? '';
    const content: ChainedContent = { ...entry, id };
    const hash = chainHash(head.lastHash, content);
    await executor
      .insertInto('auditLog')
      .values({ ...content, detail: JSON.stringify(content.detail), prevHash: head.lastHash, hash })
      .execute();
    await executor
      .updateTable('auditChainHead')
      .set({ lastId: id, lastHash: hash })
      .where('id', '=', 1)
      .execute();
    return { ...content, prevHash: head.lastHash, hash };
  }

  /** Creates the month's partition if missing (idempotent; tolerates a concurrent creator). */
  async ensureMonthPartition(month: Date): Promise<void> {
    const start = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1));
    const end = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
    const name = partitionName(start);
    try {
      await sql`CREATE TABLE IF NOT EXISTS ${sql.table(name)} PARTITION OF audit_log
        FOR VALUES FROM (${sql.lit(start.toISOString())}) TO (${sql.lit(end.toISOString())})`.execute(
        this.db,
      );
    } catch (error) {
      if ((error as { code?: string }).code !== '42P07') throw error;
    }
  }

  async listPartitions(): Promise<Array<{ name: string; upperBound: Date }>> {
    const { rows } = await sql<{ name: string; bound: string }>`
      SELECT child.relname AS name, pg_get_expr(child.relpartbound, child.oid) AS bound
      FROM pg_inherits JOIN pg_class child ON child.oid = pg_inherits.inhrelid
      WHERE pg_inherits.inhparent = 'audit_log'::regclass`.execute(this.db);
    return rows.map((row) => {
      const match = /TO \('([^']+)'\)/.exec(row.bound);
      return { name: row.name, upperBound: new Date(match?.[1] ?? 0) };
    });
  }

  /** Drops whole partitions older than the cutoff and re-anchors the chain at the first remaining row. */
  async dropPartitionsBefore(cutoff: Date): Promise<string[]> {
    const dropped: string[] = [];
    await this.db.transaction().execute(async (trx) => {
      await trx.selectFrom('auditChainHead').select('id').where('id', '=', 1).forUpdate().execute();
      for (const partition of await this.listPartitions()) {
        if (partition.upperBound <= cutoff) {
          await sql`DROP TABLE ${sql.table(partition.name)}`.execute(trx);
          dropped.push(partition.name);
        }
      }
      if (dropped.length === 0) return;
      const first = await trx
        .selectFrom('auditLog')
        .select(['id', 'prevHash'])
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      await trx
        .updateTable('auditChainHead')
        .set(
          first
            ? { anchorId: first.id, anchorPrevHash: first.prevHash }
            : {
                anchorId: null,
                anchorPrevHash: (
                  await trx.selectFrom('auditChainHead').select('lastHash').executeTakeFirstOrThrow()
                ).lastHash,
              },
        )
        .where('id', '=', 1)
        .execute();
    });
    return dropped;
  }

  async getChainHead() {
    return this.db.selectFrom('auditChainHead').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  }

  /** Rows in chain order after `afterId`, for verification in flat memory. */
  async listChainBatch(options: { afterId: string | null; limit: number }): Promise<AuditRecord[]> {
    let query = this.db.selectFrom('auditLog').selectAll().orderBy('id').limit(options.limit);
    if (options.afterId !== null) query = query.where('id', '>', options.afterId);
    return (await query.execute()) as AuditRecord[];
  }

  private searchQuery(filters: AuditSearchFilters) {
    let query = withRegionScope(this.db.selectFrom('auditLog'), filters.scope, 'auditLog.regionCode');
    if (filters.from) query = query.where('auditLog.occurredAt', '>=', filters.from);
    if (filters.to) query = query.where('auditLog.occurredAt', '<', filters.to);
    if (filters.action) query = query.where('auditLog.action', 'like', `${escapeLike(filters.action)}%`);
    if (filters.actor) query = query.where('auditLog.actorUsername', '=', filters.actor);
    if (filters.outcome) query = query.where('auditLog.outcome', '=', filters.outcome);
    return query;
  }

  async search(filters: AuditSearchFilters & { offset: number; limit: number }): Promise<AuditListRecord[]> {
    return (await this.searchQuery(filters)
      .leftJoin('regions', 'regions.code', 'auditLog.regionCode')
      .selectAll('auditLog')
      .select('regions.name as regionName')
      .orderBy('auditLog.occurredAt', 'desc')
      .orderBy('auditLog.id', 'desc')
      .offset(filters.offset)
      .limit(filters.limit)
      .execute()) as AuditListRecord[];
  }

  async count(filters: AuditSearchFilters): Promise<number> {
    const row = await this.searchQuery(filters)
      .select(sql<number>`count(*)::int`.as('count'))
      .executeTakeFirstOrThrow();
    return row.count;
  }

  /** Keyset pages for export, newest first, so memory stays flat whatever the range. */
  async listForExport(
    filters: AuditSearchFilters & { before?: { occurredAt: Date; id: string }; limit: number },
  ): Promise<AuditRecord[]> {
    let query = this.searchQuery(filters).selectAll();
    if (filters.before) {
      const before = filters.before;
      query = query.where(sql<boolean>`(occurred_at, id) < (${before.occurredAt}, ${before.id})`);
    }
    return (await query
      .orderBy('occurredAt', 'desc')
      .orderBy('id', 'desc')
      .limit(filters.limit)
      .execute()) as AuditRecord[];
  }
}

function partitionName(monthStart: Date): string {
  return `audit_log_y${monthStart.getUTCFullYear()}m${String(monthStart.getUTCMonth() + 1).padStart(2, '0')}`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
