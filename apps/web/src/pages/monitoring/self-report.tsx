import { Alert, Button, Card, Checkbox, Flex, Form, Input, Result, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import { ApiError, describeError } from '../../api/client.ts';
import { platform } from '../../locales/zh-CN/index.ts';
import { type ReportFields, useSelfReportFormQuery, useSubmitSelfReport } from './service.ts';

interface FormValues extends ReportFields {
  website: string;
}

/**
 * 农户自主申报: the page behind the QR code posted in each village. No sign-in; the village comes from
 * the code. A hidden field catches form-filling scripts; the server also times and signs each opening.
 */
export function SelfReportPage() {
  const { token = '' } = useParams();
  const formQuery = useSelfReportFormQuery(token);
  const submit = useSubmitSelfReport();
  const [form] = Form.useForm<FormValues>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  if (formQuery.isPending) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  if (formQuery.isError) {
    return <Result status="warning" title="二维码无效" subTitle={describeError(formQuery.error)} />;
  }
  if (submit.isSuccess) {
    return (
      <Result
        status="success"
        title="已收到您的申报"
        subTitle="村干部会尽快上门了解情况，请保持电话畅通。同一户多次申报会合并处理，无需重复提交。"
      />
    );
  }

  const onFinish = (values: FormValues) => {
    setFieldErrors({});
    submit.mutate(
      { ...values, token, challenge: formQuery.data.challenge, website: values.website ?? '' },
      {
        onError: (error) => {
          if (error instanceof ApiError && error.details?.fields) {
            setFieldErrors(error.details.fields as Record<string, string>);
          }
          // A used or expired challenge: fetch a fresh one so the next tap can succeed.
          if (error instanceof ApiError && error.code === 'monitoring.challenge_failed')
            void formQuery.refetch();
        },
      },
    );
  };
  const fieldError = (name: string) =>
    fieldErrors[name] ? { validateStatus: 'error' as const, help: fieldErrors[name] } : {};

  return (
    <div style={{ maxWidth: 560, margin: '0 auto', padding: 12 }}>
      <Card>
        <Flex vertical gap={4} style={{ marginBottom: 16 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            防返贫监测 · 农户自主申报
          </Typography.Title>
          <Typography.Text type="secondary">{formQuery.data.villageName}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            家里遇到因病、因灾、因意外等困难，收入明显下降或支出明显增加，可以在这里申报，村里会上门核实。
          </Typography.Text>
        </Flex>
        {submit.isError && (
          <Alert type="error" showIcon message={describeError(submit.error)} style={{ marginBottom: 16 }} />
        )}
        <Form<FormValues>
          form={form}
          layout="vertical"
          onFinish={onFinish}
          requiredMark="optional"
          initialValues={{ difficultyTypes: [] }}
        >
          <Form.Item
            label="姓名"
            name="name"
            rules={[{ required: true, message: '请填写姓名' }]}
            {...fieldError('name')}
          >
            <Input autoComplete="name" />
          </Form.Item>
          <Form.Item
            label="身份证号码"
            name="idNumber"
            rules={[{ required: true, message: '请填写身份证号码' }]}
            {...fieldError('idNumber')}
          >
            <Input inputMode="text" maxLength={18} />
          </Form.Item>
          <Form.Item
            label="联系电话"
            name="phone"
            rules={[{ required: true, message: '请填写联系电话' }]}
            {...fieldError('phone')}
          >
            <Input inputMode="tel" maxLength={11} autoComplete="tel" />
          </Form.Item>
          <Form.Item
            label="遇到的困难（可多选）"
            name="difficultyTypes"
            rules={[{ required: true, message: '请选择至少 1 项' }]}
            {...fieldError('difficultyTypes')}
          >
            <Checkbox.Group style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', rowGap: 8 }}>
              {formQuery.data.difficultyTypes.map((option) => (
                <Checkbox key={option.code} value={option.code}>
                  {option.label}
                </Checkbox>
              ))}
            </Checkbox.Group>
          </Form.Item>
          <Form.Item label="情况说明" name="description" {...fieldError('description')}>
            <Input.TextArea
              rows={3}
              maxLength={1000}
              placeholder="简要说明发生了什么、什么时候、花费或损失多少"
            />
          </Form.Item>
          {/* Not for people: hidden from view and from the keyboard; scripts that fill every field fill it. */}
          <div
            aria-hidden="true"
            style={{ position: 'absolute', left: -10_000, width: 1, height: 1, overflow: 'hidden' }}
          >
            <Form.Item label="网站" name="website">
              <Input tabIndex={-1} autoComplete="off" />
            </Form.Item>
          </div>
          <Form.Item
            name="consent"
            valuePropName="checked"
            rules={[
              {
                validator: (_, value) =>
                  value ? Promise.resolve() : Promise.reject(new Error('请勾选同意')),
              },
            ]}
            {...fieldError('consent')}
          >
            <Checkbox>我承诺所填信息真实，并同意有关部门核查我家的收入、财产等信息</Checkbox>
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={submit.isPending}>
            提交申报
          </Button>
        </Form>
      </Card>
      <Typography.Paragraph type="secondary" style={{ textAlign: 'center', fontSize: 12, marginTop: 12 }}>
        {platform.copyright}
      </Typography.Paragraph>
    </div>
  );
}
