import type { Middleware } from 'koa';
import type { Role, RoleGrant, Scope } from '@shared/roles';
import { AppError } from '../errors';
import { currentUser } from './authenticate';

/** Anything carrying roles: the AuthUser on ctx.state, or a user loaded by a service. */
export interface RoleHolder {
  id: string;
  roles: readonly RoleGrant[];
}

/**
 * What an action needs. `role` or `anyOf` names the roles that may do it; `scope` narrows them to one
 * circle/team/merchant/department. Without `scope`, a grant of the role in any scope counts.
 */
export interface Requirement {
  role?: Role;
  anyOf?: readonly Role[];
  scope?: Scope;
  /**
   * Admins pass every check by default (they run the platform and fix what others can't). Set false
   * for the rare action that must be done by the role itself, e.g. a merchant's clerk redeeming a coupon.
   */
  adminOverride?: boolean;
}

function grantMatches(grant: RoleGrant, roles: readonly Role[], scope: Scope | undefined): boolean {
  if (!roles.includes(grant.role)) return false;
  if (!scope) return true;
  // An unscoped grant of a scopable role (a county-wide correspondent) covers every scope.
  if (!grant.scope) return true;
  return grant.scope.type === scope.type && grant.scope.id === scope.id;
}

/** Whether `user` meets `req`. Pure: use it to decide what to show; use `authorize` to refuse. */
export function can(user: RoleHolder | null | undefined, req: Requirement): boolean {
  if (!user) return false;
  if (req.adminOverride !== false && user.roles.some((g) => g.role === 'admin')) return true;
  const roles = req.anyOf ?? (req.role ? [req.role] : []);
  return user.roles.some((g) => grantMatches(g, roles, req.scope));
}

/**
 * THE authorization check: throws AUTH_REQUIRED without a user and FORBIDDEN when the user lacks the
 * role (in the scope). Every module uses this (or the middleware/ownership helpers below), never its own.
 *
 *   authorize(currentUser(ctx), { role: 'team_leader', scope: { type: 'team', id: teamId } });
 */
export function authorize(user: RoleHolder | null | undefined, req: Requirement): asserts user is RoleHolder {
  if (!user) throw new AppError('AUTH_REQUIRED');
  if (!can(user, req)) throw new AppError('FORBIDDEN');
}

/** Route middleware: signed in and holding one of `roles` (any scope; check scope in the handler). */
export function requireRole(...roles: Role[]): Middleware {
  return async (ctx, next) => {
    authorize(currentUser(ctx), { anyOf: roles });
    await next();
  };
}

/**
 * Ownership: passes when `user` owns the resource, or meets `orRequirement` (e.g. an editor may edit any
 * article), or is an admin (unless `orRequirement.adminOverride === false`). Throws FORBIDDEN otherwise.
 * Compare ids as strings: ObjectIds and strings both work.
 */
export function assertOwner(
  user: RoleHolder | null | undefined,
  ownerId: { toString(): string } | null | undefined,
  orRequirement?: Requirement,
): asserts user is RoleHolder {
  if (!user) throw new AppError('AUTH_REQUIRED');
  if (ownerId != null && ownerId.toString() === user.id) return;
  const fallback: Requirement = orRequirement ?? { anyOf: [] };
  if (can(user, fallback)) return;
  throw new AppError('FORBIDDEN');
}
