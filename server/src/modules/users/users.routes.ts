import type Router from '@koa/router';
import type { Role, ScopeType } from '@shared/roles';
import {
  bindPhoneBodySchema,
  createStaffBodySchema,
  grantRoleBodySchema,
  listUsersQuerySchema,
  meResponseSchema,
  revokeRoleQuerySchema,
  scopeMembersQuerySchema,
  scopeMembersResponseSchema,
  scopeParamsSchema,
  updateMeBodySchema,
  userIdParamsSchema,
  userListResponseSchema,
} from '@shared/schemas/users';
import { actorOf, authorize, currentUser } from '../../core/auth';
import { routes } from '../../core/middleware';
import type { UsersService } from './users.service';

/** Who, besides admins, may see the members of a scope: the role that runs it. */
const SCOPE_MANAGERS: Readonly<Record<ScopeType, readonly Role[]>> = {
  circle: ['circle_leader'],
  team: ['team_leader'],
  merchant: ['merchant_owner'],
  department: ['department_staff'],
  outlet: ['merchant_owner'],
  grid: [],
};

export function createUsersRouter(service: UsersService): Router {
  const me = routes(['me']);
  // The scope and admin routes carry their own tags on the same router, declared in order.
  const scopes = routes(['scopes'], me.router);
  const admin = routes(['admin'], me.router);
  const ADMIN = { roles: ['admin'] } as const;

  me.get('/api/v1/me', { summary: '当前用户', response: meResponseSchema, access: 'signed_in' }, async (_input, ctx) => ({
    user: await service.getView(currentUser(ctx).id),
  }));
  me.patch(
    '/api/v1/me',
    { body: updateMeBodySchema, summary: '修改昵称、头像、所在乡镇', response: meResponseSchema, access: 'signed_in' },
    async ({ body }, ctx) => ({ user: await service.updateOwnProfile(currentUser(ctx).id, body) }),
  );
  me.post(
    '/api/v1/me/phone',
    { body: bindPhoneBodySchema, summary: '绑定手机号（getPhoneNumber 的 code）', response: meResponseSchema, access: 'signed_in' },
    async ({ body }, ctx) => ({ user: await service.bindPhone(currentUser(ctx).id, body.code) }),
  );

  scopes.get(
    '/api/v1/scopes/:scopeType/:scopeId/members',
    {
      params: scopeParamsSchema,
      query: scopeMembersQuerySchema,
      summary: '某圈子/队伍/商户/部门的成员（注册最早的在前；role 只看某角色；游标分页）',
      response: scopeMembersResponseSchema,
      access: { roles: ['circle_leader', 'team_leader', 'merchant_owner', 'department_staff', 'admin'], owner: 'a manager of that scope' },
    },
    ({ params: { scopeType, scopeId }, query }, ctx) => {
      const scope = { type: scopeType, id: scopeId };
      authorize(currentUser(ctx), { anyOf: SCOPE_MANAGERS[scopeType], scope });
      return service.scopeMembers(scope, query);
    },
  );

  // ── admin ──
  admin.get(
    '/api/v1/admin/users',
    { query: listUsersQuerySchema, summary: '用户列表（管理员）', response: userListResponseSchema, access: ADMIN },
    ({ query }) => service.list(query),
  );
  admin.post(
    '/api/v1/admin/users/:id/roles',
    { params: userIdParamsSchema, body: grantRoleBodySchema, summary: '授予角色（管理员）', response: meResponseSchema, access: ADMIN },
    async ({ params, body }, ctx) => ({ user: await service.grantRole(actorOf(ctx), params.id, body) }),
  );
  admin.delete(
    '/api/v1/admin/users/:id/roles',
    { params: userIdParamsSchema, query: revokeRoleQuerySchema, summary: '撤销角色（管理员）', response: meResponseSchema, access: ADMIN },
    async ({ params, query }, ctx) => {
      const roleGrant =
        query.scopeType && query.scopeId ? { role: query.role, scope: { type: query.scopeType, id: query.scopeId } } : { role: query.role };
      return { user: await service.revokeRole(actorOf(ctx), params.id, roleGrant) };
    },
  );
  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    admin.post(
      `/api/v1/admin/users/:id/${action}`,
      {
        params: userIdParamsSchema,
        summary: disabled ? '停用账号（管理员）' : '恢复账号（管理员）',
        response: meResponseSchema,
        access: ADMIN,
      },
      async ({ params }, ctx) => ({ user: await service.setDisabled(actorOf(ctx), params.id, disabled) }),
    );
  }
  admin.post(
    '/api/v1/admin/staff',
    { body: createStaffBodySchema, summary: '创建工作人员账号（管理员）', response: meResponseSchema, status: 201, access: ADMIN },
    async ({ body }, ctx) => ({ user: await service.createStaff(actorOf(ctx), body) }),
  );

  return me.router;
}
