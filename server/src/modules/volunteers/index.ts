import type { AppDeps, AppModule } from '../../core/deps';
import { createRateLimit } from '../../core/rate-limit';
import type { NotificationsService } from '../notifications';
import type { PointsService } from '../points';
import type { UsersService } from '../users';
import { checkInSecret } from './checkin-code';
import { createVolunteersRouter } from './volunteers.routes';
import { createVolunteersService as createService, type VolunteersService } from './volunteers.service';

export { CHECKIN_PAGE, teamManager, type VolunteersService } from './volunteers.service';
export { dynamicCode, checkInSecret, hoursOf, slotOf } from './checkin-code';

/** The volunteers service (built once, in services.ts; the seed and benches use it). Pays through the points ledger. */
export function createVolunteersService(
  deps: AppDeps,
  ports: { users: UsersService; points: PointsService; notifications: NotificationsService },
): VolunteersService {
  return createService({
    clock: deps.clock,
    checkInSecret: checkInSecret(deps.config.jwtSecret),
    users: ports.users,
    wechat: deps.wechat,
    points: ports.points,
    logger: deps.logger,
    publicBaseUrl: () => deps.config.publicBaseUrl,
    notifications: ports.notifications,
  });
}

/** Volunteer teams and join requests, activities with sign-up/waitlist, QR check-in/out, roster, confirmation, service record. */
export function createVolunteersModule(deps: AppDeps, { volunteers }: { volunteers: VolunteersService }): AppModule {
  const checkLimit = createRateLimit(deps.redis)({ key: 'volunteer-certificate-check', points: 60, duration: 60, by: 'ip' });
  return { router: createVolunteersRouter(volunteers, checkLimit) };
}
