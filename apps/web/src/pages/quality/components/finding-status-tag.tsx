import { Tag } from 'antd';
import { findingStatusLabels, formatDay } from '../labels.ts';
import type { Finding } from '../service.ts';

export function FindingStatusTag({ finding }: { finding: Pick<Finding, 'status' | 'exemptUntil'> }) {
  const status = findingStatusLabels[finding.status];
  return (
    <Tag color={status.color}>
      {status.label}
      {finding.status === 'exempted' && finding.exemptUntil ? ` 至 ${formatDay(finding.exemptUntil)}` : ''}
    </Tag>
  );
}
