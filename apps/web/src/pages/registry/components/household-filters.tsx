import { DownOutlined, UpOutlined } from '@ant-design/icons';
import { Button, Form, Grid, Input, Select, Space } from 'antd';
import { type ReactNode, useState } from 'react';
import { FilterForm, useFilterFieldWidth } from '../../../components/filter-form/index.tsx';
import { RegionPicker } from '../../../components/region-picker/index.tsx';
import { codeOptions } from '../labels.ts';
import type { HouseholdFilters } from '../service.ts';

const categoryOptions = [
  { value: 'monitored', label: '全部监测对象' },
  ...codeOptions('monitoringCategory'),
  { value: 'none', label: '非监测对象' },
];

const eliminatedOptions = [
  { value: 'true', label: '已消除' },
  { value: 'false', label: '未消除' },
];

const findingsOptions = [
  { value: 'true', label: '有待整改问题' },
  { value: 'false', label: '无待整改问题' },
];

const statusOptions = [
  { value: 'active', label: '正常' },
  { value: 'absent', label: '国家系统中已无' },
  { value: 'all', label: '全部' },
];

const emptyFilters: HouseholdFilters = {
  regionCode: undefined,
  householdType: undefined,
  monitoringCategory: undefined,
  riskEliminated: undefined,
  riskType: undefined,
  hasFindings: undefined,
  q: undefined,
  status: 'active',
};

/**
 * The filters cadres use every day; values live in the address so that "back" restores them. On a
 * phone the search box comes first and the other filters fold away, so the households show at once.
 */
export function HouseholdFilterBar({
  initialValues,
  onSearch,
}: {
  initialValues: HouseholdFilters;
  onSearch: (filters: HouseholdFilters) => void;
}) {
  const [form] = Form.useForm<HouseholdFilters>();
  const wide = Grid.useBreakpoint().md ?? true;
  const [expanded, setExpanded] = useState(false);
  const regionWidth = useFilterFieldWidth(240);
  const selectWidth = useFilterFieldWidth(150);
  const searchWidth = useFilterFieldWidth(220);
  const folded = !wide && !expanded;
  const activeCount = Object.entries(initialValues).filter(
    ([key, value]) => key !== 'q' && value !== undefined && !(key === 'status' && value === 'active'),
  ).length;

  const search: ReactNode = (
    <Form.Item
      key="q"
      label="查找"
      name="q"
      tooltip="成员姓名（完整或开头）、证件号码（全号或后 4 位以上）或户编号"
    >
      <Input allowClear placeholder="姓名、证件号或户编号" style={{ width: searchWidth }} />
    </Form.Item>
  );
  const filters: ReactNode[] = [
    <Form.Item key="regionCode" label="区划" name="regionCode" hidden={folded}>
      <RegionPicker placeholder="全部（本辖区）" style={{ width: regionWidth }} />
    </Form.Item>,
    <Form.Item key="householdType" label="户类型" name="householdType" hidden={folded}>
      <Select
        options={codeOptions('householdType')}
        allowClear
        placeholder="全部"
        style={{ width: selectWidth }}
      />
    </Form.Item>,
    <Form.Item key="monitoringCategory" label="监测类别" name="monitoringCategory" hidden={folded}>
      <Select options={categoryOptions} allowClear placeholder="全部" style={{ width: selectWidth }} />
    </Form.Item>,
    <Form.Item key="riskEliminated" label="风险消除" name="riskEliminated" hidden={folded}>
      <Select options={eliminatedOptions} allowClear placeholder="全部" style={{ width: selectWidth }} />
    </Form.Item>,
    <Form.Item key="riskType" label="风险类型" name="riskType" hidden={folded}>
      <Select
        options={codeOptions('riskType')}
        allowClear
        placeholder="全部"
        popupMatchSelectWidth={false}
        style={{ width: selectWidth }}
      />
    </Form.Item>,
    <Form.Item key="hasFindings" label="质量问题" name="hasFindings" hidden={folded}>
      <Select options={findingsOptions} allowClear placeholder="全部" style={{ width: selectWidth }} />
    </Form.Item>,
    <Form.Item key="status" label="状态" name="status" hidden={folded}>
      <Select options={statusOptions} style={{ width: selectWidth }} />
    </Form.Item>,
  ];
  // Desks: region first, the search box before the status; phones: the search box first.
  const fields = wide ? [...filters.slice(0, 6), search, filters[6]] : [search, ...filters];

  return (
    <FilterForm<HouseholdFilters>
      form={form}
      name="household-filters"
      initialValues={{ status: 'active', ...initialValues }}
      onFinish={(values) => {
        onSearch({ ...values, q: values.q?.trim() || undefined });
        setExpanded(false);
      }}
    >
      {fields}
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
