import Router from '@koa/router';
import type { Role, ScopeType } from '@shared/roles';
import {
  bindPhoneBodySchema,
  createStaffBodySchema,
  grantRoleBodySchema,
  listUsersQuerySchema,
  meResponseSchema,
  revokeRoleQuerySchema,
  scopeMembersResponseSchema,
  scopeParamsSchema,
  updateMeBodySchema,
  userIdParamsSchema,
  userListResponseSchema,
} from '@shared/schemas/users';
import { actorOf, authorize, currentUser, requireAuth, requireRole } from '../../core/auth';
import { validate } from '../../core/middleware';
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
  const router = new Router();
  const me = ['me'];
  const admin = ['admin'];

  const getMe = validate({}, { summary: '当前用户', tags: me, response: meResponseSchema, access: 'signed_in' });
  router.get('/api/v1/me', requireAuth, getMe, async (ctx) => {
    ctx.body = { user: await service.getView(currentUser(ctx).id) };
  });

  const patchMe = validate(
    { body: updateMeBodySchema },
    { summary: '修改昵称、头像、所在乡镇', tags: me, response: meResponseSchema, access: 'signed_in' },
  );
  router.patch('/api/v1/me', requireAuth, patchMe, async (ctx) => {
    ctx.body = { user: await service.updateOwnProfile(currentUser(ctx).id, patchMe.input(ctx).body) };
  });

  const bindPhone = validate(
    { body: bindPhoneBodySchema },
    { summary: '绑定手机号（getPhoneNumber 的 code）', tags: me, response: meResponseSchema, access: 'signed_in' },
  );
  router.post('/api/v1/me/phone', requireAuth, bindPhone, async (ctx) => {
    ctx.body = { user: await service.bindPhone(currentUser(ctx).id, bindPhone.input(ctx).body.code) };
  });

  const members = validate(
    { params: scopeParamsSchema },
    {
      summary: '某圈子/队伍/商户/部门的成员',
      tags: ['scopes'],
      response: scopeMembersResponseSchema,
      access: { roles: ['circle_leader', 'team_leader', 'merchant_owner', 'department_staff', 'admin'], owner: 'a manager of that scope' },
    },
  );
  router.get('/api/v1/scopes/:scopeType/:scopeId/members', requireAuth, members, async (ctx) => {
    const { scopeType, scopeId } = members.input(ctx).params;
    const scope = { type: scopeType, id: scopeId };
    authorize(currentUser(ctx), { anyOf: SCOPE_MANAGERS[scopeType], scope });
    ctx.body = await service.scopeMembers(scope);
  });

  // ── admin ──
  const list = validate(
    { query: listUsersQuerySchema },
    { summary: '用户列表（管理员）', tags: admin, response: userListResponseSchema, access: { roles: ['admin'] } },
  );
  router.get('/api/v1/admin/users', requireRole('admin'), list, async (ctx) => {
    ctx.body = await service.list(list.input(ctx).query);
  });

  const grant = validate(
    { params: userIdParamsSchema, body: grantRoleBodySchema },
    { summary: '授予角色（管理员）', tags: admin, response: meResponseSchema, access: { roles: ['admin'] } },
  );
  router.post('/api/v1/admin/users/:id/roles', requireRole('admin'), grant, async (ctx) => {
    const { params, body } = grant.input(ctx);
    ctx.body = { user: await service.grantRole(actorOf(ctx), params.id, body) };
  });

  const revoke = validate(
    { params: userIdParamsSchema, query: revokeRoleQuerySchema },
    { summary: '撤销角色（管理员）', tags: admin, response: meResponseSchema, access: { roles: ['admin'] } },
  );
  router.delete('/api/v1/admin/users/:id/roles', requireRole('admin'), revoke, async (ctx) => {
    const { params, query } = revoke.input(ctx);
    const roleGrant =
      query.scopeType && query.scopeId ? { role: query.role, scope: { type: query.scopeType, id: query.scopeId } } : { role: query.role };
    ctx.body = { user: await service.revokeRole(actorOf(ctx), params.id, roleGrant) };
  });

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    const v = validate(
      { params: userIdParamsSchema },
      {
        summary: disabled ? '停用账号（管理员）' : '恢复账号（管理员）',
        tags: admin,
        response: meResponseSchema,
        access: { roles: ['admin'] },
      },
    );
    router.post(`/api/v1/admin/users/:id/${action}`, requireRole('admin'), v, async (ctx) => {
      ctx.body = { user: await service.setDisabled(actorOf(ctx), v.input(ctx).params.id, disabled) };
    });
  }

  const createStaff = validate(
    { body: createStaffBodySchema },
    { summary: '创建工作人员账号（管理员）', tags: admin, response: meResponseSchema, status: 201, access: { roles: ['admin'] } },
  );
  router.post('/api/v1/admin/staff', requireRole('admin'), createStaff, async (ctx) => {
    ctx.status = 201;
    ctx.body = { user: await service.createStaff(actorOf(ctx), createStaff.input(ctx).body) };
  });

  return router;
}
