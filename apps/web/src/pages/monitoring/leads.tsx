import { PageContainer } from '@ant-design/pro-components';
import { Button, Card, Empty, Flex, List, Segmented, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { buildAccess } from '../../access.ts';
import { minuteFormat } from '../../locales/zh-CN/index.ts';
import { useMeOrThrow } from '../auth/service.ts';
import { QrSheetButton } from './components/qr-sheet-button.tsx';
import { riskTypeLabel } from './labels.ts';
import {
  channelLabels,
  type Lead,
  leadStatusLabels,
  useLeadsQuery,
  useOpenIdentification,
} from './service.ts';

function LeadCard({ lead, canOpen }: { lead: Lead; canOpen: boolean }) {
  const navigate = useNavigate();
  const open = useOpenIdentification();
  return (
    <Card size="small" style={{ width: '100%' }}>
      <Flex vertical gap={6}>
        <Flex justify="space-between" align="center" gap={8} wrap>
          <Typography.Text strong>
            {lead.name ?? '未填姓名'} <Typography.Text type="secondary">{lead.idNumber}</Typography.Text>
          </Typography.Text>
          <Tag color={lead.status === 'open' ? 'orange' : 'default'}>{leadStatusLabels[lead.status]}</Tag>
        </Flex>
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {lead.regionFullName} · {channelLabels[lead.channel]}
          {lead.reportCount > 1 ? ` · 已合并 ${lead.reportCount} 次上报` : ''} ·{' '}
          {dayjs(lead.updatedAt).format(minuteFormat)}
        </Typography.Text>
        <Space size={[4, 4]} wrap>
          {lead.difficultyTypes.map((code) => (
            <Tag key={code}>{riskTypeLabel(code)}</Tag>
          ))}
        </Space>
        {lead.description && (
          <Typography.Paragraph style={{ margin: 0 }}>{lead.description}</Typography.Paragraph>
        )}
        {!lead.householdId && lead.status === 'open' && (
          <Typography.Text type="warning" style={{ fontSize: 13 }}>
            台账中未找到该证件号码对应的农户
          </Typography.Text>
        )}
        <Flex gap={8} wrap>
          {lead.caseId && <Link to={`/monitoring/cases/${lead.caseId}`}>查看案件</Link>}
          {canOpen && lead.status === 'open' && lead.householdId && (
            <Button
              type="primary"
              size="small"
              loading={open.isPending}
              onClick={() =>
                open.mutate(lead.id, { onSuccess: (created) => navigate(`/monitoring/cases/${created.id}`) })
              }
            >
              启动识别
            </Button>
          )}
        </Flex>
      </Flex>
    </Card>
  );
}

/** 线索: what the three channels brought in, newest first; the village starts identification from here. */
export function LeadsPage() {
  const { user } = useMeOrThrow();
  const access = buildAccess(user);
  const [status, setStatus] = useState<string>('open');
  const leads = useLeadsQuery(status === 'all' ? undefined : status);
  const canOpen = access.canActOnCases && user.regionLevel === 'village';
  return (
    <PageContainer
      title="线索"
      extra={
        <Flex gap={8} wrap>
          <QrSheetButton user={user} />
          {access.canReportLeads && (
            <Link to="/monitoring/visit">
              <Button type="primary">走访登记</Button>
            </Link>
          )}
        </Flex>
      }
    >
      <Flex vertical gap={12}>
        <Segmented
          value={status}
          onChange={(value) => setStatus(String(value))}
          options={[
            { label: '待处理', value: 'open' },
            { label: '已启动识别', value: 'case_opened' },
            { label: '全部', value: 'all' },
          ]}
        />
        <List
          loading={leads.isFetching}
          dataSource={leads.data?.items ?? []}
          locale={{ emptyText: <Empty description="暂无线索" /> }}
          renderItem={(lead) => (
            <List.Item style={{ padding: '6px 0', border: 0 }}>
              <LeadCard lead={lead} canOpen={canOpen} />
            </List.Item>
          )}
        />
      </Flex>
    </PageContainer>
  );
}
