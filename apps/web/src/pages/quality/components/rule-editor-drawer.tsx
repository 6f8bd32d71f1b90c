import {
  Alert,
  App,
  AutoComplete,
  Button,
  Col,
  Drawer,
  Flex,
  Form,
  Grid,
  Input,
  List,
  Radio,
  Row,
  Space,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError, describeError } from '../../../api/client.ts';
import { categoryLabel, categoryLabels } from '../labels.ts';
import {
  qualityService,
  type Rule,
  type RulePreview,
  type RuleScope,
  type Severity,
  useRuleMutation,
} from '../service.ts';
import { RuleTextEditor } from './rule-text-editor.tsx';

interface RuleFormValues {
  code: string;
  name: string;
  category: string;
  scope: RuleScope;
  severity: Severity;
  whenText: string;
  note?: string;
}

const codePattern = /^[A-Z0-9]+(-[A-Z0-9]+)*$/;

function initialValuesOf(rule: Rule | null): Partial<RuleFormValues> {
  if (!rule) return { scope: 'person', severity: 'error', category: 'logic', whenText: '' };
  return {
    code: rule.code,
    name: rule.name,
    category: rule.category,
    scope: rule.scope,
    severity: rule.severity,
    whenText: rule.whenText ?? '',
    note: rule.note ?? undefined,
  };
}

/**
 * 新建/编辑规则: the condition is checked while typing, the preview counts what it would flag in the
 * caller's region now, and saving makes it count from the next run on.
 */
