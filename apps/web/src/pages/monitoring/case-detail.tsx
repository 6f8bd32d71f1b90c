import { UploadOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Flex,
  Form,
  Grid,
  Input,
  List,
  Modal,
  Progress,
  Result,
  Select,
  Spin,
  Steps,
  Tag,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { describeError } from '../../api/client.ts';
import { minuteFormat } from '../../locales/zh-CN/index.ts';
import { CaseStateTag } from './components/case-list.tsx';
import { CriteriaPanel } from './components/criteria-panel.tsx';
import { NoticePanel } from './components/notice-panel.tsx';
import { initialStepValues, StepFields, stepData } from './components/step-form.tsx';
import {
  attachmentKindLabels,
  type CaseAction,
  type CaseDetail,
  kindLabels,
  useCaseQuery,
  useTransition,
  useUploadAttachment,
} from './service.ts';

const actionLabels: Record<CaseAction | 'open', string> = {
  open: '启动',
  pass: '通过',
  reject: '不通过',
  return: '退回修改',
};
const defaultAttachmentKind: Record<string, string> = {
  consent: 'consent',
  verification: 'verification_form',
  deliberation: 'deliberation_record',
  notice: 'notice_photo',
};

function ChainSteps({ detail, vertical }: { detail: CaseDetail; vertical: boolean }) {
  const index = detail.steps.findIndex((step) => step.state === detail.state);
  const current =
    detail.outcome === 'approved' ? detail.steps.length : index === -1 ? detail.steps.length - 1 : index;
  return (
    <Steps
      size="small"
      direction={vertical ? 'vertical' : 'horizontal'}
      labelPlacement={vertical ? undefined : 'vertical'}
      current={current}
      status={detail.outcome === 'rejected' ? 'error' : detail.outcome === 'approved' ? 'finish' : 'process'}
      items={[
        ...detail.steps.map((step) => ({ title: step.label, description: step.roleLabel })),
        { title: kindLabels[detail.kind] === '识别纳入' ? '纳入监测' : '风险消除', description: '办结' },
      ]}
    />
  );
}

/** One line for a phone: which step of how many, who acts, and a bar of the chain. */
function ChainSummary({ detail }: { detail: CaseDetail }) {
  const index = detail.steps.findIndex((step) => step.state === detail.state);
  const total = detail.steps.length;
  const done = detail.outcome === 'approved' ? total : Math.max(index, 0);
  const current = detail.steps[index];
  return (
    <Flex vertical gap={4}>
      <Typography.Text>
        {current
          ? `第 ${index + 1} / ${total} 步：${current.label}（${current.roleLabel}）`
          : detail.outcome === 'approved'
            ? '已办结：审定通过'
            : '已办结：未通过'}
      </Typography.Text>
      <Progress
        percent={Math.round((done / total) * 100)}
        steps={total}
        size={[Math.floor(300 / total), 8]}
        showInfo={false}
        status={detail.outcome === 'rejected' ? 'exception' : undefined}
      />
    </Flex>
  );
}

function AttachmentsCard({ detail, canUpload }: { detail: CaseDetail; canUpload: boolean }) {
  const upload = useUploadAttachment(detail.id);
  const [kind, setKind] = useState(defaultAttachmentKind[detail.state] ?? 'other');
  return (
    <Card size="small" title={`附件（${detail.attachments.length}）`}>
      <Flex vertical gap={8}>
        <List
          size="small"
          dataSource={detail.attachments}
          locale={{ emptyText: '暂无附件' }}
          renderItem={(attachment) => (
            <List.Item style={{ paddingInline: 0 }}>
              <a
                href={`/api/monitoring/cases/${detail.id}/attachments/${attachment.id}`}
                target="_blank"
                rel="noreferrer"
              >
                {attachmentKindLabels[attachment.kind] ?? attachment.kind} · {attachment.fileName}
              </a>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {Math.ceil(attachment.sizeBytes / 1024)} KB
              </Typography.Text>
            </List.Item>
          )}
        />
        {upload.error && <Typography.Text type="danger">{describeError(upload.error)}</Typography.Text>}
        {canUpload && (
          <Flex gap={8}>
            <Select
              value={kind}
              onChange={setKind}
              style={{ flex: 1 }}
              aria-label="附件类别"
              options={Object.entries(attachmentKindLabels).map(([value, label]) => ({ value, label }))}
            />
            <Upload
              accept="image/jpeg,image/png,application/pdf"
              showUploadList={false}
              beforeUpload={(file) => {
                upload.mutate({ kind, file });
                return false;
              }}
            >
              <Button icon={<UploadOutlined />} loading={upload.isPending}>
                拍照/上传
              </Button>
            </Upload>
          </Flex>
        )}
      </Flex>
    </Card>
  );
}

function ActionCard({ detail }: { detail: CaseDetail }) {
  const [form] = Form.useForm();
  const transition = useTransition(detail.id);
  const [asking, setAsking] = useState<CaseAction | null>(null);
  const [reason, setReason] = useState('');
  const current = detail.steps.find((step) => step.state === detail.state);
  const send = (action: CaseAction, data: Record<string, unknown> = {}, withReason?: string) =>
    transition.mutate(
      { action, version: detail.version, data, reason: withReason },
      {
        onSuccess: () => {
          setAsking(null);
          setReason('');
        },
      },
    );

  return (
    <Card size="small" title={`办理：${current?.label ?? ''}`}>
      <Form
        form={form}
        layout="vertical"
        initialValues={initialStepValues(detail)}
        onFinish={(values) => send('pass', stepData(detail, values))}
      >
        <StepFields detail={detail} />
        {transition.error && !asking && (
          <Alert
            type="error"
            showIcon
            message={describeError(transition.error)}
            style={{ marginBottom: 12 }}
          />
        )}
        <Flex gap={8} wrap>
          <Button
            type="primary"
            htmlType="submit"
            loading={transition.isPending && !asking}
            style={{ flex: 1 }}
          >
            {detail.state === 'county_approval' ? '审定通过' : '通过，提交下一环节'}
          </Button>
          {detail.allowedActions.includes('return') && (
            <Button onClick={() => setAsking('return')}>退回修改</Button>
          )}
          {detail.allowedActions.includes('reject') && (
            <Button danger onClick={() => setAsking('reject')}>
              不通过
            </Button>
          )}
        </Flex>
      </Form>
      <Modal
        open={asking !== null}
        title={asking === 'reject' ? '不通过' : '退回修改'}
        okText="确定"
        cancelText="取消"
        confirmLoading={transition.isPending}
        onCancel={() => setAsking(null)}
        onOk={() => asking && send(asking, {}, reason)}
      >
        <Typography.Paragraph type="secondary">
          {asking === 'reject' ? '案件将办结，理由会保留在记录中。' : '案件将退回到前一环节修改。'}
        </Typography.Paragraph>
        <Input.TextArea
          rows={3}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          placeholder="请填写理由"
          aria-label="理由"
        />
        {transition.error && asking && (
          <Typography.Text type="danger">{describeError(transition.error)}</Typography.Text>
        )}
      </Modal>
    </Card>
  );
}

/** 案件详情: where the case is in the chain, what this user may do now, and everything done so far. */
export function CaseDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const wide = Grid.useBreakpoint().md ?? true;
  const query = useCaseQuery(id);
  if (query.isPending) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  if (query.isError) {
    return (
      <PageContainer title="案件详情" onBack={() => navigate(-1)}>
        <Result status="404" title="案件不存在" subTitle={describeError(query.error)} />
      </PageContainer>
    );
  }
  const detail = query.data;
  const canAct = detail.allowedActions.length > 0;
  const tags = (
    <Flex gap={4}>
      <CaseStateTag item={detail} />
      {detail.overdue && <Tag color="red">已超期</Tag>}
    </Flex>
  );
  const current = detail.steps.find((step) => step.state === detail.state);
  return (
    <PageContainer
      title={`${detail.headName ?? '—'} 户 · ${kindLabels[detail.kind]}`}
      onBack={() => navigate(-1)}
      tags={wide ? tags : undefined}
      content={
        <>
          {!wide && <div style={{ marginBottom: 8 }}>{tags}</div>}
          <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
            <Descriptions.Item label="村">{detail.regionFullName}</Descriptions.Item>
            <Descriptions.Item label="户编号">
              {detail.householdId ? (
                <Link to={`/registry/households/${detail.householdId}`}>{detail.householdNo}</Link>
              ) : (
                <Typography.Text type="warning">
                  台账中暂无该户（{detail.idNumber}），入户核实时登记
                </Typography.Text>
              )}
            </Descriptions.Item>
            {!detail.closedAt && current && (
              <Descriptions.Item label="当前环节">
                {current.label}（{current.roleLabel}办理，
                {dayjs(detail.stepDueAt).subtract(1, 'minute').format('YYYY-MM-DD')} 前）
              </Descriptions.Item>
            )}
            {detail.chainDueAt && !detail.closedAt && (
              <Descriptions.Item label="全流程期限">
                {dayjs(detail.chainDueAt).subtract(1, 'minute').format('YYYY-MM-DD')} 前
              </Descriptions.Item>
            )}
            {detail.outcomeReason && (
              <Descriptions.Item label="不通过理由">{detail.outcomeReason}</Descriptions.Item>
            )}
          </Descriptions>
        </>
      }
    >
      <Flex vertical gap={12}>
        {/* On a phone the action comes first; the whole chain is listed further down. */}
        <Card size="small">
          {wide ? <ChainSteps detail={detail} vertical={false} /> : <ChainSummary detail={detail} />}
        </Card>
        {/* keyed by version: each new step starts from a fresh form */}
        {canAct && <ActionCard key={detail.version} detail={detail} />}
        {detail.criteria && <CriteriaPanel criteria={detail.criteria} />}
        {(detail.state === 'notice' || detail.notice) && (
          <NoticePanel detail={detail} editable={canAct && detail.state === 'notice'} />
        )}
        <AttachmentsCard detail={detail} canUpload={canAct} />
        {!wide && (
          <Card size="small" title="办理流程">
            <ChainSteps detail={detail} vertical />
          </Card>
        )}
        <Card size="small" title="办理记录">
          <Timeline
            items={detail.transitions.map((transition) => ({
              color:
                transition.action === 'reject' ? 'red' : transition.action === 'return' ? 'orange' : 'blue',
              children: (
                <Flex vertical>
                  <Typography.Text>
                    {transition.fromLabel
                      ? `${transition.fromLabel} · ${actionLabels[transition.action]}`
                      : '启动'}{' '}
                    → {transition.toLabel}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {transition.actorUsername} · {dayjs(transition.occurredAt).format(minuteFormat)}
                  </Typography.Text>
                  {transition.reason && (
                    <Typography.Text type="secondary">理由：{transition.reason}</Typography.Text>
                  )}
                </Flex>
              ),
            }))}
          />
        </Card>
      </Flex>
    </PageContainer>
  );
}
