import { Card, Empty, Flex, List, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { type CaseListItem, kindLabels } from '../service.ts';

export function CaseStateTag({
  item,
}: {
  item: Pick<CaseListItem, 'state' | 'stateLabel' | 'overdue' | 'outcome'>;
}) {
  if (item.outcome === 'approved') return <Tag color="green">{item.stateLabel}</Tag>;
  if (item.outcome === 'rejected') return <Tag color="default">{item.stateLabel}</Tag>;
  return <Tag color="blue">{item.stateLabel}</Tag>;
}

/** Cases as cards: readable on a phone, and one tap opens the case. */
export function CaseList({
  items,
  loading,
  emptyText = '暂无案件',
}: {
  items: CaseListItem[];
  loading?: boolean;
  emptyText?: string;
}) {
  return (
    <List
      loading={loading}
      dataSource={items}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} /> }}
      renderItem={(item) => (
        <List.Item style={{ padding: '6px 0', border: 0 }}>
          <Link
            to={`/monitoring/cases/${item.id}`}
            style={{ width: '100%' }}
            aria-label={`案件 ${item.headName ?? item.householdNo}`}
          >
            <Card size="small" hoverable>
              <Flex vertical gap={4}>
                <Flex justify="space-between" align="center" gap={8} wrap>
                  <Typography.Text strong>
                    {item.headName ?? '—'} 户 · {kindLabels[item.kind]}
                  </Typography.Text>
                  <Flex gap={4}>
                    <CaseStateTag item={item} />
                    {item.overdue && <Tag color="red">已超期</Tag>}
                  </Flex>
                </Flex>
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {item.regionFullName}
                </Typography.Text>
                {item.stepDueAt && !item.closedAt && (
                  <Typography.Text type={item.overdue ? 'danger' : 'secondary'} style={{ fontSize: 13 }}>
                    本环节办理期限：{dayjs(item.stepDueAt).subtract(1, 'minute').format('YYYY-MM-DD')} 前
                  </Typography.Text>
                )}
              </Flex>
            </Card>
          </Link>
        </List.Item>
      )}
    />
  );
}
