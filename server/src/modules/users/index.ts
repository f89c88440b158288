import type { TokenChecks } from '../../core/auth';
import type { AppDeps, AppModule } from '../../core/deps';
import type { AuditService } from '../audit';
import { createUsersRouter } from './users.routes';
import { createUsersService as createService, type UsersService, type UsersServiceDeps } from './users.service';

export { maskPhone, toUserView, type Actor, type Principal, type UsersService } from './users.service';
export type { UserDoc } from './users.model';

/** The users service (built once, in services.ts): role changes go through the app's token checks. */
export function createUsersService(
  deps: AppDeps,
  ports: { audit: AuditService; tokenChecks: TokenChecks; uploads: UsersServiceDeps['uploads'] },
): UsersService {
  return createService({
    clock: deps.clock,
    wechat: deps.wechat,
    audit: ports.audit,
    tokenChecks: ports.tokenChecks,
    uploads: ports.uploads,
  });
}

/** Profiles (/me), phone binding, and the admin side: roles, staff accounts, user list. */
export function createUsersModule(_deps: AppDeps, { users }: { users: UsersService }): AppModule {
  return { router: createUsersRouter(users) };
}
