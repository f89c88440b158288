import type { Redis } from 'ioredis';
import type { AuthSessionResponse } from '@shared/schemas/auth';
import type { AccessTokens, TokenChecks } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { AppError } from '../../core/errors';
import type { WechatClient } from '../../core/wechat';
import type { AuditService } from '../audit';
import type { UsersService } from '../users';
import { createLoginLockout, type LockoutPolicy } from './login-lockout';
import { createRefreshTokenStore } from './refresh-tokens';

export interface AuthServiceDeps {
  clock: Clock;
  redis: Redis;
  wechat: Pick<WechatClient, 'code2Session'>;
  users: UsersService;
  audit: AuditService;
  tokens: AccessTokens;
  /** Logout denies the access token presented with it (in every process). */
  tokenChecks: Pick<TokenChecks, 'revoke'>;
  lockout?: LockoutPolicy;
}

export type AuthService = ReturnType<typeof createAuthService>;

/** Sign-in (WeChat and console), refresh-token rotation and logout. */
export function createAuthService({ clock, redis, wechat, users, audit, tokens, tokenChecks, lockout: policy }: AuthServiceDeps) {
  const refreshTokens = createRefreshTokenStore(clock);
  const lockout = createLoginLockout(redis, clock, policy);

  async function session(userId: string, refreshToken: string): Promise<AuthSessionResponse> {
    const principal = await users.principal(userId);
    const { accessToken, expiresIn } = tokens.issue(principal);
    return { accessToken, refreshToken, expiresIn, user: principal.view };
  }

  return {
    /**
     * Exchanges a Taro.login code; the first login creates the citizen. `admit` sees the WeChat user
     * before anything is written (the per-user sign-in limit).
     */
    async wechatLogin(code: string, admit?: (openid: string) => Promise<void>): Promise<AuthSessionResponse> {
      const wx = await wechat.code2Session(code);
      await admit?.(wx.openid);
      const user = await users.loginWechatUser(wx);
      if (user.disabledAt) throw new AppError('ACCOUNT_DISABLED');
      const id = user._id.toHexString();
      return session(id, await refreshTokens.issue(id));
    },

    async staffLogin(username: string, password: string, requestId?: string): Promise<AuthSessionResponse> {
      await lockout.assertNotLocked(username);
      const user = await users.checkStaffPassword(username, password);
      if (!user) {
        if (await lockout.recordFailure(username)) {
          await audit.record({ actorId: null, action: 'auth.lockout', target: { type: 'username', id: username }, requestId });
        }
        throw new AppError('INVALID_CREDENTIALS');
      }
      await lockout.reset(username);
      if (user.disabledAt) throw new AppError('ACCOUNT_DISABLED');
      const id = user._id.toHexString();
      await audit.record({ actorId: id, action: 'auth.staff_login', target: { type: 'user', id }, requestId });
      return session(id, await refreshTokens.issue(id));
    },

    /**
     * A staff member's own password change. Wrong current passwords count toward the same lockout as
     * logins (a stolen access token must not become a password oracle). Every session ends, and this
     * device gets a fresh one.
     */
    async changePassword(userId: string, currentPassword: string, newPassword: string, requestId?: string): Promise<AuthSessionResponse> {
      const { username } = await users.getView(userId);
      if (!username) throw new AppError('NOT_A_STAFF_ACCOUNT');
      await lockout.assertNotLocked(username);
      if (!(await users.checkStaffPassword(username, currentPassword))) {
        await lockout.recordFailure(username);
        throw new AppError('CURRENT_PASSWORD_WRONG');
      }
      await lockout.reset(username);
      await users.setPassword({ id: userId, requestId }, userId, newPassword);
      await refreshTokens.revokeAllOf(userId, 'admin');
      await users.retireAccessTokens(userId);
      return session(userId, await refreshTokens.issue(userId));
    },

    /** An admin sets a staff account's password: every session of that account ends, it signs in with the new one. */
    async resetPassword(actor: { id: string; requestId?: string }, userId: string, password: string): Promise<void> {
      // One's own password changes with the current one (changePassword): a stolen admin session must not skip it.
      if (actor.id === userId) throw new AppError('FORBIDDEN', { message: '请用“修改密码”修改自己的密码' });
      await users.setPassword(actor, userId, password, 'user.password_reset');
      await refreshTokens.revokeAllOf(userId, 'admin');
      await users.retireAccessTokens(userId);
      const { username } = await users.getView(userId);
      // A forgotten password is the usual reason: a locked-out account may sign in with the new one at once.
      if (username) await lockout.reset(username);
    },

    /** Rotates the refresh token and issues an access token with the user's current roles. */
    async refresh(refreshToken: string): Promise<AuthSessionResponse> {
      const rotated = await refreshTokens.rotate(refreshToken);
      try {
        return await session(rotated.userId, rotated.token);
      } catch (err) {
        // A disabled (or deleted) account keeps no session alive.
        if (err instanceof AppError && (err.code === 'ACCOUNT_DISABLED' || err.code === 'USER_NOT_FOUND')) {
          await refreshTokens.revokeAllOf(rotated.userId, 'admin');
          throw new AppError('REFRESH_TOKEN_INVALID');
        }
        throw err;
      }
    },

    /** Revokes the login behind `refreshToken` and denies the access token presented with the request. */
    async logout(refreshToken: string, accessToken?: { jti: string; exp: number }): Promise<void> {
      await refreshTokens.revokeFamilyOf(refreshToken, 'logout');
      if (accessToken) await tokenChecks.revoke(accessToken);
    },

    /** Ends every session of a user (admin action, password change). */
    async revokeAllSessions(userId: string): Promise<void> {
      await refreshTokens.revokeAllOf(userId, 'admin');
      await users.retireAccessTokens(userId);
    },
  };
}
