import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { codeTables } from '@shouwang/domain';
import { Button, Card, Checkbox, Flex, Form, Input, InputNumber, Radio, Select, Typography } from 'antd';
import {
  eliminationMethodOptions,
  measureOptions,
  monitoringCategoryOptions,
  riskTypeOptions,
} from '../labels.ts';
import type { CaseDetail } from '../service.ts';

const twoColumns = { display: 'grid', gridTemplateColumns: '1fr 1fr', rowGap: 8 } as const;
const relationOptions = codeTables.relation.map((item) => ({ value: item.code, label: item.label }));

/** Measures as category and content (e.g. 健康帮扶 · 医疗救助), searchable; a phone shows them one per line. */
function MeasureField({ label }: { label: string }) {
  return (
    <Form.Item label={label} name="measures" extra="每项措施选择类别和具体内容，可输入文字查找">
      <Select
        mode="multiple"
        allowClear
        options={measureOptions}
        optionFilterProp="label"
        placeholder="选择帮扶措施"
        aria-label={label}
      />
    </Form.Item>
  );
}

/**
 * The household of a person the registry does not hold, recorded at verification: members as found at
 * home (the reported person among them), one head.
 */
function NewHouseholdFields({ detail }: { detail: CaseDetail }) {
  return (
    <Card
      size="small"
      title="登记农户（台账中暂无该户）"
      style={{ marginBottom: 16 }}
      styles={{ body: { paddingBottom: 0 } }}
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        申报人 {detail.headName ?? ''}（{detail.idNumber ?? ''}
        ）须在成员中；提交后该户登记到台账（来源：干部编辑）。
      </Typography.Paragraph>
      <Form.List name="members" initialValue={[{ relation: 'head' }]}>
        {(fields, { add, remove }) => (
          <Flex vertical gap={12} style={{ marginBottom: 16 }}>
            {fields.map((field, index) => (
              <Flex
                key={field.key}
                vertical
                gap={8}
                style={{ borderBottom: '1px dashed #e5e5e5', paddingBottom: 8 }}
              >
                <Flex gap={8} align="center">
                  <Form.Item name={[field.name, 'name']} noStyle>
                    <Input placeholder="姓名" aria-label={`成员 ${index + 1} 姓名`} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'relation']} noStyle>
                    <Select
                      options={relationOptions}
                      placeholder="与户主关系"
                      aria-label={`成员 ${index + 1} 与户主关系`}
                      style={{ width: 130, flexShrink: 0 }}
                    />
                  </Form.Item>
                  {fields.length > 1 && (
                    <MinusCircleOutlined
                      aria-label={`删除成员 ${index + 1}`}
                      onClick={() => remove(field.name)}
                    />
                  )}
                </Flex>
                <Form.Item name={[field.name, 'idNumber']} noStyle>
                  <Input
                    placeholder="身份证号码"
                    aria-label={`成员 ${index + 1} 身份证号码`}
                    maxLength={18}
                  />
                </Form.Item>
                <Form.Item name={[field.name, 'phone']} noStyle>
                  <Input
                    placeholder="联系电话（可不填）"
                    aria-label={`成员 ${index + 1} 联系电话`}
                    inputMode="tel"
                  />
                </Form.Item>
              </Flex>
            ))}
            <Button icon={<PlusOutlined />} onClick={() => add({ relation: undefined })}>
              添加成员
            </Button>
          </Flex>
        )}
      </Form.List>
      <Form.Item label="户联系电话" name="householdPhone">
        <Input inputMode="tel" aria-label="户联系电话" />
      </Form.Item>
    </Card>
  );
}

