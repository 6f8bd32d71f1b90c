import { Table, type TableProps, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import {
  auditActionLabels,
  auditOutcomeLabels,
  auditTargetTypeLabels,
  dateTimeFormat,
} from '../../../locales/zh-CN/index.ts';
import type { AuditEntry } from '../service.ts';

interface AuditTableProps {
  entries: AuditEntry[];
  total: number;
  page: number;
  pageSize: number;
  loading: boolean;
  onPageChange: (page: number, pageSize: number) => void;
}

const dash = '—';

const columns: TableProps<AuditEntry>['columns'] = [
  {
    title: '时间',
    dataIndex: 'occurredAt',
    width: 170,
    render: (value: string) => dayjs(value).format(dateTimeFormat),
  },
  { title: '用户', dataIndex: 'actorUsername', width: 120, render: (value: string | null) => value ?? dash },
  {
    title: '区划',
    dataIndex: 'regionName',
    width: 130,
    render: (value: string | null, entry: AuditEntry) =>
      value ? <span title={entry.regionCode ?? undefined}>{value}</span> : (entry.regionCode ?? dash),
  },
  {
    title: 'IP',
    dataIndex: 'ip',
    width: 130,
    render: (value: string | null) => <span className="code-text">{value ?? dash}</span>,
  },
  {
    title: '操作',
    dataIndex: 'action',
    width: 180,
    render: (value: string) => (
      <>
        <div>{auditActionLabels[value] ?? value}</div>
        {auditActionLabels[value] && (
          <Typography.Text type="secondary" className="code-text">
            {value}
          </Typography.Text>
        )}
      </>
    ),
  },
  {
    title: '对象',
    key: 'target',
    width: 200,
    render: (_value, entry) =>
      entry.targetType ? (
        <span>
          {auditTargetTypeLabels[entry.targetType] ?? entry.targetType}
          {entry.targetId && <span className="code-text"> #{entry.targetId}</span>}
        </span>
      ) : (
        dash
      ),
  },
  {
    title: '结果',
    dataIndex: 'outcome',
    width: 80,
    render: (value: string) => {
      const outcome = auditOutcomeLabels[value];
      return <Tag color={outcome?.color}>{outcome?.label ?? value}</Tag>;
    },
  },
];

function hasDetail(entry: AuditEntry): boolean {
  return entry.detail !== null && Object.keys(entry.detail).length > 0;
}

export function AuditTable({ entries, total, page, pageSize, loading, onPageChange }: AuditTableProps) {
  return (
    <Table<AuditEntry>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={entries}
      loading={loading}
      scroll={{ x: 1100 }}
      expandable={{
        rowExpandable: hasDetail,
        expandedRowRender: (entry) => (
          <pre className="json-detail">{JSON.stringify(entry.detail, null, 2)}</pre>
        ),
        columnTitle: '详情',
        columnWidth: 56,
      }}
      pagination={{
        current: page,
        pageSize,
        total,
        showSizeChanger: true,
        showTotal: (count) => `共 ${count} 条`,
        onChange: onPageChange,
      }}
    />
  );
}
