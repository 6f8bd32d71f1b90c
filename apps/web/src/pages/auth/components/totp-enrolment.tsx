import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Flex, Form, QRCode, Steps, Typography } from 'antd';
import { describeError } from '../../../api/client.ts';
import { authService, type Me, useSessionMutation } from '../service.ts';
import { TotpCodeInput, totpCodeRules } from './totp-code-input.tsx';

/** Groups of four characters are easier to type from the screen. */
function formatSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

/** Enrolment: fetch a secret, scan it with an authenticator app, confirm with a first code. */
export function TotpEnrolment({ onEnabled }: { onEnabled: (me: Me) => void }) {
  const start = useMutation({ mutationFn: authService.startTotpEnrolment });
  const confirm = useSessionMutation(authService.confirmTotpEnrolment, true);
  const enrolment = start.data;

  return (
    <Flex vertical gap={16}>
      <Steps
        direction="vertical"
        size="small"
        current={enrolment ? 1 : 0}
        items={[
          {
            title: '安装身份验证器',
            description:
              '在手机上安装支持 TOTP 的身份验证器应用（如腾讯身份验证器、Microsoft Authenticator）。',
          },
          { title: '扫描二维码', description: '用身份验证器扫描下方二维码，或手动输入密钥。' },
          { title: '输入验证码', description: '输入身份验证器显示的 6 位验证码完成绑定。' },
        ]}
      />
      {!enrolment ? (
        <div>
          <Button type="primary" onClick={() => start.mutate()} loading={start.isPending}>
            获取绑定二维码
          </Button>
        </div>
      ) : (
        <>
          <Flex wrap gap={24} align="center">
            <QRCode value={enrolment.otpauthUrl} size={176} bordered aria-label="双因素认证绑定二维码" />
            <Flex vertical gap={4} style={{ minWidth: 0, flex: '1 1 200px' }}>
              <Typography.Text type="secondary">无法扫码时，手动输入密钥：</Typography.Text>
              <Typography.Text code copyable={{ text: enrolment.secret }} style={{ wordBreak: 'break-all' }}>
                {formatSecret(enrolment.secret)}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                类型：基于时间（TOTP），6 位，30 秒
              </Typography.Text>
            </Flex>
          </Flex>
          <Form<{ code: string }>
            layout="vertical"
            requiredMark={false}
            onFinish={(values) => confirm.mutate(values.code, { onSuccess: onEnabled })}
            style={{ maxWidth: 320 }}
          >
            {confirm.error && (
              <Alert
                type="error"
                showIcon
                message={describeError(confirm.error)}
                style={{ marginBottom: 16 }}
              />
            )}
            <Form.Item label="验证码" name="code" rules={totpCodeRules}>
              <TotpCodeInput />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={confirm.isPending}>
                确认启用
              </Button>
            </Form.Item>
          </Form>
        </>
      )}
    </Flex>
  );
}
