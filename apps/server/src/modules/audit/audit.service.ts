import type { Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/connection.ts';
import type { AuditOutcome, Database } from '../../db/database.ts';
import ExcelJS from '../../excel.ts';
import type { Principal } from '../access/principal.ts';
import { type AuditRecord, AuditRepository, type AuditSearchFilters } from './audit.repository.ts';
import { chainHash, genesisHash } from './audit-chain.ts';

export interface AuditEntry {
  action: string;
  outcome: AuditOutcome;
  /** The caller; null for anonymous requests (failed logins, public pages) and the CLI. */
  actor?: Pick<Principal, 'userId' | 'username' | 'regionCode'> | null;
  /** For anonymous entries: the user name that was tried, if any. */
  actorUsername?: string | null;
  ip?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  /** Region the entry belongs to when it is not the actor's (defaults to the actor's, else the province). */
  regionCode?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBrokenId: string | null;
  reason: string | null;
}

const outcomeLabels: Record<AuditOutcome, string> = { success: '成功', failure: '失败', denied: '拒绝' };

export class AuditService {
  private readonly repository: AuditRepository;
  private readonly ensuredMonths = new Set<string>();

  constructor(
    private readonly db: DB,
    /** Root region of the installation: anonymous and system entries belong to it. */
    private readonly provinceRegionCode: string,
  ) {
    this.repository = new AuditRepository(db);
  }

  /**
   * Appends an entry. Pass the transaction of the write being audited so both commit or neither does.
   */
  async record(entry: AuditEntry, executor?: Kysely<Database>): Promise<AuditRecord> {
    const occurredAt = new Date();
    const monthKey = occurredAt.toISOString().slice(0, 7);
    if (!this.ensuredMonths.has(monthKey)) {
      await this.repository.ensureMonthPartition(occurredAt);
      this.ensuredMonths.add(monthKey);
    }
    const content = {
      occurredAt,
      actorUserId: entry.actor?.userId || null,
      actorUsername: entry.actor?.username ?? entry.actorUsername ?? null,
      regionCode: entry.regionCode ?? entry.actor?.regionCode ?? this.provinceRegionCode,
      ip: entry.ip ?? null,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      outcome: entry.outcome,
      detail: entry.detail ?? {},
    };
    if (executor) return this.repository.append(executor, content);
    return this.db.transaction().execute((trx) => this.repository.append(trx, content));
  }

  /** Creates this month's and the next two months' partitions ahead of time. */
  async ensurePartitions(now = new Date()): Promise<void> {
    for (let offset = 0; offset < 3; offset += 1) {
      await this.repository.ensureMonthPartition(
        new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)),
      );
    }
  }

  /**
   * Walks the whole chain in id order and reports the first row whose content or link does not match:
   * an UPDATE changes a row's hash, a DELETE or a row slipped in breaks the next link, a truncated tail
   * no longer matches the chain head.
   */
  async verify(onProgress: (checked: number) => void = () => {}): Promise<AuditVerification> {
    const head = await this.repository.getChainHead();
    let previousHash = head.anchorPrevHash ?? genesisHash;
    let previousId: string | null = null;
    let checked = 0;
    let first = true;
    for (;;) {
      const batch = await this.repository.listChainBatch({ afterId: previousId, limit: 5000 });
      if (batch.length === 0) break;
      for (const row of batch) {
        if (first && head.anchorId !== null && row.id !== head.anchorId) {
          return broken(checked, row.id, '链首记录与保留锚点不一致（早期记录被删除或插入）');
        }
        first = false;
        if (row.prevHash !== previousHash) {
          return broken(checked, row.id, '前序哈希不匹配（其前有记录被删除或插入）');
        }
        if (chainHash(row.prevHash, row) !== row.hash) {
          return broken(checked, row.id, '记录内容与哈希不符（记录被修改）');
        }
        previousHash = row.hash;
        previousId = row.id;
        checked += 1;
      }
      onProgress(checked);
    }
    if (previousHash !== head.lastHash || (previousId !== null && previousId !== head.lastId)) {
      return broken(checked, head.lastId, '链尾与链头记录不一致（末尾记录被删除）');
    }
    return { ok: true, checked, firstBrokenId: null, reason: null };
  }

  /** Drops months older than the retention (at least 6 months). */
  async prune(retentionMonths: number, now = new Date()): Promise<string[]> {
    const months = Math.max(6, retentionMonths);
    const cutoff = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
    return this.repository.dropPartitionsBefore(cutoff);
  }

  async search(filters: AuditSearchFilters & { page: number; pageSize: number }) {
    const [items, total] = await Promise.all([
      this.repository.search({
        ...filters,
        offset: (filters.page - 1) * filters.pageSize,
        limit: filters.pageSize,
      }),
      this.repository.count(filters),
    ]);
    return { items, total };
  }

  /** Streams the matching entries to an xlsx workbook; rows are read in keyset pages. */
  async exportXlsx(options: {
    filters: AuditSearchFilters;
    exportedBy: string;
    output: Writable;
  }): Promise<number> {
    const exportedAt = new Date();
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: options.output, useStyles: true });
    workbook.creator = options.exportedBy;
    workbook.created = exportedAt;
    workbook.title = '审计日志';
    const sheet = workbook.addWorksheet('审计日志', {
      views: [{ state: 'frozen', ySplit: 2 }],
      headerFooter: {
        oddHeader: `&L审计日志&R导出人：${options.exportedBy}`,
        oddFooter: `&L导出时间：${formatTime(exportedAt)}&R第 &P 页，共 &N 页`,
      },
    });
    sheet.columns = [
      { key: 'id', width: 10 },
      { key: 'occurredAt', width: 20 },
      { key: 'actor', width: 16 },
      { key: 'region', width: 14 },
      { key: 'ip', width: 16 },
      { key: 'action', width: 22 },
      { key: 'target', width: 22 },
      { key: 'outcome', width: 8 },
      { key: 'detail', width: 60 },
    ];
    sheet.addRow([`审计日志（导出人：${options.exportedBy}，导出时间：${formatTime(exportedAt)}）`]).commit();
    const header = sheet.addRow([
      '序号',
      '时间',
      '用户',
      '区划代码',
      'IP 地址',
      '操作',
      '对象',
      '结果',
      '详情',
    ]);
    header.font = { bold: true };
    header.commit();
    let count = 0;
    let before: { occurredAt: Date; id: string } | undefined;
    for (;;) {
      const rows = await this.repository.listForExport({ ...options.filters, before, limit: 2000 });
      for (const row of rows) {
        sheet
          .addRow([
            Number(row.id),
            formatTime(row.occurredAt),
            row.actorUsername ?? '',
            row.regionCode ?? '',
            row.ip ?? '',
            row.action,
            [row.targetType, row.targetId].filter(Boolean).join(' '),
            outcomeLabels[row.outcome as AuditOutcome] ?? row.outcome,
            JSON.stringify(row.detail),
          ])
          .commit();
      }
      count += rows.length;
      const last = rows.at(-1);
      if (!last || rows.length < 2000) break;
      before = { occurredAt: last.occurredAt, id: last.id };
    }
    sheet.commit();
    await workbook.commit();
    return count;
  }
}

function broken(checked: number, id: string | null, reason: string): AuditVerification {
  return { ok: false, checked, firstBrokenId: id, reason };
}

/** Beijing time, as printed on the platform's reports. */
export function formatTime(date: Date): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
