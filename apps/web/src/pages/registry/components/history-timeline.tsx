import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Empty, Pagination, Skeleton, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { minuteFormat } from '../../../locales/zh-CN/index.ts';
import { type HistoryEntry, registryKeys, registryService } from '../service.ts';

const pageSize = 50;

const sourceColors: Record<string, string> = {
  cadre: 'blue',
  national_sync: 'green',
  rule_fix: 'purple',
  monitoring: 'orange',
};

/** Changes made together (same time, source and author) read as one event with several lines. */
function groupEntries(entries: HistoryEntry[]): HistoryEntry[][] {
  const groups: HistoryEntry[][] = [];
  for (const entry of entries) {
    const last = groups.at(-1)?.[0];
    const sameEvent =
      last &&
      last.changedAt === entry.changedAt &&
      last.source === entry.source &&
      last.actorName === entry.actorName &&
      last.batchId === entry.batchId;
    if (sameEvent) groups.at(-1)?.push(entry);
    else groups.push([entry]);
  }
  return groups;
}

function Value({ value }: { value: string | null }) {
  if (value === null) return <Typography.Text type="secondary">（空）</Typography.Text>;
  // Short values (a phone, a code label) stay on one line; long notes wrap.
  return <span style={{ whiteSpace: value.length <= 24 ? 'nowrap' : 'normal' }}>{value}</span>;
}

/** 变更记录: every field change of the household and its members, newest first. */
export function HistoryTimeline({ householdId }: { householdId: string }) {
  const [page, setPage] = useState(1);
  const history = useQuery({
    queryKey: [...registryKeys.history(householdId), page],
    queryFn: () => registryService.history(householdId, page, pageSize),
    placeholderData: keepPreviousData,
  });
  if (history.isPending) return <Skeleton active />;
  const items = history.data?.items ?? [];
  if (items.length === 0) return <Empty description="暂无变更记录" />;

  return (
    <>
      <Timeline
        style={{ marginTop: 8 }}
        items={groupEntries(items).map((group) => {
          const first = group[0] as HistoryEntry;
          const source = first.source.startsWith('department:') ? 'department' : first.source;
          return {
            key: first.id,
            color: sourceColors[source] ?? 'gray',
            children: (
              <div data-testid="history-event">
                <div style={{ marginBottom: 4 }}>
                  <Typography.Text strong>{dayjs(first.changedAt).format(minuteFormat)}</Typography.Text>
                  <Tag color={sourceColors[source]} style={{ marginLeft: 8 }}>
                    {first.sourceLabel}
                  </Tag>
                  <Typography.Text type="secondary">
                    {first.actorName ?? ''}
                    {first.batchId
                      ? `批次 #${first.batchId}${first.batchFileName ? `（${first.batchFileName}）` : ''}`
                      : ''}
                  </Typography.Text>
                </div>
                {group.map((entry) => (
                  <div key={entry.id} style={{ overflowWrap: 'anywhere' }}>
                    <Typography.Text type="secondary">
                      {entry.entityLabel}
                      {entry.personName ? `·${entry.personName}` : ''} ·{' '}
                    </Typography.Text>
                    {entry.fieldLabel}：<Value value={entry.oldValue} /> → <Value value={entry.newValue} />
                  </div>
                ))}
              </div>
            ),
          };
        })}
      />
      {(history.data?.total ?? 0) > pageSize && (
        <Pagination
          size="small"
          align="center"
          current={page}
          pageSize={pageSize}
          total={history.data?.total ?? 0}
          onChange={setPage}
          showTotal={(total) => `共 ${total} 项变更`}
        />
      )}
    </>
  );
}
