import { Tag } from 'antd';
import { batchStatusLabels } from '../labels.ts';
import type { ImportBatch } from '../service.ts';

/** 成功 / 失败 / 进行中, and 试导入 for a dry run. */
export function BatchStatusTag({ batch }: { batch: Pick<ImportBatch, 'status' | 'dryRun'> }) {
  const status = batchStatusLabels[batch.status];
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      <Tag color={status.color}>{status.label}</Tag>
      {batch.dryRun && <Tag>试导入</Tag>}
    </span>
  );
}
