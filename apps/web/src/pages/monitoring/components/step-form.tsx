import { Checkbox, Flex, Form, Input, InputNumber, Radio, Typography } from 'antd';
import {
  eliminationMethodOptions,
  measureOptions,
  monitoringCategoryOptions,
  riskTypeOptions,
} from '../labels.ts';
import type { CaseDetail } from '../service.ts';

const twoColumns = { display: 'grid', gridTemplateColumns: '1fr 1fr', rowGap: 8 } as const;

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
              <Form.Item label="拟纳入类别" name="category" required>
                <Radio.Group
                  options={monitoringCategoryOptions}
                  style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
                />
              </Form.Item>
              <Form.Item label="风险类型" name="risks" required>
                <Checkbox.Group options={riskTypeOptions} style={twoColumns} />
              </Form.Item>
              <Form.Item label="拟落实帮扶措施" name="measures">
                <Checkbox.Group options={measureOptions} style={twoColumns} />
              </Form.Item>
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
  if (detail.state === 'notice') return {};
  return data;
}

export function initialStepValues(detail: CaseDetail): Record<string, unknown> {
  if (detail.state === 'county_approval' && detail.kind === 'identification') {
    return { category: detail.proposedCategory ?? undefined, risks: detail.proposedRisks };
  }
  return {};
}
