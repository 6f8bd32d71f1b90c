import type { BatchStatus, ImportPhase } from './service.ts';

export const phaseLabels: Record<ImportPhase, string> = {
  reading: '读取文件',
  validating: '校验数据',
  applying: '写入台账',
  done: '完成',
};

export const phaseOrder: ImportPhase[] = ['reading', 'validating', 'applying', 'done'];

export const batchStatusLabels: Record<BatchStatus, { label: string; color: string }> = {
  running: { label: '进行中', color: 'processing' },
  succeeded: { label: '成功', color: 'success' },
  failed: { label: '失败', color: 'error' },
};

export const batchKindLabels: Record<string, string> = {
  national_sync: '国家系统监测对象',
};

export const countLabels = {
  inserted: '新增',
  updated: '更新',
  unchanged: '未变化',
  markedAbsent: '标记缺失',
} as const;

/** 1536000 → 1.5 MB */
export function formatFileSize(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
