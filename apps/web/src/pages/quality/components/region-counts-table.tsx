import { Progress, Table, type TableProps, Typography } from 'antd';
import { formatRate } from '../labels.ts';
import type { RegionCounts } from '../service.ts';

type Row = RegionCounts & { rank?: number; isTotal?: boolean };

/**
 * Regions with their households, flagged households (quality rate), findings and rectification; the
 * first row is the total. A click on a region row calls `onOpen`.
 */
export function RegionCountsTable({
  total,
  items,
  loading,
  showRank = false,
  onOpen,
}: {
  total: RegionCounts | undefined;
  items: Array<RegionCounts & { rank?: number }>;
  loading: boolean;
  showRank?: boolean;
  onOpen: (region: RegionCounts) => void;
}) {
  const columns: TableProps<Row>['columns'] = [
    ...(showRank
      ? [
          {
            title: '名次',
            dataIndex: 'rank',
            width: 64,
            align: 'center' as const,
            render: (rank: number | undefined, row: Row) => (row.isTotal ? '' : rank),
          },
        ]
      : []),
    {
      title: '区划',
      dataIndex: 'name',
      width: 160,
      render: (name: string, row) =>
        row.isTotal ? (
          <Typography.Text strong>合计</Typography.Text>
        ) : (
          <Typography.Link>{name}</Typography.Link>
        ),
    },
    { title: '户数', dataIndex: 'households', width: 90, align: 'right' },
    { title: '问题户数', dataIndex: 'flaggedHouseholds', width: 90, align: 'right' },
    {
      title: '问题户占比',
      dataIndex: 'qualityRate',
      width: 110,
      align: 'right',
      render: (rate: number) => formatRate(rate),
    },
    { title: '发现问题数', dataIndex: 'found', width: 100, align: 'right' },
    { title: '待整改', dataIndex: 'open', width: 80, align: 'right' },
    { title: '已整改', dataIndex: 'fixed', width: 80, align: 'right' },
    { title: '已豁免', dataIndex: 'exempted', width: 80, align: 'right' },
    {
      title: '整改进度',
      dataIndex: 'rectificationRate',
      width: 170,
      render: (rate: number, row) =>
        row.found === 0 ? (
          <Typography.Text type="secondary">无问题</Typography.Text>
        ) : (
          <Progress percent={Math.round(rate * 1000) / 10} size="small" format={() => formatRate(rate)} />
        ),
    },
  ];
  const rows: Row[] = total ? [{ ...total, isTotal: true }, ...items] : items;
  return (
    <Table<Row>
      className="report-table"
      rowKey={(row) => (row.isTotal ? 'total' : row.code)}
      size="middle"
      columns={columns}
      dataSource={rows}
      loading={loading}
      pagination={false}
      scroll={{ x: 1000 }}
      rowClassName={(row) => (row.isTotal ? 'report-total-row' : '')}
      onRow={(row) => (row.isTotal ? {} : { onClick: () => onOpen(row), style: { cursor: 'pointer' } })}
    />
  );
}
