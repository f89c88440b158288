import type { AppDeps, AppModule } from '../../core/deps';
import { accessTokensFor } from '../../core/auth';
import { createAuditService } from '../audit';
import { createUsersService } from '../users';
import { createAuthRouter } from './auth.routes';
import { createAuthService as createService, type AuthService } from './auth.service';
import { createLoginLimits } from './login-limits';

export { DEVICE_ID_HEADER } from './login-limits';
export { STAFF_LOCKOUT } from './login-lockout';
export type { AuthService } from './auth.service';

export function createAuthService(deps: AppDeps): AuthService {
  return createService({
    clock: deps.clock,
    redis: deps.redis,
    wechat: deps.wechat,
    users: createUsersService(deps),
    audit: createAuditService(deps),
    tokens: accessTokensFor(deps),
  });
}

/** WeChat and console sign-in, token refresh (rotating) and logout. */
export function createAuthModule(deps: AppDeps): AppModule & { service: AuthService } {
  const service = createAuthService(deps);
  return { router: createAuthRouter(service, createLoginLimits(deps.redis, deps.config.rateLimits)), service };
}
