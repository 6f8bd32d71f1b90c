import { PageContainer } from '@ant-design/pro-components';
import {
  Alert,
  Button,
  Card,
  Empty,
  Flex,
  Form,
  Input,
  List,
  Modal,
  Segmented,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { buildAccess } from '../../access.ts';
import { describeError } from '../../api/client.ts';
import { minuteFormat } from '../../locales/zh-CN/index.ts';
import { useMeOrThrow } from '../auth/service.ts';
import { QrSheetButton } from './components/qr-sheet-button.tsx';
import { riskTypeLabel } from './labels.ts';
import {
  channelLabels,
  type DismissalKind,
  dismissalKindLabels,
  type Lead,
  leadStatusLabels,
  useDismissLead,
  useLeadsQuery,
  useOpenIdentification,
} from './service.ts';

/** 关闭线索: not a real case (a duplicate, no difficulty, another village), with a required reason. */
function DismissButton({ lead }: { lead: Lead }) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ kind: DismissalKind; reason: string }>();
  const dismiss = useDismissLead();
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        关闭线索
      </Button>
      <Modal
        open={open}
        title={`关闭线索：${lead.name ?? ''}`}
        okText="关闭线索"
        cancelText="取消"
        okButtonProps={{ danger: true }}
        confirmLoading={dismiss.isPending}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{ kind: 'duplicate' }}
          onFinish={(values) =>
            dismiss.mutate({ leadId: lead.id, ...values }, { onSuccess: () => setOpen(false) })
          }
        >
          <Form.Item label="关闭原因" name="kind" required>
            <Select
              aria-label="关闭原因"
              options={Object.entries(dismissalKindLabels).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          <Form.Item
            label="说明"
            name="reason"
            rules={[{ required: true, whitespace: true, message: '请填写关闭理由' }]}
          >
            <Input.TextArea rows={3} aria-label="关闭理由" placeholder="如：与 11 月 20 日的走访线索重复" />
          </Form.Item>
          {dismiss.error && <Alert type="error" showIcon message={describeError(dismiss.error)} />}
        </Form>
      </Modal>
    </>
  );
}

function LeadCard({ lead, canOpen, canDismiss }: { lead: Lead; canOpen: boolean; canDismiss: boolean }) {
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
            台账中未找到该证件号码对应的农户，启动识别后在入户核实时登记该户
          </Typography.Text>
        )}
        {lead.status === 'dismissed' && (
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            已关闭（{lead.dismissalKind ? dismissalKindLabels[lead.dismissalKind] : ''}）：
            {lead.dismissalReason} · {lead.dismissedByUsername} ·{' '}
            {lead.dismissedAt ? dayjs(lead.dismissedAt).format(minuteFormat) : ''}
          </Typography.Text>
        )}
        <Flex gap={8} wrap>
          {lead.caseId && <Link to={`/monitoring/cases/${lead.caseId}`}>查看案件</Link>}
          {canOpen && lead.status === 'open' && (
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
          {canDismiss && lead.status === 'open' && <DismissButton lead={lead} />}
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
  const canDismiss =
    access.canActOnCases && (user.regionLevel === 'village' || user.regionLevel === 'township');
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
            { label: '已关闭', value: 'dismissed' },
            { label: '全部', value: 'all' },
          ]}
        />
        <List
          loading={leads.isFetching}
          dataSource={leads.data?.items ?? []}
          locale={{ emptyText: <Empty description="暂无线索" /> }}
          renderItem={(lead) => (
            <List.Item style={{ padding: '6px 0', border: 0 }}>
              <LeadCard lead={lead} canOpen={canOpen} canDismiss={canDismiss} />
            </List.Item>
          )}
        />
      </Flex>
    </PageContainer>
  );
}
