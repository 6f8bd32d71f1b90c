import { Button, Form, Input, Space } from 'antd';
import { FilterForm } from '../../../components/filter-form/index.tsx';
import { RegionPicker } from '../../../components/region-picker/index.tsx';

export interface UserFilterValues {
  regionCode?: string;
  q?: string;
}

export function UserFilters({ onSearch }: { onSearch: (values: UserFilterValues) => void }) {
  const [form] = Form.useForm<UserFilterValues>();
  return (
    <FilterForm<UserFilterValues>
      form={form}
      name="user-filters"
      onFinish={(values) => onSearch({ regionCode: values.regionCode, q: values.q?.trim() || undefined })}
    >
      <Form.Item label="所属区划" name="regionCode" style={{ flex: '1 1 260px' }}>
        <RegionPicker placeholder="全部（本辖区）" />
      </Form.Item>
      <Form.Item label="关键词" name="q" style={{ flex: '1 1 220px' }}>
        <Input placeholder="用户名、姓名" allowClear />
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
