import { Input, type InputProps } from 'antd';

/** The 6-digit code from an authenticator app. */
export function TotpCodeInput(props: InputProps) {
  return (
    <Input
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={6}
      placeholder="6 位数字"
      size="large"
      {...props}
    />
  );
}

export const totpCodeRules = [
  { required: true, message: '请输入验证码' },
  { pattern: /^\d{6}$/, message: '验证码为 6 位数字' },
];
