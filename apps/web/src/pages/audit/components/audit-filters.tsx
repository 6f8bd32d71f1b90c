import { AutoComplete, Button, DatePicker, Form, Input, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { FilterForm, useFilterFieldWidth } from '../../../components/filter-form/index.tsx';
import {
  auditActionGroupLabels,
  auditActionLabels,
  auditOutcomeLabels,
} from '../../../locales/zh-CN/index.ts';
import type { AuditOutcome, AuditSearch } from '../service.ts';

interface AuditFilterValues {
  range?: [Dayjs | null, Dayjs | null] | null;
  action?: string;
  actor?: string;
  outcome?: AuditOutcome;
}

const actionOptions = [...Object.entries(auditActionGroupLabels), ...Object.entries(auditActionLabels)].map(
  ([value, label]) => ({ value, label: `${label} · ${value}` }),
);

const outcomeOptions = Object.entries(auditOutcomeLabels).map(([value, { label }]) => ({ value, label }));

function toSearch(values: AuditFilterValues): AuditSearch {
  const [from, to] = values.range ?? [];
  return {
    from: from?.format('YYYY-MM-DD'),
    to: to?.format('YYYY-MM-DD'),
    action: values.action?.trim() || undefined,
    actor: values.actor?.trim() || undefined,
    outcome: values.outcome,
  };
}

export function AuditFilters({ onSearch }: { onSearch: (search: AuditSearch) => void }) {
  const [form] = Form.useForm<AuditFilterValues>();
  const rangeWidth = useFilterFieldWidth(260);
  const actionWidth = useFilterFieldWidth(200);
  const textWidth = useFilterFieldWidth(140);
  const selectWidth = useFilterFieldWidth(110);
  return (
    <FilterForm<AuditFilterValues>
      form={form}
      name="audit-filters"
      onFinish={(values) => onSearch(toSearch(values))}
    >
      <Form.Item label="时间范围" name="range">
        <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: rangeWidth }} />
      </Form.Item>
      <Form.Item label="操作" name="action">
        <AutoComplete
          options={actionOptions}
          placeholder="操作代码，如 auth.login"
          allowClear
          popupMatchSelectWidth={false}
          filterOption={(input, option) => option?.label.toLowerCase().includes(input.toLowerCase()) ?? false}
          style={{ width: actionWidth }}
        />
      </Form.Item>
      <Form.Item label="用户" name="actor">
        <Input placeholder="用户名" allowClear style={{ width: textWidth }} />
      </Form.Item>
      <Form.Item label="结果" name="outcome">
        <Select options={outcomeOptions} allowClear placeholder="全部" style={{ width: selectWidth }} />
      </Form.Item>
      <Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            查询
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              onSearch({});
            }}
          >
            重置
          </Button>
        </Space>
      </Form.Item>
    </FilterForm>
  );
}
