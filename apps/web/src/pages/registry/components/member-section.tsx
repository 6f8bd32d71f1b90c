import { EditOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Collapse,
  Descriptions,
  type DescriptionsProps,
  Empty,
  Flex,
  Space,
  Table,
  type TableProps,
  Tag,
  Typography,
} from 'antd';
import { dash, formatNumber, yesNo } from '../labels.ts';
import type { Member } from '../service.ts';
import { RevealButton } from './reveal-button.tsx';

interface MemberSectionProps {
  members: Member[];
  wide: boolean;
  canReveal: boolean;
  canWrite: boolean;
  onEdit: (member: Member) => void;
}

const label = (value: { label: string } | null) => value?.label ?? dash;

function schoolingOrEducation(member: Member): string {
  if (member.schooling) return `在校：${member.schooling.label}`;
  return label(member.education);
}

/** Every field of a member that the table or card does not show already. */
function moreItems(member: Member): DescriptionsProps['items'] {
  return [
    { key: 'idType', label: '证件类型', children: label(member.idType) },
    { key: 'birthDate', label: '出生日期', children: member.birthDate ?? dash },
    { key: 'ethnicity', label: '民族', children: member.ethnicity ?? dash },
    { key: 'education', label: '文化程度', children: label(member.education) },
    { key: 'schooling', label: '在校生状况', children: label(member.schooling) },
    {
      key: 'nonAttendanceReason',
      label: '义务教育阶段未上学原因',
      children: member.nonAttendanceReason ?? dash,
    },
    { key: 'workLocation', label: '务工状况', children: label(member.workLocation) },
    { key: 'employmentChannel', label: '就业渠道', children: member.employmentChannel ?? dash },
    { key: 'publicJob', label: '公益性岗位', children: member.publicJob ?? dash },
    { key: 'publicJobMonths', label: '公益性岗位(月数)', children: formatNumber(member.publicJobMonths) },
    {
      key: 'residentMedicalInsurance',
      label: '城乡居民基本医疗保险',
      children: yesNo(member.residentMedicalInsurance),
    },
    {
      key: 'employeeMedicalInsurance',
      label: '城镇职工基本医疗保险',
      children: yesNo(member.employeeMedicalInsurance),
    },
    { key: 'criticalIllnessInsurance', label: '大病保险', children: yesNo(member.criticalIllnessInsurance) },
    { key: 'medicalAid', label: '医疗救助', children: yesNo(member.medicalAid) },
    { key: 'residentPension', label: '城乡居民基本养老保险', children: yesNo(member.residentPension) },
    { key: 'employeePension', label: '城镇职工基本养老保险', children: yesNo(member.employeePension) },
    { key: 'dibao', label: '低保', children: label(member.dibao) },
    { key: 'tekun', label: '特困供养', children: label(member.tekun) },
    {
      key: 'tekunAllowance',
      label: '特困人员救助供养金',
      children: formatNumber(member.tekunAllowance, ' 元'),
    },
    {
      key: 'personNo',
      label: '人编号',
      children: <span className="code-text">{member.personNo ?? dash}</span>,
    },
  ];
}

function IdCell({ member, canReveal }: { member: Member; canReveal: boolean }) {
  return (
    <Space size={0} wrap>
      <span className="code-text">{member.idNumber ?? dash}</span>
      {canReveal && (member.idNumber || member.phone) && (
        <RevealButton personId={member.id} name={member.name} />
      )}
    </Space>
  );
}

function StatusTag({ member }: { member: Member }) {
  if (member.status === 'active') return null;
  return <Tag color="default">{member.statusLabel}</Tag>;
}

/** 家庭成员: masked ID numbers and phones, names whole (cadres know their villagers). */
export function MemberSection({ members, wide, canReveal, canWrite, onEdit }: MemberSectionProps) {
  if (members.length === 0) return <Empty description="暂无家庭成员" />;
  if (!wide) {
    return (
      <Flex vertical gap={8}>
        {members.map((member) => (
          <Card
            key={member.id}
            size="small"
            title={
              <Space size={4} wrap>
                <span>{member.name ?? dash}</span>
                <Tag color={member.relation?.code === 'head' ? 'blue' : 'default'}>
                  {label(member.relation)}
                </Tag>
                <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                  {label(member.gender)} · {member.age ?? dash} 岁
                </Typography.Text>
                <StatusTag member={member} />
              </Space>
            }
            extra={
              canWrite && (
                <Button
                  size="small"
                  icon={<EditOutlined />}
                  onClick={() => onEdit(member)}
                  aria-label={`编辑 ${member.name ?? ''}`}
                >
                  编辑
                </Button>
              )
            }
          >
            <Descriptions
              size="small"
              column={1}
              items={[
                { key: 'id', label: '证件号码', children: <IdCell member={member} canReveal={canReveal} /> },
                {
                  key: 'phone',
                  label: '联系电话',
                  children: <span className="code-text">{member.phone ?? dash}</span>,
                },
                { key: 'health', label: '健康状况', children: label(member.health) },
                { key: 'laborSkill', label: '劳动技能', children: label(member.laborSkill) },
                { key: 'education', label: '文化/在校', children: schoolingOrEducation(member) },
              ]}
            />
            <Collapse
              ghost
              size="small"
              items={[
                {
                  key: 'more',
                  label: '更多信息',
                  children: <Descriptions size="small" column={1} items={moreItems(member)} />,
                },
              ]}
            />
          </Card>
        ))}
      </Flex>
    );
  }

  const columns: TableProps<Member>['columns'] = [
    {
      title: '姓名',
      dataIndex: 'name',
      width: 110,
      render: (value: string | null, member) => (
        <Space size={4}>
          {value ?? dash}
          <StatusTag member={member} />
        </Space>
      ),
    },
    {
      title: '与户主关系',
      dataIndex: 'relation',
      width: 100,
      render: (value: Member['relation']) => (
        <Tag color={value?.code === 'head' ? 'blue' : 'default'}>{label(value)}</Tag>
      ),
    },
    { title: '性别', dataIndex: 'gender', width: 60, render: label },
    {
      title: '年龄',
      dataIndex: 'age',
      width: 60,
      align: 'right',
      render: (value: number | null) => value ?? dash,
    },
    {
      title: '证件号码',
      key: 'idNumber',
      width: 215,
      render: (_value, member) => <IdCell member={member} canReveal={canReveal} />,
    },
    {
      title: '联系电话',
      dataIndex: 'phone',
      width: 120,
      render: (value: string | null) => <span className="code-text">{value ?? dash}</span>,
    },
    { title: '健康状况', dataIndex: 'health', width: 100, render: label },
    { title: '劳动技能', dataIndex: 'laborSkill', width: 130, render: label },
    {
      title: '文化/在校',
      key: 'education',
      width: 150,
      render: (_value, member) => schoolingOrEducation(member),
    },
    { title: '务工状况', dataIndex: 'workLocation', width: 130, render: label },
  ];
  if (canWrite) {
    columns.push({
      title: '操作',
      key: 'actions',
      width: 80,
      fixed: 'right',
      render: (_value, member) => (
        <Button
          size="small"
          type="link"
          icon={<EditOutlined />}
          onClick={() => onEdit(member)}
          aria-label={`编辑 ${member.name ?? ''}`}
        >
          编辑
        </Button>
      ),
    });
  }
  return (
    <Table<Member>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={members}
      pagination={false}
      scroll={{ x: 1150 }}
      expandable={{
        columnTitle: '详情',
        columnWidth: 56,
        expandedRowRender: (member) => (
          <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3, xxl: 4 }} items={moreItems(member)} />
        ),
      }}
    />
  );
}
