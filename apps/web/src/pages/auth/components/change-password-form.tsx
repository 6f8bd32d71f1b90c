import { Alert, Button, Form, Input } from 'antd';
import { ApiError, describeError } from '../../../api/client.ts';
import { passwordPolicyRule, violationsFromDetails } from '../password-policy.ts';
import { authService, type Me, useSessionMutation } from '../service.ts';
import { PasswordPolicyHint } from './password-policy-hint.tsx';

interface ChangePasswordValues {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export function ChangePasswordForm({
  username,
  onChanged,
}: {
  username: string;
  onChanged: (me: Me) => void;
}) {
  const [form] = Form.useForm<ChangePasswordValues>();
  const change = useSessionMutation(authService.changePassword, true);

  const onFinish = ({ currentPassword, newPassword }: ChangePasswordValues) =>
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: (me) => {
          form.resetFields();
          onChanged(me);
        },
        onError: (error) => {
          if (!(error instanceof ApiError)) return;
          if (error.code === 'auth.weak_password') {
            const violations = violationsFromDetails(error.details);
            form.setFields([
              { name: 'newPassword', errors: violations.length ? violations : [error.message] },
            ]);
          } else if (error.code === 'auth.invalid_credentials') {
            form.setFields([{ name: 'currentPassword', errors: [error.message] }]);
          }
        },
      },
    );

  const fieldError =
    change.error instanceof ApiError &&
    ['auth.weak_password', 'auth.invalid_credentials'].includes(change.error.code);

  return (
    <Form<ChangePasswordValues> form={form} layout="vertical" requiredMark={false} onFinish={onFinish}>
      {change.error && !fieldError && (
        <Alert type="error" showIcon message={describeError(change.error)} style={{ marginBottom: 16 }} />
      )}
      <Form.Item
        label="当前密码"
        name="currentPassword"
        rules={[{ required: true, message: '请输入当前密码' }]}
      >
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        label="新密码"
        name="newPassword"
        extra={<PasswordPolicyHint />}
        rules={[{ required: true, message: '请输入新密码' }, passwordPolicyRule(() => username)]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        label="确认新密码"
        name="confirmPassword"
        dependencies={['newPassword']}
        rules={[
          { required: true, message: '请再次输入新密码' },
          ({ getFieldValue }) => ({
            validator: async (_rule, value) => {
              if (value && value !== getFieldValue('newPassword')) throw new Error('两次输入的新密码不一致');
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending}>
          修改密码
        </Button>
      </Form.Item>
    </Form>
  );
}
