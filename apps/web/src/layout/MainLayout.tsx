import {
  ApartmentOutlined,
  DownOutlined,
  KeyOutlined,
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Avatar, Button, Dropdown, Layout, Menu, type MenuProps, Space, Typography } from 'antd';
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useCurrentMe, useLogout } from '../api/auth';
import { isApiError } from '../api/client';
import { usePermissions } from '../lib/access';
import { showError, showSuccess } from '../lib/notify';
import { ChangePasswordModal } from './ChangePasswordModal';
import { LanguageSwitch } from './LanguageSwitch';
import { MENU, menuEntryFor } from './menu';
import { PageSpinner } from './PageSpinner';

const { Header, Sider, Content } = Layout;

export default function MainLayout() {
  const me = useCurrentMe();
  const { t } = useTranslation();
  const { can } = usePermissions();
  const location = useLocation();
  const navigate = useNavigate();
  const logout = useLogout();
  const [collapsed, setCollapsed] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);

  const mustChange = me.user.mustChangePassword;
  const selected = menuEntryFor(location.pathname);

  const menuItems: MenuProps['items'] = MENU.filter(
    (entry) => !entry.permission || can(entry.permission),
  ).map((entry) => ({
    key: entry.key,
    icon: entry.icon,
    label: (
      <Link to={entry.path} data-testid={`menu-${entry.key}`}>
        {t(entry.labelKey)}
      </Link>
    ),
  }));

  const doLogout = () => {
    // The login page forgets the cached data once these pages are gone.
    const leave = () => void navigate('/login', { replace: true });
    logout.mutate(undefined, {
      onSuccess: () => {
        leave();
        showSuccess(t('header.loggedOut'));
      },
      onError: (error) => {
        if (isApiError(error) && error.status === 401) leave();
        else showError(error);
      },
    });
  };

  const userMenu: MenuProps = {
    items: [
      {
        key: 'password',
        icon: <KeyOutlined />,
        label: <span data-testid="change-password">{t('header.changePassword')}</span>,
      },
      { type: 'divider' },
      {
        key: 'logout',
        icon: <LogoutOutlined />,
        danger: true,
        label: <span data-testid="logout">{t('header.logout')}</span>,
      },
    ],
    onClick: ({ key }) => {
      if (key === 'password') setPasswordOpen(true);
      if (key === 'logout') doLogout();
    },
  };

  return (
    <Layout className="app-shell">
      <Sider
        collapsible
        collapsed={collapsed}
        trigger={null}
        width={208}
        breakpoint="lg"
        onBreakpoint={setCollapsed}
        className="app-sider"
      >
        <Link to="/" className="app-logo" title={t('app.title')}>
          <span className="app-logo-mark">{t('app.name').slice(0, 1)}</span>
          {collapsed ? null : <span className="app-logo-text">{t('app.name')}</span>}
        </Link>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected ? [selected.key] : []}
          items={menuItems}
          data-testid="side-menu"
        />
      </Sider>
      <Layout>
        <Header className="app-header">
          <Space size="middle">
            <Button
              type="text"
              aria-label={t('header.toggleMenu')}
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              onClick={() => setCollapsed(!collapsed)}
            />
            <Typography.Text className="scope-label" data-testid="scope-label">
              <ApartmentOutlined />{' '}
              {t('header.scope', { name: me.organisation.name, code: me.organisation.code })}
            </Typography.Text>
          </Space>
          <Space size="middle">
            <LanguageSwitch />
            <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
              <Button type="text" data-testid="user-menu" className="user-menu">
                <Avatar size="small" icon={<UserOutlined />} />
                <span>{me.user.displayName}</span>
                <DownOutlined style={{ fontSize: 10 }} />
              </Button>
            </Dropdown>
          </Space>
        </Header>
        <Content className="app-content">
          {/* Until the password is changed the server refuses everything else: show no page behind the modal. */}
          {mustChange ? null : (
            <Suspense fallback={<PageSpinner />}>
              <Outlet />
            </Suspense>
          )}
        </Content>
      </Layout>
      <ChangePasswordModal
        open={mustChange || passwordOpen}
        forced={mustChange}
        onClose={() => setPasswordOpen(false)}
        onLogout={doLogout}
      />
    </Layout>
  );
}
