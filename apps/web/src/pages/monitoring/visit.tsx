import { PageContainer } from '@ant-design/pro-components';
import { Alert, Button, Card, Checkbox, Form, Input, Result } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError, describeError } from '../../api/client.ts';
import { RegionPicker } from '../../components/region-picker/index.tsx';
import { useMeOrThrow } from '../auth/service.ts';
import { riskTypeOptions } from './labels.ts';
import { type ReportFields, useRecordVisit } from './service.ts';

/** 走访登记: a cadre records a household found in trouble on a visit; it becomes (or joins) a lead. */
export function VisitPage() {
  const { user } = useMeOrThrow();
  const visit = useRecordVisit();
  const [form] = Form.useForm<ReportFields & { villageCode?: string }>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const fieldError = (name: string) =>
    fieldErrors[name] ? { validateStatus: 'error' as const, help: fieldErrors[name] } : {};

  if (visit.isSuccess) {
    return (
      <PageContainer title="走访登记">
        <Card>
          <Result
            status="success"
            title="线索已登记"
            subTitle={
              visit.data.reportCount > 1
                ? `该户已有未处理的线索，本次走访已合并（共 ${visit.data.reportCount} 次上报）`
                : '可在线索列表中启动识别'
            }
            extra={[
              <Button
                key="again"
                onClick={() => {
                  visit.reset();
                  form.resetFields();
                }}
              >
                继续登记
              </Button>,
              <Link key="leads" to="/monitoring/leads">
                <Button type="primary">查看线索</Button>
              </Link>,
            ]}
          />
        </Card>
      </PageContainer>
    );
  }

  return (
    <PageContainer title="走访登记">
      <Card>
        {visit.isError && (
          <Alert type="error" showIcon message={describeError(visit.error)} style={{ marginBottom: 16 }} />
        )}
        <Form
          form={form}
          layout="vertical"
          style={{ maxWidth: 560 }}
          initialValues={{ difficultyTypes: [], consent: false }}
          onFinish={(values) => {
            setFieldErrors({});
            visit.mutate(values, {
              onError: (error) => {
                if (error instanceof ApiError && error.details?.fields)
                  setFieldErrors(error.details.fields as Record<string, string>);
              },
            });
          }}
        >
          {user.regionLevel !== 'village' && (
            <Form.Item
              label="村"
              name="villageCode"
              rules={[{ required: true, message: '请选择村' }]}
              {...fieldError('villageCode')}
            >
              <RegionPicker placeholder="选择或搜索村" />
            </Form.Item>
          )}
          <Form.Item
            label="姓名"
            name="name"
            rules={[{ required: true, message: '请填写姓名' }]}
            {...fieldError('name')}
          >
            <Input />
          </Form.Item>
          <Form.Item
            label="身份证号码"
            name="idNumber"
            rules={[{ required: true, message: '请填写身份证号码' }]}
            {...fieldError('idNumber')}
          >
            <Input maxLength={22} />
          </Form.Item>
          <Form.Item label="联系电话" name="phone" {...fieldError('phone')}>
            <Input inputMode="tel" maxLength={11} />
          </Form.Item>
          <Form.Item
            label="风险类型（可多选）"
            name="difficultyTypes"
            rules={[{ required: true, message: '请选择至少 1 项' }]}
            {...fieldError('difficultyTypes')}
          >
            <Checkbox.Group
              options={riskTypeOptions}
              style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', rowGap: 8 }}
            />
          </Form.Item>
          <Form.Item label="走访情况" name="description" {...fieldError('description')}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
          <Form.Item
            name="consent"
            valuePropName="checked"
            rules={[
              {
                validator: (_, value) =>
                  value ? Promise.resolve() : Promise.reject(new Error('请确认农户已同意')),
              },
            ]}
            {...fieldError('consent')}
          >
            <Checkbox>农户已同意核查家庭信息</Checkbox>
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={visit.isPending}>
            登记线索
          </Button>
        </Form>
      </Card>
    </PageContainer>
  );
}
