import { Card, List, Table, type TableProps, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router';
import { useMeOrThrow } from '../../auth/service.ts';
import { dash, pageableRows, regionBelow, totalText } from '../labels.ts';
import type { ListPage, PersonListItem } from '../service.ts';
import type { ListPaging } from './household-table.tsx';

const label = (value: { label: string } | null) => value?.label ?? dash;

/** The member list: a table on desks, cards on phones; a click opens the member's household. */
export function PersonTable({
  data,
  loading,
  paging,
  wide,
  showStatus,
}: {
  data: ListPage<PersonListItem> | undefined;
  loading: boolean;
  paging: ListPaging;
  wide: boolean;
  /** Only lists that may hold persons who are not active need the column. */
  showStatus: boolean;
}) {
  const navigate = useNavigate();
  const { user } = useMeOrThrow();
  const open = (person: PersonListItem) => navigate(`/registry/households/${person.householdId}`);
  const pagination = {
    current: paging.page,
    pageSize: paging.pageSize,
    total: Math.min(data?.total ?? 0, pageableRows),
    onChange: paging.onChange,
  };

  if (!wide) {
    return (
      <List<PersonListItem>
        loading={loading}
        dataSource={data?.items ?? []}
        header={
          data ? (
            <Typography.Text type="secondary">{totalText(data.total, data.totalExact, '人')}</Typography.Text>
          ) : null
        }
        pagination={{ ...pagination, size: 'small', simple: true, align: 'center' }}
        renderItem={(person) => (
          <Card size="small" hoverable style={{ marginBottom: 8 }} onClick={() => open(person)}>
            <Typography.Text strong style={{ fontSize: 16 }}>
              {person.name ?? dash}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
              {label(person.relation)} · {label(person.gender)} · {person.age ?? dash} 岁
            </Typography.Text>
            {person.status !== 'active' && <Tag style={{ marginLeft: 8 }}>{person.statusLabel}</Tag>}
            <div className="code-text" style={{ color: 'rgba(0,0,0,0.55)', marginTop: 2 }}>
              {person.idNumber ?? dash} · {person.phone ?? dash}
            </div>
            <div style={{ color: 'rgba(0,0,0,0.55)', marginTop: 2 }}>
              {regionBelow(person.regionFullName, user)} · {label(person.health)} · {label(person.laborSkill)}
            </div>
          </Card>
        )}
      />
    );
  }

  const columns: TableProps<PersonListItem>['columns'] = [
    {
      title: '姓名',
      dataIndex: 'name',
      width: 110,
      render: (value: string | null, person) => (
        <>
          {value ?? dash}
          <Typography.Text type="secondary" style={{ marginLeft: 4, fontSize: 12 }}>
            {person.relation?.label ?? ''}
          </Typography.Text>
        </>
      ),
    },
    {
      title: '户编号',
      dataIndex: 'householdNo',
      width: 160,
      render: (value: string, person) => (
        <Link
          to={`/registry/households/${person.householdId}`}
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
      width: 130,
      render: (value: string) => <span title={value}>{regionBelow(value, user)}</span>,
    },
    { title: '性别', dataIndex: 'gender', width: 55, render: label },
    {
      title: '年龄',
      dataIndex: 'age',
      width: 55,
      align: 'right',
      render: (value: number | null) => value ?? dash,
    },
    {
      title: '证件号码',
      dataIndex: 'idNumber',
      width: 165,
      render: (value: string | null) => <span className="code-text">{value ?? dash}</span>,
    },
    {
      title: '联系电话',
      dataIndex: 'phone',
      width: 115,
      render: (value: string | null) => <span className="code-text">{value ?? dash}</span>,
    },
    { title: '健康状况', dataIndex: 'health', width: 95, render: label },
    { title: '劳动技能', dataIndex: 'laborSkill', width: 135, render: label },
    {
      title: '文化/在校',
      key: 'education',
      render: (_value, person) =>
        person.schooling ? `在校：${person.schooling.label}` : label(person.education),
    },
  ];
  if (showStatus) columns.push({ title: '状态', dataIndex: 'statusLabel', width: 110 });
  return (
    <Table<PersonListItem>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={data?.items ?? []}
      loading={loading}
      scroll={{ x: showStatus ? 1250 : 1140 }}
      onRow={(person) => ({ onClick: () => open(person), style: { cursor: 'pointer' } })}
      pagination={{
        ...pagination,
        pageSizeOptions: [20, 50, 100],
        showSizeChanger: true,
        showTotal: () => (data ? totalText(data.total, data.totalExact, '人') : ''),
      }}
    />
  );
}
