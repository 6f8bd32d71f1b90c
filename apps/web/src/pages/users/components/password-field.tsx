import { Form, Input } from 'antd';
import { PasswordPolicyHint } from '../../auth/components/password-policy-hint.tsx';
import { passwordPolicyRule } from '../../auth/password-policy.ts';

/** A password an administrator sets for someone else, checked against the policy. */
export function PasswordField({ label, getUsername }: { label: string; getUsername: () => string }) {
  return (
    <Form.Item
      label={label}
      name="password"
      extra={
        <>
          <PasswordPolicyHint />
          <div style={{ fontSize: 12 }}>用户下次登录时须修改此密码。</div>
        </>
      }
      rules={[{ required: true, message: `请输入${label}` }, passwordPolicyRule(getUsername)]}
    >
      <Input.Password autoComplete="new-password" />
    </Form.Item>
  );
}
