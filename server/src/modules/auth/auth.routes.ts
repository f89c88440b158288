import type Router from '@koa/router';
import {
  authSessionResponseSchema,
  changePasswordBodySchema,
  resetPasswordBodySchema,
  logoutBodySchema,
  refreshBodySchema,
  staffLoginBodySchema,
  wechatLoginBodySchema,
} from '@shared/schemas/auth';
import { userIdParamsSchema } from '@shared/schemas/users';
import { actorOf, currentUser, optionalUser } from '../../core/auth';
import { routes } from '../../core/middleware';
import type { AuthService } from './auth.service';
import { deviceIdOf, type LoginLimits } from './login-limits';

export function createAuthRouter(service: AuthService, limits: LoginLimits): Router {
  const api = routes(['auth']);

  api.post(
    '/api/v1/auth/wechat-login',
    { body: wechatLoginBodySchema, summary: '微信登录（Taro.login 的 code）', response: authSessionResponseSchema, access: 'public' },
    async ({ body: { code } }, ctx) => {
      await limits.wechatLogin(code, deviceIdOf(ctx), ctx.ip);
      return service.wechatLogin(code, limits.wechatUser);
    },
  );
  api.post(
    '/api/v1/auth/staff-login',
    { body: staffLoginBodySchema, summary: '工作人员账号登录（后台）', response: authSessionResponseSchema, access: 'public' },
    async ({ body: { username, password } }, ctx) => {
      await limits.staffLogin(deviceIdOf(ctx), ctx.ip);
      // ACCOUNT_LOCKED carries retryAfterSeconds: the app's retryAfterHeader() turns it into Retry-After.
      return service.staffLogin(username, password, ctx.state.requestId as string | undefined);
    },
  );
  api.post(
    '/api/v1/auth/refresh',
    { body: refreshBodySchema, summary: '刷新登录凭证（轮换刷新令牌）', response: authSessionResponseSchema, access: 'public' },
    async ({ body: { refreshToken } }, ctx) => {
      await limits.refresh(refreshToken, deviceIdOf(ctx), ctx.ip);
      return service.refresh(refreshToken);
    },
  );
  api.post(
    '/api/v1/auth/logout',
    { body: logoutBodySchema, summary: '退出登录（作废该登录的全部刷新令牌，以及随请求带来的访问令牌）', status: 204, access: 'public' },
    async ({ body }, ctx) => {
      // The access token sent along (if any) dies now too, not at its expiry.
      const user = optionalUser(ctx);
      await service.logout(body.refreshToken, user ? { jti: user.tokenId, exp: user.tokenExp } : undefined);
      ctx.status = 204;
      return undefined;
    },
  );
  api.post(
    '/api/v1/auth/password',
    {
      body: changePasswordBodySchema,
      summary: '修改密码（后台账号；其他登录全部失效）',
      response: authSessionResponseSchema,
      access: 'signed_in',
    },
    ({ body: { currentPassword, newPassword } }, ctx) =>
      service.changePassword(currentUser(ctx).id, currentPassword, newPassword, ctx.state.requestId as string | undefined),
  );

  // Here, not in users: ending the account's sessions is this module's business.
  const admin = routes(['admin'], api.router);
  admin.post(
    '/api/v1/admin/users/:id/password',
    {
      params: userIdParamsSchema,
      body: resetPasswordBodySchema,
      summary: '重置工作人员密码（管理员；该账号的登录全部失效）',
      status: 204,
      access: { roles: ['admin'] },
    },
    async ({ params, body }, ctx) => {
      await service.resetPassword(actorOf(ctx), params.id, body.password);
      ctx.status = 204;
      return undefined;
    },
  );

  return api.router;
}
