import { Table, type TableProps, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router';
import { useMeOrThrow } from '../../auth/service.ts';
import { dash, formatMonth, pageableRows, regionBelow, totalText, yesNo } from '../labels.ts';
import type { HouseholdListItem, ListPage } from '../service.ts';
import { CategoryTag } from './household-tags.tsx';

export interface ListPaging {
  page: number;
  pageSize: number;
  onChange: (page: number, pageSize: number) => void;
}

/** The household list on desks: one row per household, a click opens it. */
export function HouseholdTable({
  data,
  loading,
  paging,
  showStatus,
}: {
  data: ListPage<HouseholdListItem> | undefined;
  loading: boolean;
  paging: ListPaging;
  /** Only lists that may hold absent households need the column. */
  showStatus: boolean;
}) {
  const navigate = useNavigate();
  const { user } = useMeOrThrow();
  const columns: TableProps<HouseholdListItem>['columns'] = [
    {
      title: '户编号',
      dataIndex: 'householdNo',
      width: 160,
      render: (value: string, household) => (
        <Link
          to={`/registry/households/${household.id}`}
          className="code-text"
          onClick={(event) => event.stopPropagation()}
        >
          {value}
        </Link>
      ),
    },
    {
      title: '区划',
      dataIndex: 'regionFullName',
      width: 150,
      render: (value: string) => <span title={value}>{regionBelow(value, user)}</span>,
    },
    { title: '户主', dataIndex: 'headName', width: 80, render: (value: string | null) => value ?? dash },
    {
      title: '证件号码',
      dataIndex: 'headIdNumber',
      width: 165,
      render: (value: string | null) => <span className="code-text">{value ?? dash}</span>,
    },
    { title: '人数', dataIndex: 'memberCount', width: 55, align: 'right' },
    {
      title: '户类型',
      dataIndex: 'householdType',
      width: 80,
      render: (value: HouseholdListItem['householdType']) => value?.label ?? dash,
    },
    {
      title: '监测类别',
      dataIndex: 'monitoringCategory',
      width: 120,
      render: (value: HouseholdListItem['monitoringCategory']) => <CategoryTag category={value} />,
    },
    {
      title: '识别时间',
      dataIndex: 'identifiedAt',
      width: 90,
      render: (value: string | null) => formatMonth(value),
    },
    {
      title: '风险消除',
      dataIndex: 'riskEliminated',
      width: 80,
      render: (value: boolean | null, household) => (household.monitoringCategory ? yesNo(value) : dash),
    },
    {
      title: '风险',
      dataIndex: 'risks',
      render: (risks: HouseholdListItem['risks']) =>
        risks.length === 0
          ? dash
          : risks.map((risk) => (
              <Tag key={risk.code} style={{ marginBottom: 2 }}>
                {risk.label}
              </Tag>
            )),
    },
  ];
  if (showStatus) {
    columns.push({
      title: '状态',
      dataIndex: 'statusLabel',
      width: 120,
      render: (value: string, household) =>
        household.status === 'active' ? value : <Typography.Text type="warning">{value}</Typography.Text>,
    });
  }

  return (
    <Table<HouseholdListItem>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={data?.items ?? []}
      loading={loading}
      scroll={{ x: showStatus ? 1250 : 1130 }}
      onRow={(household) => ({
        onClick: () => navigate(`/registry/households/${household.id}`),
        style: { cursor: 'pointer' },
      })}
      pagination={{
        current: paging.page,
        pageSize: paging.pageSize,
        total: Math.min(data?.total ?? 0, pageableRows),
        pageSizeOptions: [20, 50, 100],
        showSizeChanger: true,
        showTotal: () => (data ? totalText(data.total, data.totalExact, '户') : ''),
        onChange: paging.onChange,
      }}
    />
  );
}
