import { LockOutlined, LogoutOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { type MenuDataItem, ProLayout } from '@ant-design/pro-components';
import { Dropdown, Grid, type MenuProps, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { buildAccess } from '../access.ts';
import { menu, platform } from '../locales/zh-CN/index.ts';
import { useLogout, useMeOrThrow } from '../pages/auth/service.ts';
import { type AppRoute, appRoutes, filterMenuRoutes } from '../routes.tsx';
import { useIdleTimeout } from './use-idle-timeout.ts';

function toMenuData(routes: AppRoute[]): MenuDataItem[] {
  return routes.map((route) => ({
    path: route.path,
    name: route.name,
    icon: route.icon,
    children: route.children ? toMenuData(route.children) : undefined,
  }));
}

function UserMenu() {
  const me = useMeOrThrow();
  const navigate = useNavigate();
  const logout = useLogout();
  const roleNames = me.user.roles.map((role) => role.name).join('、') || '无角色';
  const items: MenuProps['items'] = [
    {
      key: 'scope',
      type: 'group',
      label: (
        <span style={{ whiteSpace: 'normal' }}>
          {me.user.regionFullName}
          <br />
          {roleNames}
        </span>
      ),
    },
    { type: 'divider' },
    { key: '/account/password', icon: <LockOutlined />, label: menu.changePassword },
    { key: '/account/totp', icon: <SafetyOutlined />, label: menu.totp },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: menu.logout, danger: true },
  ];
  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'logout') logout.mutate();
    else navigate(key);
  };
  return (
    <Dropdown menu={{ items, onClick }} trigger={['click']} placement="bottomRight">
      <button
        type="button"
        aria-label="用户菜单"
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 6,
          border: 0,
          background: 'transparent',
          cursor: 'pointer',
          padding: '0 4px',
        }}
      >
        <UserOutlined />
        <span>{me.user.displayName}</span>
      </button>
    </Dropdown>
  );
}

/** Region and roles beside the user's name; hidden on phones where the header is narrow. */
function UserScope() {
  const { user } = useMeOrThrow();
  return (
    <Typography.Text type="secondary" className="hide-on-phone" style={{ fontSize: 13 }}>
      {user.regionName} · {user.roles.map((role) => role.name).join('、') || '无角色'}
    </Typography.Text>
  );
}

// ProLayout shows the menu in a drawer below 768 px; there `collapsed` means the drawer is closed.
const isPhone = () => window.matchMedia('(max-width: 767px)').matches;

export function BasicLayout() {
  const me = useMeOrThrow();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const contentPadding = (screens.md ?? true) ? 24 : 12;
  const [collapsed, setCollapsed] = useState(isPhone);
  useIdleTimeout(me.idleTimeoutMinutes);

  // Close the phone drawer once a menu entry has been followed.
  useEffect(() => {
    if (location.pathname && isPhone()) setCollapsed(true);
  }, [location.pathname]);
  const menuData = useMemo(() => toMenuData(filterMenuRoutes(appRoutes, buildAccess(me.user))), [me.user]);

  return (
    <ProLayout
      title={platform.name}
      logo={<img src="/favicon.svg" alt="" />}
      layout="mix"
      collapsed={collapsed}
      onCollapse={setCollapsed}
      fixSiderbar
      fixedHeader
      locale="zh-CN"
      location={{ pathname: location.pathname }}
      route={{ path: '/', children: menuData }}
      menu={{ locale: false, defaultOpenAll: true }}
      siderWidth={208}
      token={{
        pageContainer: {
          paddingInlinePageContainerContent: contentPadding,
          paddingBlockPageContainerContent: contentPadding,
        },
      }}
      headerTitleRender={(logo) => (
        <Link to="/" style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
          {logo}
          <span style={{ fontSize: 18, fontWeight: 600, color: 'rgba(0,0,0,0.88)' }}>{platform.name}</span>
          <span className="hide-on-phone" style={{ color: 'rgba(0,0,0,0.55)', fontSize: 14 }}>
            {platform.fullName}
          </span>
        </Link>
      )}
      menuItemRender={(item, dom) => (item.path ? <Link to={item.path}>{dom}</Link> : dom)}
      actionsRender={() => [<UserScope key="scope" />, <UserMenu key="user" />]}
      footerRender={() => (
        <div style={{ textAlign: 'center', padding: '16px 0', color: 'rgba(0,0,0,0.35)', fontSize: 12 }}>
          {platform.copyright}
        </div>
      )}
    >
      <Outlet />
    </ProLayout>
  );
}