export function RuleEditorDrawer({
  rule,
  open,
  canWrite,
  onClose,
}: {
  /** null: a new rule. */
  rule: Rule | null;
  open: boolean;
  canWrite: boolean;
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const wide = Grid.useBreakpoint().md ?? true;
  const [form] = Form.useForm<RuleFormValues>();
  const scope = Form.useWatch('scope', form) ?? rule?.scope ?? 'person';
  const category = Form.useWatch('category', form);
  const [failure, setFailure] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ result?: RulePreview; error?: string; loading: boolean } | null>(
    null,
  );
  const aggregate = rule?.kind === 'aggregate';
  const readOnly = !canWrite;

  const save = useRuleMutation(async (values: RuleFormValues) => {
    if (!rule) {
      return qualityService.createRule({ ...values, note: values.note?.trim() || null });
    }
    return qualityService.updateRule(rule.code, {
      version: rule.version,
      name: values.name,
      category: values.category,
      severity: values.severity,
      note: values.note?.trim() || null,
      ...(aggregate ? {} : { whenText: values.whenText }),
    });
  });

  const close = () => {
    setFailure(null);
    setPreview(null);
    form.resetFields();
    onClose();
  };

  const onFinish = async (values: RuleFormValues) => {
    setFailure(null);
    try {
      const saved = await save.mutateAsync(values);
      message.success(`规则 ${saved.code} 已保存（第 ${saved.version} 版），下次检查起生效`);
      close();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'quality.invalid_rule') {
        const details = error.details as { line?: number; column?: number; reason?: string } | undefined;
        form.setFields([
          {
            name: 'whenText',
            errors: [
              `第 ${details?.line ?? '?'} 行第 ${details?.column ?? '?'} 列：${details?.reason ?? error.message}`,
            ],
          },
        ]);
      } else if (error instanceof ApiError && error.code === 'quality.rule_exists') {
        form.setFields([{ name: 'code', errors: [error.message] }]);
      } else {
        setFailure(describeError(error));
      }
    }
  };

  const runPreview = async () => {
    const whenText = String(form.getFieldValue('whenText') ?? '');
    if (whenText.trim() === '') return;
    setPreview({ loading: true });
    try {
      setPreview({ loading: false, result: await qualityService.preview(whenText, scope) });
    } catch (error) {
      setPreview({ loading: false, error: describeError(error) });
    }
  };

  const title = rule ? `${readOnly ? '查看' : '编辑'}规则 · ${rule.code}` : '新建规则';
  return (
    <Drawer
      title={title}
      open={open}
      onClose={close}
      width={wide ? 760 : '100%'}
      destroyOnHidden
      footer={
        !readOnly && (
          <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
            <Button onClick={close}>取消</Button>
            <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
              保存
            </Button>
          </Space>
        )
      }
    >
      {failure && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={failure} />}
      <Form<RuleFormValues>
        form={form}
        name="rule-edit"
        layout="vertical"
        initialValues={initialValuesOf(rule)}
        onFinish={onFinish}
        // A preview counts the text it was run on; a changed text needs a new one.
        onValuesChange={(changed) => 'whenText' in changed && setPreview(null)}
        disabled={readOnly}
      >
        <Row gutter={16}>
          <Col xs={24} sm={8}>
            <Form.Item
              label="规则编号"
              name="code"
              normalize={(value: string) => value.toUpperCase()}
              rules={[
                { required: true, message: '请填写规则编号' },
                { max: 32, message: '规则编号不能超过 32 个字符' },
                { pattern: codePattern, message: '大写字母和数字，以连字符分段，如 HN-001' },
              ]}
            >
              <Input disabled={Boolean(rule)} placeholder="如 HN-001" className="code-text" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={16}>
            <Form.Item
              label="规则名称"
              name="name"
              rules={[
                { required: true, whitespace: true, message: '请填写规则名称' },
                { max: 100, message: '规则名称不能超过 100 个字' },
              ]}
            >
              <Input placeholder="说明规则查出的问题，如：16 岁以下却有劳动能力" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item
              label="分类"
              name="category"
              extra={category && categoryLabels[category] ? categoryLabels[category] : '可选内置分类或自填'}
              rules={[
                { required: true, whitespace: true, message: '请填写分类' },
                { max: 40, message: '分类不能超过 40 个字' },
              ]}
            >
              <AutoComplete
                options={Object.entries(categoryLabels).map(([value, label]) => ({
                  value,
                  label: `${label}（${value}）`,
                }))}
                placeholder="选择或填写"
              />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item label="检查对象" name="scope">
              <Radio.Group
                disabled={Boolean(rule) || readOnly}
                optionType="button"
                options={[
                  { value: 'person', label: '人员' },
                  { value: 'household', label: '农户' },
                ]}
              />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item label="严重程度" name="severity">
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'error', label: '错误' },
                  { value: 'warning', label: '提示' },
                ]}
              />
            </Form.Item>
          </Col>
          <Col span={24}>
            {aggregate ? (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 16 }}
                message="跨户比对规则由系统实现，不能修改条件；可修改名称、分类、严重程度和启用状态。"
              />
            ) : (
              <Form.Item
                label="标记条件（满足时标记为问题）"
                name="whenText"
                rules={[{ required: true, whitespace: true, message: '请填写标记条件' }]}
                extra={
                  <span>
                    用字段名书写，如 <code>age</code>、<code>laborSkill</code>、
                    <code>household.householdType</code>； 农户规则中成员条件写在 <code>any(members, …)</code>{' '}
                    内。
                  </span>
                }
              >
                <RuleTextEditor scope={scope} disabled={readOnly} />
              </Form.Item>
            )}
          </Col>
          <Col span={24}>
            <Form.Item label="说明" name="note" rules={[{ max: 500, message: '说明不能超过 500 个字' }]}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} placeholder="为什么这是问题、如何整改" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {!aggregate && canWrite && (
        <Flex vertical gap={8}>
          <div>
            <Button onClick={runPreview} loading={preview?.loading}>
              试算
            </Button>
            <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
              按当前数据试算该条件在您辖区内会标记多少户
            </Typography.Text>
          </div>
          {preview?.error && <Alert type="error" showIcon message={preview.error} />}
          {preview?.result && (
            <Alert
              type={preview.result.households > 0 ? 'warning' : 'success'}
              showIcon
              message={`在您的辖区内将标记 ${preview.result.households.toLocaleString('zh-CN')} 户${
                scope === 'person' ? `（${preview.result.persons.toLocaleString('zh-CN')} 人）` : ''
              }`}
              description={
                preview.result.sample.length > 0 && (
                  <List
                    size="small"
                    header={<Typography.Text type="secondary">示例农户</Typography.Text>}
                    dataSource={preview.result.sample}
                    renderItem={(household) => (
                      <List.Item style={{ padding: '2px 0' }}>
                        <Link to={`/registry/households/${household.householdId}`} target="_blank">
                          <span className="code-text">{household.householdNo}</span>
                        </Link>
                        <span>{household.headName ?? '（无户主）'}</span>
                      </List.Item>
                    )}
                  />
                )
              }
            />
          )}
        </Flex>
      )}
      {rule && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
          {categoryLabel(rule.category)} · 第 {rule.version} 版{rule.builtin ? ' · 系统内置' : ''}
        </Typography.Paragraph>
      )}
    </Drawer>
  );
}
