import type { AccessTokens, TokenChecks } from '../../core/auth';
import type { AppDeps, AppModule } from '../../core/deps';
import type { AuditService } from '../audit';
import type { UsersService } from '../users';
import { createAuthRouter } from './auth.routes';
import { createAuthService as createService, type AuthService } from './auth.service';
import { createLoginLimits } from './login-limits';

export { DEVICE_ID_HEADER } from './login-limits';
export { STAFF_LOCKOUT } from './login-lockout';
export type { AuthService } from './auth.service';

export interface AuthPorts {
  users: UsersService;
  audit: AuditService;
  /** The app's one AccessTokens (authenticate checks what this service issues) and TokenChecks (logout). */
  accessTokens: AccessTokens;
  tokenChecks: TokenChecks;
}

export function createAuthService(deps: AppDeps, ports: AuthPorts): AuthService {
  return createService({
    clock: deps.clock,
    redis: deps.redis,
    wechat: deps.wechat,
    users: ports.users,
    audit: ports.audit,
    tokens: ports.accessTokens,
    tokenChecks: ports.tokenChecks,
  });
}

/** WeChat and console sign-in, token refresh (rotating) and logout. */
export function createAuthModule(deps: AppDeps, { auth }: { auth: AuthService }): AppModule {
  return { router: createAuthRouter(auth, createLoginLimits(deps.redis, deps.config.rateLimits)) };
}
