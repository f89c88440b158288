import type { AppDeps, AppModule } from '../../core/deps';
import { createAuditService } from '../audit';
import { createUsersRouter } from './users.routes';
import { createUsersService as createService, type UsersService } from './users.service';

export { maskPhone, toUserView, type Actor, type Principal, type UsersService } from './users.service';
export type { UserDoc } from './users.model';

/** The users service built from the app's deps (cheap: other modules and jobs call it freely). */
export function createUsersService(deps: AppDeps): UsersService {
  return createService({ clock: deps.clock, redis: deps.redis, wechat: deps.wechat, audit: createAuditService(deps) });
}

/** Profiles (/me), phone binding, and the admin side: roles, staff accounts, user list. */
export function createUsersModule(deps: AppDeps): AppModule & { service: UsersService } {
  const service = createUsersService(deps);
  return { router: createUsersRouter(service), service };
}
