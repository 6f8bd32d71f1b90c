import { Alert, Button, Form } from 'antd';
import { describeError } from '../../../api/client.ts';
import { authService, useLogout, useSessionMutation } from '../service.ts';
import { TotpCodeInput, totpCodeRules } from './totp-code-input.tsx';

/** Second step of sign-in for users with TOTP enabled. */
export function SecondFactorForm({ displayName }: { displayName: string }) {
  const verify = useSessionMutation(authService.verifyTotp, true);
  const logout = useLogout();
  return (
    <Form<{ code: string }>
      layout="vertical"
      requiredMark={false}
      onFinish={(values) => verify.mutate(values.code)}
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        message={`${displayName}，请输入身份验证器中的动态验证码`}
      />
      {verify.error && (
        <Alert type="error" showIcon message={describeError(verify.error)} style={{ marginBottom: 16 }} />
      )}
      <Form.Item label="验证码" name="code" rules={totpCodeRules}>
        <TotpCodeInput autoFocus />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={verify.isPending}>
          验证
        </Button>
      </Form.Item>
      <Form.Item style={{ textAlign: 'center' }}>
        <Button type="link" onClick={() => logout.mutate()} disabled={logout.isPending}>
          使用其他账号登录
        </Button>
      </Form.Item>
    </Form>
  );
}
