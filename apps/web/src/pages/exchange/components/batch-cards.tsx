import { List, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { minuteFormat } from '../../../locales/zh-CN/index.ts';
import type { ImportBatch } from '../service.ts';
import { BatchStatusTag } from './batch-status-tag.tsx';

interface BatchCardsProps {
  batches: ImportBatch[];
  total: number;
  page: number;
  pageSize: number;
  loading: boolean;
  onPageChange: (page: number, pageSize: number) => void;
}

function outcomeLine(batch: ImportBatch): string {
  const summary = batch.summary;
  if (batch.status === 'running') return `已读取 ${batch.rowsRead.toLocaleString('zh-CN')} 行`;
  if (!summary) return batch.error ?? '导入失败';
  if (summary.status === 'failed') return `${summary.rowsRejected} 行错误，未导入`;
  const { households, persons } = summary;
  return `户 +${households.inserted} ~${households.updated} −${households.markedAbsent}；人 +${persons.inserted} ~${persons.updated} −${persons.markedAbsent}`;
}

/** 导入记录 on a phone: one card per batch instead of a wide table. */
export function BatchCards({ batches, total, page, pageSize, loading, onPageChange }: BatchCardsProps) {
  return (
    <List<ImportBatch>
      loading={loading}
      dataSource={batches}
      rowKey="id"
      pagination={{ current: page, pageSize, total, size: 'small', onChange: onPageChange, simple: true }}
      renderItem={(batch) => (
        <List.Item>
          <div style={{ width: '100%', minWidth: 0 }}>
            <Link to={`/exchange/batches/${batch.id}`} style={{ display: 'block', wordBreak: 'break-all' }}>
              {batch.fileName}
            </Link>
            <div style={{ margin: '4px 0' }}>
              {batch.view === 'covering' && (
                <Tag color="blue">上级导入（{batch.regionFullName ?? batch.regionCode}）</Tag>
              )}
              <BatchStatusTag batch={batch} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {dayjs(batch.startedAt).format(minuteFormat)} · {batch.actorUsername ?? '—'}
              </Typography.Text>
            </div>
            <Typography.Text style={{ fontSize: 13 }}>{outcomeLine(batch)}</Typography.Text>
          </div>
        </List.Item>
      )}
    />
  );
}
