import type { ExemptionStatus, FindingStatus, Run } from './service.ts';

/** Display labels of the quality pages. */

/** Categories of the starter set; categories written by administrators are shown as written. */
export const categoryLabels: Record<string, string> = {
  id: '证件号码',
  missing: '缺项漏项',
  basic_needs: '两不愁三保障',
  logic: '逻辑关系',
  risk_measure: '风险与帮扶措施',
  elimination: '风险消除',
};

export const categoryLabel = (category: string) => categoryLabels[category] ?? category;

export const scopeLabels: Record<string, string> = { person: '人员', household: '农户' };

export const severityLabels: Record<string, { label: string; color: string }> = {
  error: { label: '错误', color: 'red' },
  warning: { label: '提示', color: 'gold' },
};

export const findingStatusLabels: Record<FindingStatus, { label: string; color: string }> = {
  open: { label: '待整改', color: 'red' },
  fixed: { label: '已整改', color: 'green' },
  exempted: { label: '已豁免', color: 'default' },
};

export const exemptionStatusLabels: Record<ExemptionStatus, { label: string; color: string }> = {
  requested: { label: '待审批', color: 'processing' },
  approved: { label: '已批准', color: 'success' },
  rejected: { label: '已驳回', color: 'error' },
  expired: { label: '已到期', color: 'default' },
};

export const runTriggerLabels: Record<Run['trigger'], string> = {
  cli: '命令行',
  ui: '页面发起',
  schedule: '定时',
  import: '导入后',
  recheck: '编辑后复查',
};

export const runStatusLabels: Record<Run['status'], { label: string; color: string }> = {
  running: { label: '进行中', color: 'processing' },
  succeeded: { label: '已完成', color: 'success' },
  failed: { label: '失败', color: 'error' },
};

export const runPhaseLabels: Record<string, string> = {
  starting: '准备中',
  checking: '逐区检查',
  merging: '合并结果',
  done: '完成',
};

export const versionChangeLabels: Record<string, string> = {
  create: '新建',
  update: '修改',
  enable: '启用',
  disable: '停用',
};

/** 0.1234 → 12.3% */
export function formatRate(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/** Beijing time to the minute. */
export function formatMinute(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Beijing date. */
export function formatDay(iso: string | null | undefined): string {
  if (!iso) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
