import { Alert, Button, Form, Result } from 'antd';
import { describeError } from '../../../api/client.ts';
import { authService, type Me, useSessionMutation } from '../service.ts';
import { TotpCodeInput, totpCodeRules } from './totp-code-input.tsx';

export function TotpDisable({ onDisabled }: { onDisabled: (me: Me) => void }) {
  const disable = useSessionMutation(authService.disableTotp, true);
  return (
    <>
      <Result
        status="success"
        title="双因素认证已启用"
        subTitle="登录时除密码外，还需输入身份验证器中的动态验证码。"
        style={{ padding: '16px 0' }}
      />
      <Form<{ code: string }>
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => disable.mutate(values.code, { onSuccess: onDisabled })}
        style={{ maxWidth: 320 }}
      >
        {disable.error && (
          <Alert type="error" showIcon message={describeError(disable.error)} style={{ marginBottom: 16 }} />
        )}
        <Form.Item label="验证码" name="code" rules={totpCodeRules} extra="停用前请输入当前的动态验证码">
          <TotpCodeInput size="middle" />
        </Form.Item>
        <Form.Item>
          <Button danger htmlType="submit" loading={disable.isPending}>
            停用双因素认证
          </Button>
        </Form.Item>
      </Form>
    </>
  );
}
