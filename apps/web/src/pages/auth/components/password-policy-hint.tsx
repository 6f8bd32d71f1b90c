import { Typography } from 'antd';
import { passwordPolicyText } from '../password-policy.ts';

export function PasswordPolicyHint() {
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
      密码要求：{passwordPolicyText}
    </Typography.Text>
  );
}
