import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input } from 'antd';
import { describeError } from '../../../api/client.ts';
import { authService, useSessionMutation } from '../service.ts';

interface LoginValues {
  username: string;
  password: string;
}

/** Username and password; the session state in the answer decides the next step. */
export function LoginForm({ expired }: { expired: boolean }) {
  const login = useSessionMutation(authService.login, true);
  return (
    <Form<LoginValues> layout="vertical" requiredMark={false} onFinish={(values) => login.mutate(values)}>
      {expired && !login.error && (
        <Alert type="warning" showIcon message="登录已超时，请重新登录" style={{ marginBottom: 16 }} />
      )}
      {login.error && (
        <Alert type="error" showIcon message={describeError(login.error)} style={{ marginBottom: 16 }} />
      )}
      <Form.Item
        label="用户名"
        name="username"
        rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}
      >
        <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
      </Form.Item>
      <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={login.isPending}>
          登录
        </Button>
      </Form.Item>
    </Form>
  );
}
