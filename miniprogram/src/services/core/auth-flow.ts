import type { AuthSessionResponse } from '@shared/schemas/auth';
import type { ApiClient, Session } from './api-client';
import type { TokenStore } from './token-store';

export const AUTH_PATHS = {
  wechatLogin: '/api/v1/auth/wechat-login',
  staffLogin: '/api/v1/auth/staff-login',
  logout: '/api/v1/auth/logout',
} as const;

export interface AuthFlowDeps {
  api: ApiClient;
  tokens: TokenStore;
  /**
   * A one-time WeChat login code, or null when this platform has none. WeChat: Taro.login. H5 in dev: a
   * code minted at the WeChat fake. H5 in production: null (citizens use the mini-program).
   */
  getLoginCode: () => Promise<string | null>;
}

export interface AuthFlow {
  /** Logs in silently when there is no session; true when a session exists afterwards. */
  ensureLoggedIn(): Promise<boolean>;
  /** A fresh WeChat login (silent). Null when no code can be had. */
  citizenLogin(): Promise<AuthSessionResponse | null>;
  staffLogin(username: string, password: string): Promise<AuthSessionResponse>;
  /** For the API client after a failed refresh: WeChat users log in again silently, staff cannot. */
  relogin(): Promise<Session | null>;
  logout(): Promise<void>;
}

export function createAuthFlow(deps: AuthFlowDeps): AuthFlow {
  let pending: Promise<AuthSessionResponse | null> | null = null;

  function citizenLogin(): Promise<AuthSessionResponse | null> {
    // Launch, the first page and a 401 may all ask at once: one code, one login.
    pending ??= (async () => {
      const code = await deps.getLoginCode();
      if (!code) return null;
      const session = await deps.api.post<AuthSessionResponse>(AUTH_PATHS.wechatLogin, { code }, { anonymous: true, silent: true });
      deps.tokens.set(session);
      return session;
    })().finally(() => {
      pending = null;
    });
    return pending;
  }

  return {
    citizenLogin,
    async ensureLoggedIn() {
      if (deps.tokens.get()) return true;
      try {
        return (await citizenLogin()) !== null;
      } catch {
        return false;
      }
    },
    async staffLogin(username, password) {
      const session = await deps.api.post<AuthSessionResponse>(
        AUTH_PATHS.staffLogin,
        { username, password },
        { anonymous: true, silent: true },
      );
      deps.tokens.set(session);
      return session;
    },
    async relogin() {
      const user = deps.tokens.get()?.user as { username?: string | null } | undefined;
      // A staff session ends at the password form, never silently as a WeChat citizen.
      if (user?.username) return null;
      try {
        return await citizenLogin();
      } catch {
        return null;
      }
    },
    async logout() {
      const refreshToken = deps.tokens.get()?.refreshToken;
      deps.tokens.clear();
      if (refreshToken) {
        await deps.api.post(AUTH_PATHS.logout, { refreshToken }, { anonymous: true, silent: true }).catch(() => undefined);
      }
    },
  };
}
