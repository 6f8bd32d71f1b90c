import { Card, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { platform } from '../../../locales/zh-CN/index.ts';

/** The centred card of the sign-in screens. */
export function AuthFrame({ children }: { children: ReactNode }) {
  return (
    <div
      className="full-page-center"
      style={{ padding: 16, background: 'linear-gradient(160deg, #e8f1ff 0%, #f5f7fa 55%, #eef3f8 100%)' }}
    >
      <Flex vertical align="center" gap={24} style={{ width: '100%', maxWidth: 400 }}>
        <Flex vertical align="center" gap={4}>
          <Flex align="center" gap={10}>
            <img src="/favicon.svg" alt="" width={40} height={40} />
            <Typography.Title level={2} style={{ margin: 0, letterSpacing: 4 }}>
              {platform.name}
            </Typography.Title>
          </Flex>
          <Typography.Text type="secondary" style={{ fontSize: 15 }}>
            {platform.fullName}
          </Typography.Text>
        </Flex>
        <Card style={{ width: '100%' }} styles={{ body: { padding: '28px 24px 8px' } }}>
          {children}
        </Card>
        <Typography.Text type="secondary" style={{ fontSize: 12, textAlign: 'center' }}>
          请妥善保管账号密码，勿在公共场所或他人设备上保存登录信息
        </Typography.Text>
      </Flex>
    </div>
  );
}