/** The fields `pass` needs at the case's current step; the form's values become the transition's data. */
export function StepFields({ detail }: { detail: CaseDetail }) {
  switch (detail.state) {
    case 'consent':
      return (
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          请上传农户签字的《承诺授权书》照片后提交。
        </Typography.Paragraph>
      );
    case 'verification':
      return (
        <>
          <Form.Item label="核实人员（至少 2 人）" required style={{ marginBottom: 0 }}>
            <Flex gap={8}>
              <Form.Item name={['verifiers', 0]} noStyle>
                <Input placeholder="核实人 1" aria-label="核实人 1" />
              </Form.Item>
              <Form.Item name={['verifiers', 1]} noStyle>
                <Input placeholder="核实人 2" aria-label="核实人 2" />
              </Form.Item>
            </Flex>
          </Form.Item>
          <Form.Item label="核实情况" name="findings" required style={{ marginTop: 16 }}>
            <Input.TextArea rows={3} placeholder="家庭收支、困难原因、住房饮水等入户所见" />
          </Form.Item>
          {detail.kind === 'identification' ? (
            <>
              {!detail.householdId && <NewHouseholdFields detail={detail} />}
              <Form.Item label="拟纳入类别" name="category" required>
                <Radio.Group
                  options={monitoringCategoryOptions}
                  style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
                />
              </Form.Item>
              <Form.Item label="风险类型" name="risks" required>
                <Checkbox.Group options={riskTypeOptions} style={twoColumns} />
              </Form.Item>
              <MeasureField label="拟落实帮扶措施" />
            </>
          ) : (
            <>
              <Form.Item label="核实人确认的条件" name="attested">
                <Checkbox.Group
                  options={(detail.criteria?.items ?? [])
                    .filter((item) => item.needsAttestation)
                    .map((item) => ({ value: item.key, label: item.label }))}
                  style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
                />
              </Form.Item>
              <Form.Item label="风险消除方式" name="eliminationMethod" required>
                <Radio.Group options={eliminationMethodOptions} />
              </Form.Item>
            </>
          )}
        </>
      );
    case 'cross_check':
      return (
        <Form.Item label="信息比对结果" name="result" required>
          <Input.TextArea rows={3} placeholder="财政、公安、市场监管、不动产、社保等比对情况" />
        </Form.Item>
      );
    case 'deliberation':
      return (
        <>
          <Form.Item label="参加评议人数" name="attendees" required>
            <InputNumber min={1} max={500} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item label="评议结果" name="result" required>
            <Input.TextArea rows={2} placeholder="如：同意，参会 12 人，赞成 12 人" />
          </Form.Item>
        </>
      );
    case 'county_approval':
      return detail.kind === 'identification' ? (
        <>
          <Form.Item label="监测对象类别" name="category" required>
            <Radio.Group
              options={monitoringCategoryOptions}
              style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
            />
          </Form.Item>
          <Form.Item label="风险类型" name="risks" required>
            <Checkbox.Group options={riskTypeOptions} style={twoColumns} />
          </Form.Item>
          <MeasureField label="帮扶措施" />
          <Form.Item label="审定意见" name="opinion">
            <Input.TextArea rows={2} />
          </Form.Item>
        </>
      ) : (
        <Form.Item label="审定意见" name="opinion">
          <Input.TextArea rows={2} />
        </Form.Item>
      );
    case 'notice':
      return (
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          登记公示起止日期和地点；公示期满、异议都已处理后提交乡镇审核。
        </Typography.Paragraph>
      );
    default:
      return (
        <Form.Item label="意见" name="opinion">
          <Input.TextArea rows={2} />
        </Form.Item>
      );
  }
}

/** Form values → the transition's data (attestations become a map, verifiers a list). */
export function stepData(detail: CaseDetail, values: Record<string, unknown>): Record<string, unknown> {
  const data: Record<string, unknown> = { ...values };
  if (Array.isArray(values.verifiers)) data.verifiers = (values.verifiers as unknown[]).filter(Boolean);
  if (Array.isArray(values.attested)) {
    data.attested = Object.fromEntries((values.attested as string[]).map((key) => [key, true]));
  }
  if (Array.isArray(values.measures)) data.measures = values.measures;
  if (Array.isArray(values.members)) {
    data.household = {
      householdPhone: values.householdPhone,
      members: (values.members as Array<Record<string, unknown> | undefined>).filter(Boolean),
    };
    delete data.members;
    delete data.householdPhone;
  }
  if (detail.state === 'notice') return {};
  return data;
}

export function initialStepValues(detail: CaseDetail): Record<string, unknown> {
  if (detail.state === 'county_approval' && detail.kind === 'identification') {
    return {
      category: detail.proposedCategory ?? undefined,
      risks: detail.proposedRisks,
      measures: detail.proposedMeasures,
    };
  }
  return {};
}
