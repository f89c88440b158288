import type { Role } from '@shared/roles';
import type { ConsoleTodoCounts } from '@shared/schemas/console';

/** One page of the console: where it lives, who sees it in the menu, which to-do count its badge shows. */
export interface NavPage {
  path: string;
  label: string;
  /** Holders of any of these roles see it; admins see everything. */
  roles: readonly Role[];
  badge?: keyof ConsoleTodoCounts;
}

export interface NavGroup {
  key: string;
  label: string;
  pages: readonly NavPage[];
}

/** The menu. A group with no visible page is hidden; `roles: []` is for admins only. */
export const NAV: readonly NavGroup[] = [
  { key: 'home', label: '工作台', pages: [{ path: '/', label: '工作台', roles: ['editor', 'department_staff', 'admin'] }] },
  {
    key: 'review',
    label: '内容审核',
    pages: [
      { path: '/review/submissions', label: '投稿审核', roles: ['editor'], badge: 'submissions' },
      { path: '/review/comments', label: '评论审核', roles: ['editor'] },
    ],
  },
  {
    key: 'newsroom',
    label: '新闻发布',
    pages: [
      { path: '/newsroom/articles', label: '文章管理', roles: ['editor'] },
      { path: '/newsroom/columns', label: '栏目管理', roles: [] },
    ],
  },
  {
    key: 'wenzheng',
    label: '问政',
    pages: [
      { path: '/wenzheng/triage', label: '问政审核', roles: ['editor'], badge: 'wenzhengTriage' },
      { path: '/wenzheng/desk', label: '部门办理', roles: ['department_staff'], badge: 'wenzhengOverdue' },
      { path: '/wenzheng/settings', label: '问政设置', roles: [] },
    ],
  },
  {
    key: 'applications',
    label: '申请审核',
    pages: [
      { path: '/applications/correspondents', label: '通讯员申请', roles: ['editor'], badge: 'correspondentApplications' },
      { path: '/applications/merchants', label: '商户入驻', roles: ['editor'], badge: 'merchantApplications' },
      { path: '/applications/promotions', label: '商户活动', roles: ['editor'], badge: 'promotions' },
    ],
  },
  {
    key: 'community',
    label: '圈层与志愿',
    pages: [
      { path: '/community/circles', label: '圈层管理', roles: [] },
      { path: '/community/channels', label: '单位分端', roles: [] },
      { path: '/community/teams', label: '志愿团队', roles: [] },
    ],
  },
  {
    key: 'contests',
    label: '比赛活动',
    // Editors see contests and campaigns (their jury, results, pieces); creating, configuring, appointing jurors
    // and launching stay with admins, as the API says, and the pages show those buttons to admins only.
    pages: [
      { path: '/contests/manage', label: '比赛管理', roles: ['editor'] },
      { path: '/contests/review', label: '入围与可疑投票', roles: [] },
      { path: '/contests/campaigns', label: '专题活动', roles: ['editor'] },
    ],
  },
  {
    key: 'coupons',
    label: '消费券',
    // Editors read a batch's figures (GET …/stats); issuing government coupons and the lottery draw are admins'.
    pages: [{ path: '/coupons/batches', label: '消费券批次', roles: ['editor'] }],
  },
  {
    key: 'points',
    label: '积分商城',
    pages: [
      { path: '/points/rules', label: '积分规则', roles: [] },
      { path: '/points/goods', label: '商品管理', roles: [] },
      { path: '/points/redemptions', label: '兑换记录', roles: [] },
    ],
  },
  {
    key: 'stats',
    label: '数据统计',
    // Department staff see their department's 问政 figures (the API scopes them).
    pages: [
      { path: '/stats/dashboard', label: '数据看板', roles: ['editor', 'department_staff'] },
      { path: '/stats/notifications', label: '通知统计', roles: ['editor'] },
    ],
  },
  {
    key: 'system',
    label: '系统管理',
    pages: [
      { path: '/system/users', label: '用户与角色', roles: ['admin'] },
      { path: '/system/audit', label: '审计日志', roles: ['admin'] },
    ],
  },
];

export function canSee(page: NavPage, roles: ReadonlySet<Role>): boolean {
  return roles.has('admin') || page.roles.some((r) => roles.has(r));
}

export function visibleNav(roles: ReadonlySet<Role>): NavGroup[] {
  return NAV.map((g) => ({ ...g, pages: g.pages.filter((p) => canSee(p, roles)) })).filter((g) => g.pages.length > 0);
}

/** The page a path belongs to (the longest matching prefix), for breadcrumbs and the selected menu item. */
export function pageOf(pathname: string): { group: NavGroup; page: NavPage } | null {
  let best: { group: NavGroup; page: NavPage } | null = null;
  for (const group of NAV)
    for (const page of group.pages) {
      const hit = page.path === '/' ? pathname === '/' : pathname === page.path || pathname.startsWith(`${page.path}/`);
      if (hit && (!best || page.path.length > best.page.path.length)) best = { group, page };
    }
  return best;
}
