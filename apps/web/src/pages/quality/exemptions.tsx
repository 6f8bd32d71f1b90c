import { PageContainer } from '@ant-design/pro-components';
import {
  App,
  Button,
  Card,
  Flex,
  Input,
  Modal,
  Segmented,
  Space,
  Table,
  type TableProps,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { describeError } from '../../api/client.ts';
import { exemptionStatusLabels, formatDay, formatMinute } from './labels.ts';
import {
  type Exemption,
  type ExemptionStatus,
  qualityService,
  useExemptionMutation,
  useExemptionsQuery,
} from './service.ts';

const pageSize = 20;

/** 豁免审批: requests to accept a finding as a true exception, approved or rejected with a note. */
export function ExemptionsPage() {
  const { message } = App.useApp();
  const [status, setStatus] = useState<ExemptionStatus>('requested');
  const [page, setPage] = useState(1);
  const exemptions = useExemptionsQuery(status, page);
  const [deciding, setDeciding] = useState<{ exemption: Exemption; decision: 'approve' | 'reject' } | null>(
    null,
  );
  const [note, setNote] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const decide = useExemptionMutation(
    ({ id, decision, text }: { id: string; decision: 'approve' | 'reject'; text: string }) =>
      qualityService.decideExemption(id, decision, text.trim() || undefined),
    true,
  );

  const submit = async () => {
    if (!deciding) return;
    setFailure(null);
    try {
      await decide.mutateAsync({ id: deciding.exemption.id, decision: deciding.decision, text: note });
      message.success(deciding.decision === 'approve' ? '已批准豁免' : '已驳回申请');
      setDeciding(null);
      setNote('');
    } catch (error) {
      setFailure(describeError(error));
    }
  };

  const columns: TableProps<Exemption>['columns'] = [
    {
      title: '规则',
      key: 'rule',
      width: 220,
      render: (_value, exemption) => (
        <span>
          <span className="code-text">{exemption.ruleCode}</span> {exemption.ruleName}
        </span>
      ),
    },
    {
      title: '农户 / 人员',
      key: 'household',
      width: 200,
      render: (_value, exemption) => (
        <span>
          <Link to={`/registry/households/${exemption.householdId}?tab=quality`} className="code-text">
            {exemption.householdNo}
          </Link>
          {exemption.personName ? ` ${exemption.personName}` : ''}
        </span>
      ),
    },
    { title: '理由', dataIndex: 'reason' },
    { title: '豁免至', dataIndex: 'expiresAt', width: 100, render: (value: string) => formatDay(value) },
    {
      title: '申请',
      key: 'requested',
      width: 150,
      render: (_value, exemption) => (
        <Typography.Text type="secondary">
          {exemption.requestedByName} {formatMinute(exemption.requestedAt)}
        </Typography.Text>
      ),
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 170,
      render: (value: ExemptionStatus, exemption) => (
        <div>
          <Tag color={exemptionStatusLabels[value].color}>{exemptionStatusLabels[value].label}</Tag>
          {exemption.decidedByName && (
            <div>
              <Typography.Text type="secondary">
                {exemption.decidedByName} {exemption.decisionNote ?? ''}
              </Typography.Text>
            </div>
          )}
        </div>
      ),
    },
    ...(status === 'requested'
      ? [
          {
            title: '操作',
            key: 'actions',
            width: 130,
            render: (_value: unknown, exemption: Exemption) => (
              <Space size={4}>
                <Button
                  size="small"
                  type="primary"
                  onClick={() => setDeciding({ exemption, decision: 'approve' })}
                >
                  批准
                </Button>
                <Button size="small" danger onClick={() => setDeciding({ exemption, decision: 'reject' })}>
                  驳回
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];

  const items = exemptions.data?.items ?? [];
  return (
    <PageContainer>
      <Flex vertical gap={12}>
        <Card size="small">
          <Segmented<ExemptionStatus>
            value={status}
            onChange={(value) => {
              setStatus(value);
              setPage(1);
            }}
            options={Object.entries(exemptionStatusLabels).map(([value, item]) => ({
              value: value as ExemptionStatus,
              label: item.label,
            }))}
          />
        </Card>
        <Card size="small">
          <Table<Exemption>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={items}
            loading={exemptions.isFetching}
            scroll={{ x: 1100 }}
            pagination={{
              current: page,
              pageSize,
              total: (page - 1) * pageSize + items.length + (items.length === pageSize ? 1 : 0),
              onChange: setPage,
              showSizeChanger: false,
            }}
          />
        </Card>
      </Flex>
      <Modal
        title={deciding?.decision === 'approve' ? '批准豁免' : '驳回豁免申请'}
        open={deciding !== null}
        onCancel={() => {
          setDeciding(null);
          setFailure(null);
        }}
        onOk={submit}
        okText={deciding?.decision === 'approve' ? '批准' : '驳回'}
        okButtonProps={{ danger: deciding?.decision === 'reject', loading: decide.isPending }}
        destroyOnHidden
      >
        {deciding && (
          <Flex vertical gap={8}>
            <Typography.Text>
              {deciding.exemption.ruleCode} {deciding.exemption.ruleName} · {deciding.exemption.householdNo}
              {deciding.exemption.personName ? ` ${deciding.exemption.personName}` : ''}
            </Typography.Text>
            <Typography.Text type="secondary">理由：{deciding.exemption.reason}</Typography.Text>
            <Typography.Text type="secondary">
              豁免至 {formatDay(deciding.exemption.expiresAt)}
            </Typography.Text>
            <Input.TextArea
              aria-label="审批意见"
              placeholder="审批意见（选填）"
              maxLength={500}
              value={note}
              onChange={(event) => setNote(event.target.value)}
              autoSize={{ minRows: 2, maxRows: 4 }}
            />
            {failure && <Typography.Text type="danger">{failure}</Typography.Text>}
          </Flex>
        )}
      </Modal>
    </PageContainer>
  );
}
