import { Badge, Card, Empty, Flex, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { CaseList } from '../../monitoring/components/case-list.tsx';
import { useProgressQuery, useTodosQuery } from '../../monitoring/service.ts';

/** 待办事项: the cases waiting at the steps this user acts on, overdue ones first in mind, and new leads. */
export function TodoPanel({ showLeads }: { showLeads: boolean }) {
  const todos = useTodosQuery();
  const waiting = todos.data?.counts.filter((count) => count.total > 0) ?? [];
  const overdue = waiting.reduce((sum, count) => sum + count.overdue, 0);
  return (
    <Card
      title="待办事项"
      extra={overdue > 0 && <Typography.Text type="danger">{overdue} 件已超期</Typography.Text>}
    >
      <Flex vertical gap={12}>
        {showLeads && (todos.data?.openLeads ?? 0) > 0 && (
          <Link to="/monitoring/leads">
            <Badge color="orange" text={`${todos.data?.openLeads} 条线索待处理`} />
          </Link>
        )}
        {waiting.length > 0 && (
          <Flex gap={8} wrap>
            {waiting.map((count) => (
              <Card key={`${count.kind}:${count.state}`} size="small" style={{ minWidth: 150 }}>
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {count.label}
                </Typography.Text>
                <div>
                  <Typography.Text strong style={{ fontSize: 20 }}>
                    {count.total}
                  </Typography.Text>
                  {count.overdue > 0 && (
                    <Typography.Text type="danger" style={{ marginLeft: 8 }}>
                      超期 {count.overdue}
                    </Typography.Text>
                  )}
                </div>
              </Card>
            ))}
          </Flex>
        )}
        {todos.data && todos.data.items.length === 0 && (todos.data.openLeads === 0 || !showLeads) ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无待办事项" />
        ) : (
          <CaseList items={todos.data?.items ?? []} loading={todos.isFetching} emptyText="暂无待办案件" />
        )}
      </Flex>
    </Card>
  );
}

const stateColumns = [
  ['consent', '承诺授权'],
  ['verification', '入户核实'],
  ['cross_check', '信息比对'],
  ['deliberation', '村级评议'],
  ['notice', '公示'],
  ['township_review', '乡镇审核'],
  ['county_approval', '县级审定'],
] as const;

/** 办理进度: for township and county users, each village (or township) with its open cases by step. */
export function ProgressPanel() {
  const progress = useProgressQuery(true);
  return (
    <Card title={`办理进度${progress.data ? ` · ${progress.data.regionName}` : ''}`}>
      <Table
        size="small"
        rowKey="regionCode"
        loading={progress.isFetching}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={progress.data?.items ?? []}
        locale={{ emptyText: '暂无案件' }}
        columns={[
          { title: '区划', dataIndex: 'regionName', fixed: 'left' },
          { title: '在办', dataIndex: 'open' },
          {
            title: '超期',
            dataIndex: 'overdue',
            render: (value: number) =>
              value > 0 ? <Typography.Text type="danger">{value}</Typography.Text> : value,
          },
          { title: '已审定', dataIndex: 'approved' },
          ...stateColumns.map(([state, label]) => ({
            title: label,
            key: state,
            render: (_: unknown, row: { byState: Record<string, number> }) => row.byState[state] ?? 0,
          })),
        ]}
      />
    </Card>
  );
}
