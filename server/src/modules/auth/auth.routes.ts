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
import { isAppError } from '../../core/errors';
import { validate } from '../../core/middleware';
import type { RateLimitRule } from '../../core/rate-limit';
import type { Middleware } from 'koa';
import type { AuthService } from './auth.service';

/** Login budgets per client IP: generous for a county office behind one NAT, tight for a guessing script. */
export const LOGIN_RATE_LIMITS = {
  wechat: { key: 'login-wechat', points: 30, duration: 60, by: 'ip' },
  staff: { key: 'login-staff', points: 20, duration: 60, by: 'ip' },
  refresh: { key: 'auth-refresh', points: 60, duration: 60, by: 'ip' },
} as const satisfies Record<string, RateLimitRule>;

export function createAuthRouter(service: AuthService, limit: (rule: RateLimitRule) => Middleware): Router {
  const router = new Router();
  const tags = ['auth'];

  const wechatLogin = validate(
    { body: wechatLoginBodySchema },
    { summary: '微信登录（Taro.login 的 code）', tags, response: authSessionResponseSchema, access: 'public' },
  );
  router.post('/api/v1/auth/wechat-login', limit(LOGIN_RATE_LIMITS.wechat), wechatLogin, async (ctx) => {
    ctx.body = await service.wechatLogin(wechatLogin.input(ctx).body.code);
  });

  const staffLogin = validate(
    { body: staffLoginBodySchema },
    { summary: '工作人员账号登录（后台）', tags, response: authSessionResponseSchema, access: 'public' },
  );
  router.post('/api/v1/auth/staff-login', limit(LOGIN_RATE_LIMITS.staff), staffLogin, async (ctx) => {
    const { username, password } = staffLogin.input(ctx).body;
    try {
      ctx.body = await service.staffLogin(username, password, ctx.state.requestId as string | undefined);
    } catch (err) {
      // Like the route rate limit: tell clients (and proxies) when trying again makes sense.
      if (isAppError(err) && err.code === 'ACCOUNT_LOCKED') {
        ctx.set('Retry-After', String((err.details as { retryAfterSeconds: number }).retryAfterSeconds));
      }
      throw err;
    }
  });

  const refresh = validate(
    { body: refreshBodySchema },
    { summary: '刷新登录凭证（轮换刷新令牌）', tags, response: authSessionResponseSchema, access: 'public' },
  );
  router.post('/api/v1/auth/refresh', limit(LOGIN_RATE_LIMITS.refresh), refresh, async (ctx) => {
    ctx.body = await service.refresh(refresh.input(ctx).body.refreshToken);
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
  router.post('/api/v1/auth/password', requireAuth, limit(LOGIN_RATE_LIMITS.staff), changePassword, async (ctx) => {
    const { currentPassword, newPassword } = changePassword.input(ctx).body;
    ctx.body = await service.changePassword(currentUser(ctx).id, currentPassword, newPassword, ctx.state.requestId as string | undefined);
  });

  return router;
}
