import Router from '@koa/router';
import {
  authSessionResponseSchema,
  changePasswordBodySchema,
  logoutBodySchema,
  refreshBodySchema,
  staffLoginBodySchema,
  wechatLoginBodySchema,
} from '@shared/schemas/auth';
import { currentUser, optionalUser, requireAuth } from '../../core/auth';
import { validate } from '../../core/middleware';
import type { AuthService } from './auth.service';
import { deviceIdOf, type LoginLimits } from './login-limits';

export function createAuthRouter(service: AuthService, limits: LoginLimits): Router {
  const router = new Router();
  const tags = ['auth'];

  const wechatLogin = validate(
    { body: wechatLoginBodySchema },
    { summary: '微信登录（Taro.login 的 code）', tags, response: authSessionResponseSchema, access: 'public' },
  );
  router.post('/api/v1/auth/wechat-login', wechatLogin, async (ctx) => {
    const { code } = wechatLogin.input(ctx).body;
    await limits.wechatLogin(code, deviceIdOf(ctx), ctx.ip);
    ctx.body = await service.wechatLogin(code, limits.wechatUser);
  });

  const staffLogin = validate(
    { body: staffLoginBodySchema },
    { summary: '工作人员账号登录（后台）', tags, response: authSessionResponseSchema, access: 'public' },
  );
  router.post('/api/v1/auth/staff-login', staffLogin, async (ctx) => {
    const { username, password } = staffLogin.input(ctx).body;
    await limits.staffLogin(deviceIdOf(ctx), ctx.ip);
    // ACCOUNT_LOCKED carries retryAfterSeconds: the app's retryAfterHeader() turns it into Retry-After.
    ctx.body = await service.staffLogin(username, password, ctx.state.requestId as string | undefined);
  });

  const refresh = validate(
    { body: refreshBodySchema },
    { summary: '刷新登录凭证（轮换刷新令牌）', tags, response: authSessionResponseSchema, access: 'public' },
  );
  router.post('/api/v1/auth/refresh', refresh, async (ctx) => {
    const { refreshToken } = refresh.input(ctx).body;
    await limits.refresh(refreshToken, deviceIdOf(ctx), ctx.ip);
    ctx.body = await service.refresh(refreshToken);
  });

  const logout = validate(
    { body: logoutBodySchema },
    { summary: '退出登录（作废该登录的全部刷新令牌，以及随请求带来的访问令牌）', tags, status: 204, access: 'public' },
  );
  router.post('/api/v1/auth/logout', logout, async (ctx) => {
    // The access token sent along (if any) dies now too, not at its expiry.
    const user = optionalUser(ctx);
    await service.logout(logout.input(ctx).body.refreshToken, user ? { jti: user.tokenId, exp: user.tokenExp } : undefined);
    ctx.status = 204;
  });

  const changePassword = validate(
    { body: changePasswordBodySchema },
    { summary: '修改密码（后台账号；其他登录全部失效）', tags, response: authSessionResponseSchema, access: 'signed_in' },
  );
  router.post('/api/v1/auth/password', requireAuth, changePassword, async (ctx) => {
    const { currentPassword, newPassword } = changePassword.input(ctx).body;
    ctx.body = await service.changePassword(currentUser(ctx).id, currentPassword, newPassword, ctx.state.requestId as string | undefined);
  });

  return router;
}
