import { Button, Result } from 'antd';
import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import type { Role } from '@shared/roles';
import { useSession } from './auth/session';
import { ConsoleLayout } from './layout/console-layout';
import { canSee, pageOf } from './nav';

// One chunk per page: the login page loads neither the tables nor the charts.
const LoginPage = lazy(() => import('./pages/login-page'));
const HomePage = lazy(() => import('./pages/home-page'));
const UsersPage = lazy(() => import('./pages/users-page'));
const SubmissionsPage = lazy(() => import('./pages/submissions-page'));
const AuditPage = lazy(() => import('./pages/audit-page'));
const PointsRulesPage = lazy(() => import('./pages/points-rules-page'));
const GoodsPage = lazy(() => import('./pages/goods-page'));
const RedemptionsPage = lazy(() => import('./pages/redemptions-page'));
const WenzhengTriagePage = lazy(() => import('./pages/wenzheng-triage-page'));
const WenzhengSettingsPage = lazy(() => import('./pages/wenzheng-settings-page'));
const CorrespondentApplicationsPage = lazy(() =>
  import('./pages/application-pages').then((m) => ({ default: m.CorrespondentApplicationsPage })),
);
const MerchantApplicationsPage = lazy(() => import('./pages/application-pages').then((m) => ({ default: m.MerchantApplicationsPage })));
const PromotionsPage = lazy(() => import('./pages/application-pages').then((m) => ({ default: m.PromotionsPage })));
const DashboardPage = lazy(() => import('./pages/dashboard-page'));

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
          <Route path="review/submissions" element={<SubmissionsPage />} />
          <Route path="stats/dashboard" element={<DashboardPage />} />
          <Route path="system/users" element={<UsersPage />} />
          <Route path="system/audit" element={<AuditPage />} />
          <Route path="points/rules" element={<PointsRulesPage />} />
          <Route path="points/goods" element={<GoodsPage />} />
          <Route path="points/redemptions" element={<RedemptionsPage />} />
          <Route path="wenzheng/triage" element={<WenzhengTriagePage />} />
          <Route path="wenzheng/settings" element={<WenzhengSettingsPage />} />
          <Route path="applications/correspondents" element={<CorrespondentApplicationsPage />} />
          <Route path="applications/merchants" element={<MerchantApplicationsPage />} />
          <Route path="applications/promotions" element={<PromotionsPage />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
