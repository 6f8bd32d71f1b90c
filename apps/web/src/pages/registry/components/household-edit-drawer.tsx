import { Col, Divider, Form, Input, InputNumber, Select } from 'antd';
import { RuleWarnings } from '../../quality/components/rule-warnings.tsx';
import { codeOptions, yesNoOptions } from '../labels.ts';
import { type HouseholdDetail, registryService, useRegistryUpdate } from '../service.ts';
import { monthProblem, phoneProblem, ruleOf } from '../validation.ts';
import { EditDrawer, type FormValues } from './edit-drawer.tsx';

const numberFields = [
  ['housingArea', '住房面积（㎡）'],
  ['distanceToRoad', '与村主干路距离（公里）'],
  ['arableLand', '耕地面积（亩）'],
  ['forestLand', '林地面积（亩）'],
  ['returnedFarmland', '退耕还林面积（亩）'],
  ['orchardLand', '林果面积（亩）'],
  ['pastureLand', '牧草地面积（亩）'],
  ['waterSurface', '水面面积（亩）'],
] as const;

const yesNoFields = [
  ['dangerousHouse', '是否危房户'],
  ['hasElectricity', '是否通生活用电'],
  ['hasSanitaryToilet', '是否有卫生厕所'],
  ['safeDrinkingWater', '是否解决安全饮用水'],
  ['roadHardened', '入户道路是否硬化'],
  ['childDropout', '是否义务教育阶段适龄儿童少年失学辍学'],
  ['uninsuredMember', '是否有家庭成员未参加基本医疗保险'],
  ['noLabourSafetyNet', '整户无劳动能力兜底保障户'],
  ['policyEnjoyed', '是否享受政策'],
] as const;

function initialValuesOf(household: HouseholdDetail): FormValues {
  const values: FormValues = {
    householdType: household.householdType?.code,
    monitoringCategory: household.monitoringCategory?.code,
    identifiedAt: household.identifiedAt ?? undefined,
    riskEliminated: household.riskEliminated ?? undefined,
    eliminationMethod: household.eliminationMethod?.code,
    eliminatedAt: household.eliminatedAt ?? undefined,
    risks: household.risks.map((risk) => risk.riskType.code),
    otherNote: household.otherNote ?? undefined,
    developmentAssistance: household.developmentAssistance ?? undefined,
    publicJobAssistanceNote: household.publicJobAssistanceNote ?? undefined,
    collectorName: household.collectorName ?? undefined,
    householdPhone: undefined,
    collectorPhone: undefined,
  };
  for (const [field] of [...numberFields, ...yesNoFields]) values[field] = household[field] ?? undefined;
  return values;
}

const half = { xs: 24, sm: 12 };
const monthRule = (label: string) => ruleOf((value) => monthProblem(label, value));

