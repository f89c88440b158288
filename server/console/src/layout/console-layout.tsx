import {
  AuditOutlined,
  BarChartOutlined,
  DashboardOutlined,
  FileSearchOutlined,
  GiftOutlined,
  HomeOutlined,
  LogoutOutlined,
  MessageOutlined,
  ReadOutlined,
  SettingOutlined,
  SolutionOutlined,
  TeamOutlined,
  TrophyOutlined,
  WalletOutlined,
  ApartmentOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { ROLE_DEFS } from '@shared/roles';
import type { ConsoleTodoResponse } from '@shared/schemas/console';
import { Avatar, Badge, Breadcrumb, Button, Dropdown, Layout, Menu, Space, Spin, Typography, theme, type MenuProps } from 'antd';
import { createContext, Suspense, useContext, useMemo, useState, type ReactNode } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import { useSession } from '../auth/session';
import { useResource, type Resource } from '../hooks/use-resource';
import { pageOf, visibleNav } from '../nav';

const ICONS: Record<string, ReactNode> = {
  '/': <HomeOutlined />,
  '/review/submissions': <FileSearchOutlined />,
  '/system/users': <TeamOutlined />,
  '/system/audit': <AuditOutlined />,
  '/stats/dashboard': <DashboardOutlined />,
};
const GROUP_ICONS: Record<string, ReactNode> = {
  review: <FileSearchOutlined />,
  newsroom: <ReadOutlined />,
  wenzheng: <MessageOutlined />,
  applications: <SolutionOutlined />,
  community: <ApartmentOutlined />,
  contests: <TrophyOutlined />,
  coupons: <WalletOutlined />,
  points: <GiftOutlined />,
  stats: <BarChartOutlined />,
  system: <SettingOutlined />,
};

const TodoContext = createContext<Resource<ConsoleTodoResponse> | null>(null);
/** The to-do counts the shell loaded; a page that changes a queue calls `reload()` so the badges follow. */
export function useTodo(): Resource<ConsoleTodoResponse> {
  const value = useContext(TodoContext);
  if (!value) throw new Error('useTodo outside the console layout');
  return value;
}

export function ConsoleLayout() {
  const { user, roles, logout } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const { token } = theme.useToken();
  const [collapsed, setCollapsed] = useState(() => window.innerWidth < 1200);
  const todo = useResource(() => api<ConsoleTodoResponse>('/console/todo'), [location.pathname]);
  const counts = todo.data?.counts ?? {};
  const nav = useMemo(() => visibleNav(roles), [roles]);
  const current = pageOf(location.pathname);

  const items: MenuProps['items'] = nav.map((group) => {
    const link = (p: (typeof group.pages)[number]) => {
      const n = p.badge ? (counts[p.badge] ?? 0) : 0;
      // Plain text labels (navigation is the menu's onClick): a folded menu's pop-up shows them as they are.
      return {
        key: p.path,
        icon: ICONS[p.path],
        label:
          n > 0 ? (
            <span style={{ display: 'inline-flex', alignItems: 'center', gap: 8 }}>
              {p.label}
              <Badge count={n} overflowCount={999} size="small" />
            </span>
          ) : (
            p.label
          ),
      };
    };
    if (group.key === 'home') return link(group.pages[0]!);
    return { key: group.key, icon: GROUP_ICONS[group.key], label: group.label, children: group.pages.map(link) };
  });

  const roleNames = (user?.roles ?? []).filter((g) => g.role !== 'citizen').map((g) => ROLE_DEFS[g.role].label);
  const crumbs = [{ title: <Link to="/">融媒社区后台</Link> }];
  if (current && current.group.key !== 'home')
    crumbs.push({ title: <span>{current.group.label}</span> }, { title: <span>{current.page.label}</span> });
  else if (current) crumbs.push({ title: <span>工作台</span> });

  return (
    <TodoContext.Provider value={todo}>
      <Layout style={{ minHeight: '100vh' }}>
        {/* Below 1200 px the menu folds to its icons, so a 1024 px screen keeps the tables whole. */}
        <Layout.Sider
          width={220}
          breakpoint="xl"
          collapsedWidth={64}
          collapsed={collapsed}
          onCollapse={setCollapsed}
          theme="dark"
          // A menu taller than the window (an admin sees every group) scrolls inside the sidebar, not the page.
          style={{
            position: 'sticky',
            top: 0,
            height: '100vh',
            overflowY: 'auto',
            scrollbarWidth: 'thin',
            scrollbarColor: 'rgba(255,255,255,0.25) transparent',
          }}
        >
          <div
            style={{
              height: 56,
              display: 'flex',
              alignItems: 'center',
              gap: 10,
              padding: collapsed ? '0 18px' : '0 20px',
              color: '#fff',
              fontWeight: 600,
              fontSize: 16,
              whiteSpace: 'nowrap',
              overflow: 'hidden',
            }}
          >
            <img src="/console/favicon.svg" alt="" width={28} height={28} />
            {!collapsed && <span>融媒社区后台</span>}
          </div>
          <Menu
            // Remounted when folding: unfolded, every group starts open; folded, groups open as pop-ups on hover.
            key={collapsed ? 'folded' : 'open'}
            theme="dark"
            mode="inline"
            selectedKeys={current ? [current.page.path] : []}
            defaultOpenKeys={collapsed ? [] : nav.map((g) => g.key)}
            items={items}
            onClick={({ key }) => navigate(key)}
          />
        </Layout.Sider>
        <Layout>
          <Layout.Header
            style={{
              background: token.colorBgContainer,
              padding: '0 24px',
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'space-between',
              borderBottom: `1px solid ${token.colorBorderSecondary}`,
              height: 56,
              lineHeight: '56px',
            }}
          >
            <Breadcrumb items={crumbs} />
            <Dropdown
              menu={{
                items: [{ key: 'logout', icon: <LogoutOutlined />, label: '退出登录' }],
                onClick: async () => {
                  await logout();
                  navigate('/login', { replace: true });
                },
              }}
            >
              <Button type="text" style={{ height: 44 }} aria-label="当前用户">
                <Space>
                  <Avatar size="small" icon={<UserOutlined />} style={{ background: '#c8161d' }} />
                  <span data-testid="user-name">{user?.nickname}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {roleNames.join('、')}
                  </Typography.Text>
                </Space>
              </Button>
            </Dropdown>
          </Layout.Header>
          <Layout.Content style={{ padding: 24, minWidth: 0 }}>
            <Suspense fallback={<Spin style={{ display: 'block', margin: '80px auto' }} />}>
              <Outlet />
            </Suspense>
          </Layout.Content>
        </Layout>
      </Layout>
    </TodoContext.Provider>
  );
}
