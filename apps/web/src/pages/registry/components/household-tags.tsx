import { Tag } from 'antd';
import { categoryColors, householdTypeColors } from '../labels.ts';
import type { CodeValue } from '../service.ts';

/** 户类型, 监测类别, 风险消除 and 状态 as tags, the same on lists, cards and the detail header. */
export function HouseholdTags({
  householdType,
  monitoringCategory,
  riskEliminated,
  status,
  statusLabel,
}: {
  householdType: CodeValue | null;
  monitoringCategory: CodeValue | null;
  riskEliminated?: boolean | null;
  status?: string;
  statusLabel?: string;
}) {
  return (
    <>
      {householdType && <Tag color={householdTypeColors[householdType.code]}>{householdType.label}</Tag>}
      {monitoringCategory && (
        <Tag color={categoryColors[monitoringCategory.code]}>{monitoringCategory.label}</Tag>
      )}
      {monitoringCategory && riskEliminated !== undefined && riskEliminated !== null && (
        <Tag color={riskEliminated ? 'green' : 'volcano'}>{riskEliminated ? '风险已消除' : '风险未消除'}</Tag>
      )}
      {status && status !== 'active' && <Tag color="default">{statusLabel}</Tag>}
    </>
  );
}

export function CategoryTag({ category }: { category: CodeValue | null }) {
  if (!category) return <span style={{ color: 'rgba(0,0,0,0.45)' }}>—</span>;
  return <Tag color={categoryColors[category.code]}>{category.label}</Tag>;
}
