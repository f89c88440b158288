import { Button, Result } from 'antd';
import { lazy, Suspense, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import type { Role } from '@shared/roles';
import { useSession } from './auth/session';
import { ConsoleLayout } from './layout/console-layout';
import { canSee, pageOf } from './nav';

// One chunk per page: the login page loads neither the tables nor the charts.
const LoginPage = lazy(() => import('./pages/login-page'));
const HomePage = lazy(() => import('./pages/home-page'));
const applications = () => import('./pages/application-pages');
const community = () => import('./pages/community-pages');

/** Every page behind the sign-in, by its path under /console (the menu in nav.ts lists the same paths). */
const PAGES: ReadonlyArray<[string, LazyExoticComponent<ComponentType>]> = [
  ['review/submissions', lazy(() => import('./pages/submissions-page'))],
  ['review/comments', lazy(() => import('./pages/comments-page'))],
  ['newsroom/articles', lazy(() => import('./pages/articles-page'))],
  ['newsroom/columns', lazy(() => import('./pages/columns-page'))],
  ['community/circles', lazy(() => community().then((m) => ({ default: m.CirclesPage })))],
  ['community/channels', lazy(() => import('./pages/channels-page'))],
  ['community/teams', lazy(() => community().then((m) => ({ default: m.VolunteerTeamsPage })))],
  ['contests/review', lazy(() => import('./pages/contests-page'))],
  ['contests/manage', lazy(() => import('./pages/contest-admin-page'))],
  ['contests/campaigns', lazy(() => import('./pages/campaigns-page'))],
  ['coupons/batches', lazy(() => import('./pages/coupon-batches-page'))],
  ['stats/dashboard', lazy(() => import('./pages/dashboard-page'))],
  ['stats/notifications', lazy(() => import('./pages/notifications-page'))],
  ['system/users', lazy(() => import('./pages/users-page'))],
  ['system/audit', lazy(() => import('./pages/audit-page'))],
  ['points/rules', lazy(() => import('./pages/points-rules-page'))],
  ['points/goods', lazy(() => import('./pages/goods-page'))],
  ['points/redemptions', lazy(() => import('./pages/redemptions-page'))],
  ['wenzheng/triage', lazy(() => import('./pages/wenzheng-triage-page'))],
  ['wenzheng/desk', lazy(() => import('./pages/wenzheng-desk-page'))],
  ['wenzheng/settings', lazy(() => import('./pages/wenzheng-settings-page'))],
  ['applications/correspondents', lazy(() => applications().then((m) => ({ default: m.CorrespondentApplicationsPage })))],
  ['applications/merchants', lazy(() => applications().then((m) => ({ default: m.MerchantApplicationsPage })))],
  ['applications/promotions', lazy(() => applications().then((m) => ({ default: m.PromotionsPage })))],
];

/** Signed in, and allowed on this page by the same table the menu uses. */
function Guard({ children }: { children: ReactNode }) {
  const { user, roles } = useSession();
  const location = useLocation();
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  const current = pageOf(location.pathname);
  if (current && !canSee(current.page, roles as ReadonlySet<Role>))
    return <Result status="403" title="没有权限" subTitle="您的角色不能使用此页面；如需开通请联系管理员。" />;
  return <>{children}</>;
}

function NotFound() {
  return <Result status="404" title="页面不存在" extra={<Button href="/console/">回到工作台</Button>} />;
}

export function ConsoleApp() {
  return (
    <Suspense fallback={null}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          element={
            <Guard>
              <ConsoleLayout />
            </Guard>
          }
        >
          <Route index element={<HomePage />} />
          {PAGES.map(([path, Page]) => (
            <Route key={path} path={path} element={<Page />} />
          ))}
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
