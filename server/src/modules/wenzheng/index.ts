import type { AppDeps, AppModule } from '../../core/deps';
import { createLocks } from '../../core/locks';
import { createRateLimit } from '../../core/rate-limit';
import type { NotificationsService } from '../notifications';
import type { StorageService } from '../storage';
import { checkContent, refuseRisky } from '../submissions';
import type { UsersService } from '../users';
import { createWenzhengRouter } from './wenzheng.routes';
import { createWenzhengService as createService, type WenzhengService } from './wenzheng.service';

export { DEFAULT_SETTINGS, type WenzhengService } from './wenzheng.service';
export { computeBoard, spellsOf, type BoardEvent } from './boards';
export { addWorkingDays, isWorkingDay, localDate } from './working-days';

/** The 问政 service (built once, in services.ts; the clock job and the seed use it). */
export function createWenzhengService(
  deps: AppDeps,
  ports: { users: UsersService; storage: StorageService; notifications: NotificationsService },
): WenzhengService {
  return createService({
    clock: deps.clock,
    logger: deps.logger.child({ module: 'wenzheng' }),
    wechat: deps.wechat,
    users: ports.users,
    storage: ports.storage,
    safety: { checkContent, refuseRisky },
    notifications: ports.notifications,
    locks: createLocks(deps.redis),
  });
}

/** 问政: citizens ask, editors triage and route, departments answer on a working-day clock, boards rank them. */
export function createWenzhengModule(deps: AppDeps, { wenzheng }: { wenzheng: WenzhengService }): AppModule {
  // Posting is cheap to abuse: 10 cases an hour per person is far beyond honest use.
  const postLimit = createRateLimit(deps.redis)({ key: 'wenzheng-post', points: 10, duration: 3600, by: 'user' });
  return { router: createWenzhengRouter(wenzheng, postLimit) };
}
