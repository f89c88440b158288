import type { AppDeps, AppModule } from '../../app';
import { accessTokensFor } from '../../core/auth';
import { createRateLimit } from '../../core/rate-limit';
import { createAuditService } from '../audit';
import { createUsersService } from '../users';
import { createAuthRouter } from './auth.routes';
import { createAuthService as createService, type AuthService } from './auth.service';

export { LOGIN_RATE_LIMITS } from './auth.routes';
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
  return { router: createAuthRouter(service, createRateLimit(deps.redis)), service };
}
