import { DownOutlined, UpOutlined } from '@ant-design/icons';
import { Button, Form, Grid, Input, InputNumber, Select, Space } from 'antd';
import { type ReactNode, useState } from 'react';
import { FilterForm, useFilterFieldWidth } from '../../../components/filter-form/index.tsx';
import { RegionPicker } from '../../../components/region-picker/index.tsx';
import { codeOptions } from '../labels.ts';
import type { PersonFilters } from '../service.ts';

const statusOptions = [
  { value: 'active', label: '正常' },
  { value: 'deceased', label: '已故' },
  { value: 'moved_out', label: '迁出' },
  { value: 'absent', label: '国家系统中已无' },
  { value: 'all', label: '全部' },
];

const emptyFilters: PersonFilters = {
  regionCode: undefined,
  q: undefined,
  gender: undefined,
  ageFrom: undefined,
  ageTo: undefined,
  health: undefined,
  laborSkill: undefined,
  education: undefined,
  schooling: undefined,
  status: 'active',
};

/** Filters of the member list; on a phone the search box comes first and the rest fold away. */
export function PersonFilterBar({
  initialValues,
  onSearch,
}: {
  initialValues: PersonFilters;
  onSearch: (filters: PersonFilters) => void;
}) {
  const [form] = Form.useForm<PersonFilters>();
  const wide = Grid.useBreakpoint().md ?? true;
  const [expanded, setExpanded] = useState(false);
  const regionWidth = useFilterFieldWidth(240);
  const selectWidth = useFilterFieldWidth(140);
  const searchWidth = useFilterFieldWidth(220);
  const ageWidth = wide ? 80 : '50%';
  const folded = !wide && !expanded;
  const activeCount = Object.entries(initialValues).filter(
    ([key, value]) => key !== 'q' && value !== undefined && !(key === 'status' && value === 'active'),
  ).length;
  const select = (table: Parameters<typeof codeOptions>[0]) => (
    <Select
      options={codeOptions(table)}
      allowClear
      placeholder="全部"
      popupMatchSelectWidth={false}
      style={{ width: selectWidth }}
    />
  );

  const search: ReactNode = (
    <Form.Item
      key="q"
      label="查找"
      name="q"
      tooltip="姓名（完整或开头）、证件号码（全号或后 4 位以上）或户编号"
    >
      <Input allowClear placeholder="姓名、证件号或户编号" style={{ width: searchWidth }} />
    </Form.Item>
  );
  const region: ReactNode = (
    <Form.Item key="regionCode" label="区划" name="regionCode" hidden={folded}>
      <RegionPicker placeholder="全部（本辖区）" style={{ width: regionWidth }} />
    </Form.Item>
  );
  const filters: ReactNode[] = [
    <Form.Item key="gender" label="性别" name="gender" hidden={folded}>
      {select('gender')}
    </Form.Item>,
    <Form.Item key="age" label="年龄（周岁）" hidden={folded}>
      <Space.Compact style={{ width: wide ? undefined : '100%' }}>
        <Form.Item name="ageFrom" noStyle>
          <InputNumber min={0} max={150} precision={0} placeholder="从" style={{ width: ageWidth }} />
        </Form.Item>
        <Form.Item name="ageTo" noStyle>
          <InputNumber min={0} max={150} precision={0} placeholder="到" style={{ width: ageWidth }} />
        </Form.Item>
      </Space.Compact>
    </Form.Item>,
    <Form.Item key="health" label="健康状况" name="health" hidden={folded}>
      {select('health')}
    </Form.Item>,
    <Form.Item key="laborSkill" label="劳动技能" name="laborSkill" hidden={folded}>
      {select('laborSkill')}
    </Form.Item>,
    <Form.Item key="education" label="文化程度" name="education" hidden={folded}>
      {select('education')}
    </Form.Item>,
    <Form.Item key="schooling" label="在校生状况" name="schooling" hidden={folded}>
      {select('schooling')}
    </Form.Item>,
    <Form.Item key="status" label="状态" name="status" hidden={folded}>
      <Select options={statusOptions} style={{ width: selectWidth }} />
    </Form.Item>,
  ];

  return (
    <FilterForm<PersonFilters>
      form={form}
      name="person-filters"
      initialValues={{ status: 'active', ...initialValues }}
      onFinish={(values) => {
        onSearch({ ...values, q: values.q?.trim() || undefined });
        setExpanded(false);
      }}
    >
      {wide ? [region, search, ...filters] : [search, region, ...filters]}
      <Form.Item>
        <Space wrap>
          <Button type="primary" htmlType="submit">
            查询
          </Button>
          <Button
            onClick={() => {
              form.setFieldsValue(emptyFilters);
              onSearch({});
            }}
          >
            重置
          </Button>
          {!wide && (
            <Button
              type="link"
              onClick={() => setExpanded(!expanded)}
              icon={expanded ? <UpOutlined /> : <DownOutlined />}
            >
              {expanded ? '收起筛选' : `更多筛选${activeCount > 0 ? `（已选 ${activeCount} 项）` : ''}`}
            </Button>
          )}
        </Space>
      </Form.Item>
    </FilterForm>
  );
}
