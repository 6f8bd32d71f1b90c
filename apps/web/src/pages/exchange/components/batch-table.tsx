import { DownloadOutlined } from '@ant-design/icons';
import { Button, Table, type TableProps, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { minuteFormat } from '../../../locales/zh-CN/index.ts';
import { phaseLabels } from '../labels.ts';
import { type ImportBatch, type ImportCounts, importService } from '../service.ts';
import { BatchStatusTag } from './batch-status-tag.tsx';

interface BatchTableProps {
  batches: ImportBatch[];
  total: number;
  page: number;
  pageSize: number;
  loading: boolean;
  onPageChange: (page: number, pageSize: number) => void;
}

const dash = '—';

function countsText(counts: ImportCounts | undefined) {
  if (!counts) return dash;
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      +{counts.inserted} / ~{counts.updated} / −{counts.markedAbsent}
    </span>
  );
}

const columns: TableProps<ImportBatch>['columns'] = [
  {
    title: '开始时间',
    dataIndex: 'startedAt',
    width: 150,
    render: (value: string) => dayjs(value).format(minuteFormat),
  },
  {
    title: '文件',
    dataIndex: 'fileName',
    ellipsis: true,
    render: (value: string, batch) => (
      <>
        {batch.view === 'covering' && (
          <Tooltip title={`由${batch.regionFullName ?? batch.regionCode}导入，覆盖本辖区`}>
            <Tag color="blue">上级导入</Tag>
          </Tooltip>
        )}
        <Link to={`/exchange/batches/${batch.id}`}>{value}</Link>
      </>
    ),
  },
  {
    title: '状态',
    key: 'status',
    width: 130,
    render: (_value, batch) => (
      <>
        <BatchStatusTag batch={batch} />
        {batch.status === 'running' && batch.phase && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {phaseLabels[batch.phase]}
          </Typography.Text>
        )}
      </>
    ),
  },
  {
    title: '操作人',
    dataIndex: 'actorUsername',
    width: 110,
    render: (value: string | null) => value ?? dash,
  },
  {
    title: '行数',
    dataIndex: 'rowsRead',
    width: 90,
    align: 'right',
    render: (value: number) => value.toLocaleString('zh-CN'),
  },
  {
    title: '户 新增/更新/缺失',
    key: 'households',
    width: 150,
    render: (_value, batch) =>
      countsText(batch.summary?.status === 'succeeded' ? batch.summary.households : undefined),
  },
  {
    title: '人 新增/更新/缺失',
    key: 'persons',
    width: 150,
    render: (_value, batch) =>
      countsText(batch.summary?.status === 'succeeded' ? batch.summary.persons : undefined),
  },
  {
    title: '错误',
    key: 'errors',
    width: 150,
    render: (_value, batch) => {
      if (batch.summary && batch.summary.rowsRejected > 0 && batch.view === 'covering') {
        return (
          <Tooltip title="错误明细含其他地区的数据，仅导入单位可以下载">
            <Typography.Text type="danger">{batch.summary.rowsRejected} 行错误</Typography.Text>
          </Tooltip>
        );
      }
      if (batch.summary && batch.summary.rowsRejected > 0) {
        return (
          <Button
            size="small"
            type="link"
            icon={<DownloadOutlined />}
            href={importService.errorsUrl(batch.id)}
            download
            style={{ paddingInline: 0 }}
          >
            {batch.summary.rowsRejected} 行错误
          </Button>
        );
      }
      if (batch.status === 'failed' && batch.error) {
        return (
          <Typography.Text type="danger" ellipsis={{ tooltip: batch.error }} style={{ maxWidth: 140 }}>
            {batch.error}
          </Typography.Text>
        );
      }
      return dash;
    },
  },
];

export function BatchTable({ batches, total, page, pageSize, loading, onPageChange }: BatchTableProps) {
  return (
    <Table<ImportBatch>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={batches}
      loading={loading}
      scroll={{ x: 1040 }}
      pagination={{
        current: page,
        pageSize,
        total,
        showSizeChanger: true,
        showTotal: (count) => `共 ${count} 批`,
        onChange: onPageChange,
      }}
    />
  );
}
