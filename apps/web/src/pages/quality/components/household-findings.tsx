import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Skeleton,
  Table,
  type TableProps,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ApiError, describeError } from '../../../api/client.ts';
import { beijingToday } from '../../registry/validation.ts';
import { formatDay, scopeLabels, severityLabels } from '../labels.ts';
import {
  type Finding,
  qualityService,
  useExemptionMutation,
  useHouseholdFindingsQuery,
  usePendingExemptions,
} from '../service.ts';
import { FindingStatusTag } from './finding-status-tag.tsx';

interface ExemptionFormValues {
  reason: string;
  expiresAt: Dayjs;
}

/** 申请豁免: why the finding is a true exception, and until when (at most 3 years). */
function ExemptionRequestModal({ finding, onClose }: { finding: Finding | null; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ExemptionFormValues>();
  const [failure, setFailure] = useState<string | null>(null);
  const request = useExemptionMutation(
    (values: { findingId: string; reason: string; expiresAt: string }) =>
      qualityService.requestExemption(values.findingId, {
        reason: values.reason,
        expiresAt: values.expiresAt,
      }),
    true,
  );
  const today = beijingToday();
  const close = () => {
    setFailure(null);
    form.resetFields();
    onClose();
  };
  const onFinish = async (values: ExemptionFormValues) => {
    if (!finding) return;
    setFailure(null);
    try {
      await request.mutateAsync({
        findingId: finding.id,
        reason: values.reason.trim(),
        expiresAt: values.expiresAt.format('YYYY-MM-DD'),
      });
      message.success('豁免申请已提交，等待审批');
      close();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'quality.invalid_expiry') {
        form.setFields([{ name: 'expiresAt', errors: [error.message] }]);
      } else setFailure(describeError(error));
    }
  };
  return (
    <Modal
      title="申请豁免"
      open={finding !== null}
      onCancel={close}
      onOk={() => form.submit()}
      okText="提交申请"
      okButtonProps={{ loading: request.isPending }}
      destroyOnHidden
    >
      {finding && (
        <Typography.Paragraph type="secondary">
          {finding.ruleCode} {finding.ruleName}
          {finding.personName ? ` · ${finding.personName}` : ''}
        </Typography.Paragraph>
      )}
      {failure && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={failure} />}
      <Form<ExemptionFormValues> form={form} name="exemption-request" layout="vertical" onFinish={onFinish}>
        <Form.Item
          label="豁免理由"
          name="reason"
          rules={[
            { required: true, whitespace: true, message: '请说明为什么这是真实情况而不是数据错误' },
            { max: 500, message: '理由不能超过 500 个字' },
          ]}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 6 }} placeholder="如：经入户核实，该成员确系……" />
        </Form.Item>
        <Form.Item
          label="豁免至"
          name="expiresAt"
          rules={[{ required: true, message: '请选择豁免截止日期' }]}
          extra="到期后的下一次检查将重新核查该问题，最长 3 年"
        >
          <DatePicker
            style={{ width: '100%' }}
            disabledDate={(day) =>
              day.format('YYYY-MM-DD') <= today || day.isAfter(dayjs(today).add(3, 'year'), 'day')
            }
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * 数据质量问题 of one household: open findings first, then exempted, then fixed; cadres holding the
 * record may ask to exempt an open one.
 */
export function HouseholdFindings({
  householdId,
  wide,
  canRequestExemption,
}: {
  householdId: string;
  wide: boolean;
  canRequestExemption: boolean;
}) {
  const findings = useHouseholdFindingsQuery(householdId);
  const [requesting, setRequesting] = useState<Finding | null>(null);
  const openIds = canRequestExemption
    ? (findings.data?.items ?? []).filter((finding) => finding.status === 'open').map((finding) => finding.id)
    : [];
  const pending = usePendingExemptions(openIds);
  if (findings.isPending) return <Skeleton active />;
  if (findings.isError) return <Alert type="warning" showIcon message="暂时无法加载该户的数据质量问题" />;
  const items = findings.data?.items ?? [];
  if (items.length === 0) return <Empty description="该户暂无数据质量问题" />;

  const action = (finding: Finding) => {
    if (!canRequestExemption || finding.status !== 'open') return null;
    const request = pending.get(finding.id);
    if (request) {
      return (
        <Tag color="processing" title={`豁免至 ${formatDay(request.expiresAt)}：${request.reason}`}>
          豁免审批中
        </Tag>
      );
    }
    return (
      <Button size="small" onClick={() => setRequesting(finding)}>
        申请豁免
      </Button>
    );
  };

  const columns: TableProps<Finding>['columns'] = [
    {
      title: '规则',
      dataIndex: 'ruleCode',
      width: 90,
      render: (code: string) => <span className="code-text">{code}</span>,
    },
    { title: '问题', dataIndex: 'ruleName' },
    {
      title: '对象',
      key: 'subject',
      width: 90,
      render: (_value, finding) => finding.personName ?? scopeLabels[finding.ruleScope] ?? '—',
    },
    {
      title: '程度',
      dataIndex: 'severity',
      width: 70,
      render: (value: string) => (
        <Tag color={severityLabels[value]?.color}>{severityLabels[value]?.label ?? value}</Tag>
      ),
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 140,
      render: (_value, finding) => <FindingStatusTag finding={finding} />,
    },
    { title: '首次发现', dataIndex: 'firstSeenAt', width: 100, render: (value: string) => formatDay(value) },
    {
      title: '整改时间',
      dataIndex: 'fixedAt',
      width: 100,
      render: (value: string | null) => formatDay(value),
    },
    ...(canRequestExemption
      ? [
          {
            title: '操作',
            key: 'action',
            width: 100,
            render: (_value: unknown, finding: Finding) => action(finding),
          },
        ]
      : []),
  ];

  const open = items.filter((finding) => finding.status === 'open').length;
  return (
    <Flex vertical gap={8}>
      <Typography.Text type="secondary">
        {open > 0 ? `${open} 个问题待整改；修改户或成员信息保存后立即复查。` : '问题均已整改或豁免。'}
      </Typography.Text>
      {wide ? (
        <Table<Finding>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={items}
          pagination={false}
          scroll={{ x: 800 }}
        />
      ) : (
        items.map((finding) => (
          <Card key={finding.id} size="small" data-testid="finding-card">
            <Flex justify="space-between" align="start" gap={8}>
              <div style={{ minWidth: 0 }}>
                <div>
                  <FindingStatusTag finding={finding} />
                  <Tag color={severityLabels[finding.severity]?.color}>
                    {severityLabels[finding.severity]?.label}
                  </Tag>
                </div>
                <div style={{ marginTop: 4 }}>
                  <span className="code-text">{finding.ruleCode}</span> {finding.ruleName}
                </div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {finding.personName ? `${finding.personName} · ` : ''}首次发现{' '}
                  {formatDay(finding.firstSeenAt)}
                  {finding.fixedAt ? ` · 整改 ${formatDay(finding.fixedAt)}` : ''}
                </Typography.Text>
              </div>
              {action(finding)}
            </Flex>
          </Card>
        ))
      )}
      <ExemptionRequestModal finding={requesting} onClose={() => setRequesting(null)} />
    </Flex>
  );
}
