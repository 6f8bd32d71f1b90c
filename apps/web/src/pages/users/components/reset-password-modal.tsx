import { Alert, App, Form, Modal } from 'antd';
import { ApiError, describeError } from '../../../api/client.ts';
import { violationsFromDetails } from '../../auth/password-policy.ts';
import { type UserSummary, userService, useUserMutation } from '../service.ts';
import { PasswordField } from './password-field.tsx';

export function ResetPasswordModal({ user, onClose }: { user: UserSummary | null; onClose: () => void }) {
  const [form] = Form.useForm<{ password: string }>();
  const { message } = App.useApp();
  const reset = useUserMutation(
    ({ id, password }: { id: string; password: string }) => userService.resetPassword(id, password),
    true,
  );

  const close = () => {
    form.resetFields();
    reset.reset();
    onClose();
  };

  const passwordError = reset.error instanceof ApiError && reset.error.code === 'auth.weak_password';

  return (
    <Modal
      title={user ? `重置密码：${user.displayName}（${user.username}）` : '重置密码'}
      open={user !== null}
      onCancel={close}
      onOk={() => form.submit()}
      okText="重置"
      confirmLoading={reset.isPending}
      destroyOnHidden
    >
      {reset.error && !passwordError && (
        <Alert type="error" showIcon message={describeError(reset.error)} style={{ marginBottom: 16 }} />
      )}
      <Form
        form={form}
        layout="vertical"
        name="reset-password"
        onFinish={({ password }) => {
          if (!user) return;
          reset.mutate(
            { id: user.id, password },
            {
              onSuccess: () => {
                message.success(`已重置 ${user.displayName} 的密码`);
                close();
              },
              onError: (error) => {
                if (error instanceof ApiError && error.code === 'auth.weak_password') {
                  const violations = violationsFromDetails(error.details);
                  form.setFields([
                    { name: 'password', errors: violations.length ? violations : [error.message] },
                  ]);
                }
              },
            },
          );
        }}
      >
        <PasswordField label="新密码" getUsername={() => user?.username ?? ''} />
      </Form>
    </Modal>
  );
}
