import { Col, DatePicker, Divider, Form, Input, InputNumber, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { RuleWarnings } from '../../quality/components/rule-warnings.tsx';
import { codeOptions, yesNoOptions } from '../labels.ts';
import { type HouseholdDetail, type Member, registryService, useRegistryUpdate } from '../service.ts';
import {
  beijingToday,
  birthDateProblem,
  genderProblem,
  idNumberProblem,
  phoneProblem,
  ruleOf,
} from '../validation.ts';
import { EditDrawer, type FormValues } from './edit-drawer.tsx';

const insuranceFields = [
  ['residentMedicalInsurance', '是否参加城乡居民基本医疗保险'],
  ['employeeMedicalInsurance', '是否参加城镇职工基本医疗保险'],
  ['criticalIllnessInsurance', '是否参加大病保险'],
  ['medicalAid', '是否接受医疗救助'],
  ['residentPension', '是否参加城乡居民基本养老保险'],
  ['employeePension', '是否参加城镇职工基本养老保险'],
] as const;

const codeFields = [
  'idType',
  'relation',
  'gender',
  'workLocation',
  'education',
  'schooling',
  'health',
  'laborSkill',
  'dibao',
  'tekun',
] as const;

function initialValuesOf(member: Member): FormValues {
  const values: FormValues = {
    name: member.name ?? undefined,
    idNumber: undefined,
    phone: undefined,
    birthDate: member.birthDate ?? undefined,
    ethnicity: member.ethnicity ?? undefined,
    employmentChannel: member.employmentChannel ?? undefined,
    nonAttendanceReason: member.nonAttendanceReason ?? undefined,
    publicJob: member.publicJob ?? undefined,
    publicJobMonths: member.publicJobMonths ?? undefined,
    tekunAllowance: member.tekunAllowance ?? undefined,
    status: member.status,
  };
  for (const field of codeFields) values[field] = member[field]?.code;
  for (const [field] of insuranceFields) values[field] = member[field] ?? undefined;
  return values;
}

const half = { xs: 24, sm: 12 };

const statusOptions = [
  { value: 'active', label: '正常' },
  { value: 'deceased', label: '已故' },
  { value: 'moved_out', label: '迁出' },
  { value: 'absent', label: '国家系统中已无', disabled: true },
];

/** 编辑成员: identity (checked against the ID number), contact, schooling, health, work and benefits. */
export function PersonEditDrawer({
  member,
  household,
  onClose,
  onReload,
  showRuleWarnings = false,
}: {
  member: Member | null;
  household: HouseholdDetail;
  onClose: () => void;
  onReload: () => void;
  /** Users who may read the quality rules see what the draft would be flagged by. */
  showRuleWarnings?: boolean;
}) {
  const [form] = Form.useForm<FormValues>();
  const values = Form.useWatch((all: FormValues) => all, form);
  const update = useRegistryUpdate((changes) => registryService.updatePerson(member?.id ?? '', changes));
  if (!member) return null;
  const idNumberTyped = () => {
    const typed = String(form.getFieldValue('idNumber') ?? '')
      .trim()
      .toUpperCase();
    return typed === '' ? undefined : typed;
  };
  return (
    <EditDrawer
      title={`编辑成员 · ${member.name ?? ''}`}
      open
      onClose={onClose}
      form={form}
      name="person-edit"
      initialValues={initialValuesOf(member)}
      updatedAt={member.updatedAt}
      keepWhenBlank={['idNumber', 'phone']}
      save={update.mutateAsync}
      saving={update.isPending}
      onReload={onReload}
      below={
        showRuleWarnings &&
        values && <RuleWarnings household={household} member={{ id: member.id, values }} />
      }
    >
      <Divider orientation="left" plain style={{ marginTop: 0 }}>
        身份信息
      </Divider>
      <Col {...half}>
        <Form.Item
          label="姓名"
          name="name"
          rules={[
            { required: true, whitespace: true, message: '请填写姓名' },
            { max: 50, message: '姓名不能超过 50 个字' },
          ]}
        >
          <Input maxLength={50} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item
          label="与户主关系"
          name="relation"
          rules={[{ required: true, message: '请填写与户主关系' }]}
        >
          <Select options={codeOptions('relation')} showSearch optionFilterProp="label" />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item label="证件类型" name="idType">
          <Select options={codeOptions('idType')} allowClear placeholder="居民身份证" />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item
          label="证件号码"
          name="idNumber"
          extra="不修改请留空"
          normalize={(value: string) => value.toUpperCase()}
          rules={[ruleOf((value) => idNumberProblem(value.toUpperCase()))]}
        >
          <Input
            maxLength={22}
            autoComplete="off"
            placeholder={member.idNumber ?? '未填写'}
            className="code-text"
          />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item
          label="性别"
          name="gender"
          dependencies={['idNumber']}
          rules={[ruleOf((value) => genderProblem(value, idNumberTyped()))]}
        >
          <Select options={codeOptions('gender')} allowClear placeholder="未填写" />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item
          label="出生日期"
          name="birthDate"
          dependencies={['idNumber']}
          rules={[ruleOf((value) => birthDateProblem(value, idNumberTyped()))]}
          // The form holds YYYY-MM-DD text, as the server does; the picker works with dayjs.
          getValueProps={(value: string | undefined) => ({ value: value ? dayjs(value) : undefined })}
          normalize={(value: Dayjs | null) => value?.format('YYYY-MM-DD')}
        >
          <DatePicker
            style={{ width: '100%' }}
            placeholder="选择或输入，如 1980-01-31"
            disabledDate={(day) => day.format('YYYY-MM-DD') > beijingToday()}
          />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item label="民族" name="ethnicity">
          <Input maxLength={20} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item
          label="家庭成员联系电话"
          name="phone"
          extra="不修改请留空"
          rules={[ruleOf((value) => phoneProblem('家庭成员联系电话', value))]}
        >
          <Input inputMode="tel" maxLength={11} autoComplete="off" placeholder={member.phone ?? '未填写'} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item label="状态" name="status">
          <Select options={statusOptions} />
        </Form.Item>
      </Col>

      <Divider orientation="left" plain>
        教育、健康与就业
      </Divider>
      <Col {...half}>
        <Form.Item label="文化程度" name="education">
          <Select options={codeOptions('education')} allowClear placeholder="未填写（在校生可不填）" />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item label="在校生状况" name="schooling">
          <Select options={codeOptions('schooling')} allowClear placeholder="非在校生" />
        </Form.Item>
      </Col>
      <Col span={24}>
        <Form.Item label="义务教育阶段未上学原因" name="nonAttendanceReason">
          <Input maxLength={100} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item label="健康状况" name="health">
          <Select options={codeOptions('health')} allowClear placeholder="未填写" />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item label="劳动技能" name="laborSkill">
          <Select options={codeOptions('laborSkill')} allowClear placeholder="未填写" />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item label="务工状况" name="workLocation">
          <Select options={codeOptions('workLocation')} allowClear placeholder="未务工" />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item label="就业渠道" name="employmentChannel">
          <Input maxLength={100} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item label="公益性岗位" name="publicJob">
          <Input maxLength={100} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item label="公益性岗位(月数)" name="publicJobMonths">
          <InputNumber min={0} max={12} precision={0} style={{ width: '100%' }} placeholder="未填写" />
        </Form.Item>
      </Col>

      <Divider orientation="left" plain>
        保障情况
      </Divider>
      {insuranceFields.map(([field, label]) => (
        <Col key={field} {...half}>
          <Form.Item label={label} name={field}>
            <Select options={yesNoOptions} allowClear placeholder="未填写" />
          </Form.Item>
        </Col>
      ))}
      <Col {...half}>
        <Form.Item label="享受低保政策情况" name="dibao">
          <Select options={codeOptions('dibao')} allowClear placeholder="未填写" />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item label="享受特困供养政策情况" name="tekun">
          <Select options={codeOptions('tekun')} allowClear placeholder="未填写" />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item label="特困人员救助供养金（元）" name="tekunAllowance">
          <InputNumber min={0} max={1e9} style={{ width: '100%' }} placeholder="未填写" />
        </Form.Item>
      </Col>
    </EditDrawer>
  );
}
