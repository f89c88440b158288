import type { AppDeps, AppModule } from '../../core/deps';
import { createRateLimit } from '../../core/rate-limit';
import { createPointsService } from '../points';
import { createUsersService } from '../users';
import { checkInSecret } from './checkin-code';
import { createVolunteersRouter } from './volunteers.routes';
import { createVolunteersService as createService, type VolunteersService } from './volunteers.service';

export { CHECKIN_PAGE, teamManager, type VolunteersService } from './volunteers.service';
export { dynamicCode, checkInSecret, slotOf } from './checkin-code';

/** The volunteers service built from deps (cheap: the seed and benches call it). Pays through the points ledger. */
export function createVolunteersService(deps: AppDeps): VolunteersService {
  return createService({
    clock: deps.clock,
    checkInSecret: checkInSecret(deps.config.jwtSecret),
    users: createUsersService(deps),
    wechat: deps.wechat,
    points: createPointsService(deps),
    logger: deps.logger,
    publicBaseUrl: () => deps.config.publicBaseUrl,
    waitlistTemplateId: deps.config.templates.volunteerWaitlist,
  });
}

/** Volunteer teams and join requests, activities with sign-up/waitlist, QR check-in/out, roster, confirmation, service record. */
export function createVolunteersModule(deps: AppDeps): AppModule & { service: VolunteersService } {
  const service = createVolunteersService(deps);
  const checkLimit = createRateLimit(deps.redis)({ key: 'volunteer-certificate-check', points: 60, duration: 60, by: 'ip' });
  return { router: createVolunteersRouter(service, checkLimit), service };
}
