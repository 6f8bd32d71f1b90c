import { Card, Progress, Steps, Typography } from 'antd';
import { phaseLabels, phaseOrder } from '../labels.ts';
import type { ImportBatch } from '../service.ts';

interface ImportProgressProps {
  /** Upload progress in percent while the file is still being sent. */
  uploadPercent: number | null;
  batch: ImportBatch | undefined;
}

/** Live progress: the upload, then the import's phase and the rows read so far. */
export function ImportProgress({ uploadPercent, batch }: ImportProgressProps) {
  const uploading = !batch;
  const phase = batch?.phase ?? 'reading';
  const current = uploading ? 0 : phaseOrder.indexOf(phase) + 1;
  return (
    <Card size="small" title="导入进度">
      <Steps
        size="small"
        current={current}
        responsive={false}
        style={{ overflowX: 'auto', paddingBottom: 4 }}
        items={[
          { title: '上传' },
          ...phaseOrder.slice(0, 3).map((item) => ({ title: phaseLabels[item] })),
          { title: phaseLabels.done },
        ]}
      />
      <div style={{ marginTop: 16 }}>
        {uploading ? (
          <>
            <Typography.Text>正在上传文件…</Typography.Text>
            <Progress percent={uploadPercent ?? 0} size="small" />
          </>
        ) : (
          <Typography.Text>
            {phaseLabels[phase]}：已读取 <strong>{batch.rowsRead.toLocaleString('zh-CN')}</strong> 行
            {batch.status === 'running' && <Typography.Text type="secondary">（每秒刷新）</Typography.Text>}
          </Typography.Text>
        )}
      </div>
    </Card>
  );
}
