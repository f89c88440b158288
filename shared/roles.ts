import { z } from 'zod';

/** Every role a user may hold. A user holds several at once (a citizen who is also a team's volunteer). */
export const ROLES = [
  'citizen',
  'correspondent',
  'circle_leader',
  'volunteer',
  'team_leader',
  'merchant_owner',
  'merchant_clerk',
  'editor',
  'department_staff',
  'grid_leader',
  'county_leader',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

/** What a scoped role is scoped to: a correspondents' circle, a volunteer team, a merchant, a department… */
export const SCOPE_TYPES = ['circle', 'team', 'merchant', 'department', 'outlet', 'grid'] as const;
export type ScopeType = (typeof SCOPE_TYPES)[number];
export const scopeTypeSchema = z.enum(SCOPE_TYPES);

interface RoleDef {
  /** Chinese name shown in the console and the mini-program. */
  readonly label: string;
  /** Scope types this role may be granted with; empty → never scoped. */
  readonly scopes: readonly ScopeType[];
  /** A grant without a scope would be meaningless (a team leader of no team). */
  readonly scopeRequired: boolean;
  /** Given to every WeChat user at first login, so never granted or revoked by hand. */
  readonly implicit?: boolean;
}

/**
 * The rules for granting each role. An unscoped grant of a role whose scope is optional (a county-wide
 * correspondent or volunteer) counts for every scope of that role.
 */
export const ROLE_DEFS: Readonly<Record<Role, RoleDef>> = {
  citizen: { label: '居民', scopes: [], scopeRequired: false, implicit: true },
  correspondent: { label: '通讯员', scopes: ['circle'], scopeRequired: false },
  circle_leader: { label: '圈长', scopes: ['circle'], scopeRequired: true },
  volunteer: { label: '志愿者', scopes: ['team'], scopeRequired: false },
  team_leader: { label: '志愿队长', scopes: ['team'], scopeRequired: true },
  merchant_owner: { label: '商户负责人', scopes: ['merchant'], scopeRequired: true },
  merchant_clerk: { label: '商户店员', scopes: ['merchant', 'outlet'], scopeRequired: true },
  editor: { label: '编辑', scopes: [], scopeRequired: false },
  department_staff: { label: '部门工作人员', scopes: ['department'], scopeRequired: true },
  /** 网格“三长”: coordinate the 问政 cases an editor routes through their grid. */
  grid_leader: { label: '网格长', scopes: ['grid'], scopeRequired: true },
  /** 县领导: read-only on the 问政 cases the propaganda department copies to them (抄送). */
  county_leader: { label: '县领导', scopes: [], scopeRequired: false },
  admin: { label: '管理员', scopes: [], scopeRequired: false },
};

/** Roles whose holders sign in to the desktop console with a username and password. */
export const STAFF_ROLES = ['editor', 'department_staff', 'merchant_owner', 'merchant_clerk', 'admin'] as const satisfies readonly Role[];

export const scopeSchema = z
  .object({
    type: scopeTypeSchema,
    /** The scoped object's id (a circle's, team's, merchant's… ObjectId or stable code). */
    id: z.string().trim().min(1).max(64),
  })
  .strict();
export type Scope = z.infer<typeof scopeSchema>;

/** One role a user holds, with its scope when it is scoped. */
export const roleGrantSchema = z
  .object({
    role: roleSchema,
    scope: scopeSchema.optional(),
  })
  .strict();
export type RoleGrant = z.infer<typeof roleGrantSchema>;

/** A department's stable code, which is also the id of its `department` scopes (e.g. `zjj` for 县住建局). */
export const DEPARTMENT_CODE = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** Why a grant breaks ROLE_DEFS (for ROLE_NOT_GRANTABLE), or null when it is fine. */
export function roleGrantProblem(grant: RoleGrant): string | null {
  const def = ROLE_DEFS[grant.role];
  if (def.implicit) return `${def.label}角色由系统自动授予`;
  if (!grant.scope) return def.scopeRequired ? `${def.label}角色必须指定范围（${def.scopes.join('/')}）` : null;
  if (!def.scopes.includes(grant.scope.type)) {
    return def.scopes.length === 0 ? `${def.label}角色不能指定范围` : `${def.label}角色的范围只能是 ${def.scopes.join('/')}`;
  }
  if (grant.scope.type === 'department' && !DEPARTMENT_CODE.test(grant.scope.id)) return '部门范围须为部门编码（小写字母、数字和短横线）';
  return null;
}

export function sameGrant(a: RoleGrant, b: RoleGrant): boolean {
  return a.role === b.role && a.scope?.type === b.scope?.type && a.scope?.id === b.scope?.id;
}
