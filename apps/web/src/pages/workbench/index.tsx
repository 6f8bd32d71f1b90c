import { EnvironmentOutlined } from '@ant-design/icons';
import { PageContainer } from '@ant-design/pro-components';
import { Breadcrumb, Card, Flex, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { buildAccess } from '../../access.ts';
import { dateTimeFormat } from '../../locales/zh-CN/index.ts';
import { modulesFor } from '../../routes.tsx';
import { type CurrentUser, useMeOrThrow } from '../auth/service.ts';
import { useRegionPathQuery } from '../regions/service.ts';
import { ModuleCards } from './components/module-cards.tsx';
import { ProgressPanel, TodoPanel } from './components/todo-panel.tsx';

function greeting(hour: number): string {
  if (hour < 6) return '夜深了';
  if (hour < 12) return '上午好';
  if (hour < 14) return '中午好';
  if (hour < 18) return '下午好';
  return '晚上好';
}

function LoginHint({ user }: { user: CurrentUser }) {
  const style = { fontSize: 13 };
  if (user.previousLoginAt) {
    return (
      <Typography.Text type="secondary" style={style}>
        上次登录：{dayjs(user.previousLoginAt).format(dateTimeFormat)}
        {user.previousLoginIp ? `（${user.previousLoginIp}）` : ''}
        ，如非本人操作，请立即修改密码并联系管理员。
      </Typography.Text>
    );
  }
  if (!user.lastLoginAt) return null;
  return (
    <Typography.Text type="secondary" style={style}>
      本次登录：{dayjs(user.lastLoginAt).format(dateTimeFormat)}
    </Typography.Text>
  );
}

/** 工作台: who and where the user is, and the modules they may open. Later modules add to-dos here. */
export function WorkbenchPage() {
  const { user } = useMeOrThrow();
  const path = useRegionPathQuery(user.regionCode);
  const access = buildAccess(user);
  const modules = modulesFor(access);
  const pathItems = path.data?.map((region) => ({ key: region.code, title: region.name })) ?? [
    { key: user.regionCode, title: user.regionFullName },
  ];

  return (
    <PageContainer title={false}>
      <Flex vertical gap={16}>
        <Card>
          <Flex vertical gap={8}>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {greeting(dayjs().hour())}，{user.displayName}
            </Typography.Title>
            <Flex align="center" gap={6} wrap>
              <EnvironmentOutlined style={{ color: 'rgba(0,0,0,0.45)' }} />
              <Breadcrumb items={pathItems} />
            </Flex>
            <Space size={[4, 4]} wrap>
              {user.roles.map((role) => (
                <Tag key={role.code} color="blue">
                  {role.name}
                </Tag>
              ))}
              {user.department && <Tag>{user.department}</Tag>}
            </Space>
            <LoginHint user={user} />
            {!user.totpEnabled && (
              <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                建议启用双因素认证以保护账号安全。<Link to="/account/totp">立即启用</Link>
              </Typography.Text>
            )}
          </Flex>
        </Card>
        {access.canReadMonitoring && (
          <TodoPanel showLeads={access.canActOnCases && user.regionLevel === 'village'} />
        )}
        {access.canReadMonitoring &&
          ['county', 'township', 'city', 'province'].includes(user.regionLevel) && <ProgressPanel />}
        <Card title="常用功能">
          <ModuleCards modules={modules} />
        </Card>
      </Flex>
    </PageContainer>
  );
}