/** 编辑户信息: monitoring, risks, contact, housing and production conditions. */
export function HouseholdEditDrawer({
  household,
  open,
  onClose,
  onReload,
  showRuleWarnings = false,
}: {
  household: HouseholdDetail;
  open: boolean;
  onClose: () => void;
  onReload: () => void;
  /** Users who may read the quality rules see what the draft would be flagged by. */
  showRuleWarnings?: boolean;
}) {
  const [form] = Form.useForm<FormValues>();
  const values = Form.useWatch((all: FormValues) => all, form);
  const update = useRegistryUpdate((changes) => registryService.updateHousehold(household.id, changes));
  return (
    <EditDrawer
      title={`编辑户信息 · ${household.householdNo}`}
      open={open}
      onClose={onClose}
      form={form}
      name="household-edit"
      initialValues={initialValuesOf(household)}
      updatedAt={household.updatedAt}
      keepWhenBlank={['householdPhone', 'collectorPhone']}
      save={update.mutateAsync}
      saving={update.isPending}
      onReload={onReload}
      below={showRuleWarnings && values && <RuleWarnings household={household} householdValues={values} />}
    >
      <Divider orientation="left" plain style={{ marginTop: 0 }}>
        户类型与监测
      </Divider>
      <Col {...half}>
        <Form.Item label="户类型" name="householdType">
          <Select options={codeOptions('householdType')} allowClear placeholder="未填写" />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item label="监测对象类别" name="monitoringCategory">
          <Select options={codeOptions('monitoringCategory')} allowClear placeholder="非监测对象" />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item label="识别监测时间" name="identifiedAt" rules={[monthRule('识别监测时间')]}>
          <Input inputMode="numeric" maxLength={6} placeholder="年月，如 202403" />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item label="风险是否已消除" name="riskEliminated">
          <Select options={yesNoOptions} allowClear placeholder="未填写" />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item label="风险消除方式" name="eliminationMethod">
          <Select options={codeOptions('eliminationMethod')} allowClear placeholder="未填写" />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item
          label="消除监测时间"
          name="eliminatedAt"
          dependencies={['identifiedAt']}
          rules={[
            monthRule('消除监测时间'),
            ({ getFieldValue }) => ({
              validator: async (_rule, value) => {
                const identifiedAt = getFieldValue('identifiedAt');
                if (value && identifiedAt && /^\d{6}$/.test(identifiedAt) && value < identifiedAt) {
                  throw new Error('消除监测时间不能早于识别监测时间');
                }
              },
            }),
          ]}
        >
          <Input inputMode="numeric" maxLength={6} placeholder="年月，如 202406" />
        </Form.Item>
      </Col>
      <Col span={24}>
        <Form.Item
          label="致贫/返贫风险（按主次顺序，最多 5 项）"
          name="risks"
          rules={[{ type: 'array', max: 5, message: '致贫/返贫风险最多 5 项' }]}
        >
          <Select mode="multiple" options={codeOptions('riskType')} allowClear placeholder="无" />
        </Form.Item>
      </Col>
      <Col span={24}>
        <Form.Item
          label="其他备注"
          name="otherNote"
          rules={[{ max: 500, message: '其他备注不能超过 500 个字' }]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
      </Col>

      <Divider orientation="left" plain>
        帮扶与联系
      </Divider>
      <Col {...half}>
        <Form.Item label="实施开发式帮扶措施情况" name="developmentAssistance">
          <Select
            options={[
              { value: '是', label: '是' },
              { value: '尚未实施', label: '尚未实施' },
            ]}
            allowClear
            placeholder="未填写"
          />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item label="公益性岗位帮扶其他备注" name="publicJobAssistanceNote">
          <Input />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item
          label="户联系电话"
          name="householdPhone"
          rules={[ruleOf((value) => phoneProblem('户联系电话', value))]}
          extra="不修改请留空"
        >
          <Input inputMode="tel" maxLength={11} placeholder={household.householdPhone ?? '未填写'} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item label="信息采集人" name="collectorName">
          <Input maxLength={50} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item
          label="信息采集人联系电话"
          name="collectorPhone"
          rules={[ruleOf((value) => phoneProblem('信息采集人联系电话', value))]}
          extra="不修改请留空"
        >
          <Input inputMode="tel" maxLength={11} placeholder={household.collectorPhone ?? '未填写'} />
        </Form.Item>
      </Col>

      <Divider orientation="left" plain>
        住房与生产生活条件
      </Divider>
      {numberFields.map(([field, label]) => (
        <Col key={field} {...half}>
          <Form.Item label={label} name={field}>
            <InputNumber min={0} max={1e9} style={{ width: '100%' }} placeholder="未填写" />
          </Form.Item>
        </Col>
      ))}
      {yesNoFields.map(([field, label]) => (
        <Col key={field} {...half}>
          <Form.Item label={label} name={field}>
            <Select options={yesNoOptions} allowClear placeholder="未填写" />
          </Form.Item>
        </Col>
      ))}
    </EditDrawer>
  );
}
