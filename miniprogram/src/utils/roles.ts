import { ROLE_DEFS, type Role, type RoleGrant } from '@shared/roles';

/** The user shape the client needs for gating (a subset of shared UserView). */
export interface RoleHolder {
  roles: readonly RoleGrant[];
  username?: string | null;
}

export function hasRole(user: RoleHolder | null | undefined, ...roles: Role[]): boolean {
  return !!user && user.roles.some((g) => roles.includes(g.role));
}

export interface RoleEntry {
  key: string;
  title: string;
  /** Who sees it. */
  roles: readonly Role[];
  /** Subpackage page it opens. */
  url: string;
}

/**
 * The role-gated entries of 我的. Each opens the feature's subpackage landing page; feature helpers own
 * those pages (see CONTRACTS.md). The staff console landing is ours.
 */
export const ROLE_ENTRIES: readonly RoleEntry[] = [
  { key: 'correspondent', title: '通讯员投稿', roles: ['correspondent'], url: '/subpackages/newsroom/pages/desk/index' },
  { key: 'circle', title: '圈子管理', roles: ['circle_leader'], url: '/subpackages/newsroom/pages/prereview/index' },
  { key: 'team', title: '志愿队管理', roles: ['team_leader'], url: '/subpackages/team/pages/index/index' },
  { key: 'merchant', title: '商户工作台', roles: ['merchant_owner', 'merchant_clerk'], url: '/subpackages/merchant/pages/index/index' },
  { key: 'grid', title: '网格问政', roles: ['grid_leader'], url: '/subpackages/wenzheng/pages/queue/index' },
  { key: 'staff', title: '工作台', roles: ['editor', 'department_staff', 'admin'], url: '/subpackages/staff/pages/home/index' },
];

export function entriesFor(user: RoleHolder | null | undefined): RoleEntry[] {
  return ROLE_ENTRIES.filter((e) => hasRole(user, ...e.roles));
}

/** Chinese labels of the roles a user holds (deduplicated, in ROLE_DEFS order). */
export function roleLabels(user: RoleHolder | null | undefined): string[] {
  if (!user) return [];
  const held = new Set(user.roles.map((g) => g.role));
  return (Object.keys(ROLE_DEFS) as Role[]).filter((r) => held.has(r)).map((r) => ROLE_DEFS[r].label);
}

/** Whether `user` holds `role` granted for exactly this merchant/team/… (scoped roles are always granted with a scope). */
function holdsFor(user: RoleHolder | null | undefined, role: Role, type: 'merchant' | 'team', id: string): boolean {
  return !!user && !!id && user.roles.some((g) => g.role === role && g.scope?.type === type && g.scope.id === id);
}

/** The owner of this shop: may issue coupons and post promotions for it (clerks only redeem). */
export function ownsMerchant(user: RoleHolder | null | undefined, merchantId: string | null | undefined): boolean {
  return holdsFor(user, 'merchant_owner', 'merchant', merchantId ?? '');
}

/** May publish this team's activities: its leaders, and admins (the API lets admins pass every team check). */
export function leadsTeam(user: RoleHolder | null | undefined, teamId: string | null | undefined): boolean {
  return hasRole(user, 'admin') || holdsFor(user, 'team_leader', 'team', teamId ?? '');
}
