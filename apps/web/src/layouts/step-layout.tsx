import { LogoutOutlined } from '@ant-design/icons';
import { Button, Flex, Typography } from 'antd';
import { Outlet } from 'react-router';
import { platform } from '../locales/zh-CN/index.ts';
import { useLogout } from '../pages/auth/service.ts';

/** The bare frame for forced account steps, before the user may open the rest of the app. */
export function StepLayout() {
  const logout = useLogout();
  return (
    <div style={{ minHeight: '100vh' }}>
      <Flex
        align="center"
        justify="space-between"
        style={{ padding: '12px 16px', background: '#fff', borderBottom: '1px solid #f0f0f0' }}
      >
        <Flex align="center" gap={8}>
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <Typography.Text strong style={{ fontSize: 16 }}>
            {platform.name}
          </Typography.Text>
          <Typography.Text type="secondary" className="hide-on-phone">
            {platform.fullName}
          </Typography.Text>
        </Flex>
        <Button icon={<LogoutOutlined />} onClick={() => logout.mutate()} loading={logout.isPending}>
          退出登录
        </Button>
      </Flex>
      <div style={{ maxWidth: 640, margin: '0 auto', padding: '24px 16px' }}>
        <Outlet />
      </div>
    </div>
  );
}
