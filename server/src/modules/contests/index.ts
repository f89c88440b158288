import type { AppDeps, AppModule } from '../../core/deps';
import type { NotificationsService } from '../notifications';
import type { PointsService } from '../points';
import type { SubmissionsService } from '../submissions';
import type { UsersService } from '../users';
import { createContestsRouter } from './contests.routes';
import { createContestsService as createService, type ContestsService } from './contests.service';

export { roundIndexAt, VOTE_GATE_REBUILD_QUIET_MS, type AwardLedger, type ContestsService } from './contests.service';
export { rankEntries, awardForRank } from './scoring';

/** The contests service (built once, in services.ts; the advance job and the benches use it). */
export function createContestsService(
  deps: AppDeps,
  ports: {
    users: UsersService;
    submissions: SubmissionsService;
    points: PointsService;
    notifications: Pick<NotificationsService, 'raise'>;
  },
): ContestsService {
  return createService({
    clock: deps.clock,
    redis: deps.redis,
    logger: deps.logger.child({ module: 'contests' }),
    users: ports.users,
    submissions: ports.submissions,
    ledger: ports.points,
    notifications: ports.notifications,
  });
}

/** Contests: rounds on a schedule, entries, public voting with limits and flags, jury scores, results and awards. */
export function createContestsModule(_deps: AppDeps, { contests }: { contests: ContestsService }): AppModule {
  return { router: createContestsRouter(contests) };
}
