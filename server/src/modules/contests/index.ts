import type { AppDeps, AppModule } from '../../core/deps';
import { createPointsService } from '../points';
import { createSubmissionsService } from '../submissions';
import { createUsersService } from '../users';
import { createContestsRouter } from './contests.routes';
import { createContestsService as createService, type ContestsService } from './contests.service';

export { roundIndexAt, shanghaiDay, VOTE_GATE_REBUILD_QUIET_MS, type AwardLedger, type ContestsService } from './contests.service';
export { rankEntries, awardForRank } from './scoring';

// One service per deps, so the app, its jobs and shutdown share the service that owns the vote writer
// (until the composition root builds each service once).
const built = new WeakMap<AppDeps, ContestsService>();

/** The contests service of these deps, built on first call (the advance job and the bench call it). */
export function createContestsService(deps: AppDeps): ContestsService {
  let service = built.get(deps);
  if (!service) built.set(deps, (service = buildService(deps)));
  return service;
}

function buildService(deps: AppDeps): ContestsService {
  return createService({
    clock: deps.clock,
    redis: deps.redis,
    logger: deps.logger.child({ module: 'contests' }),
    users: createUsersService(deps),
    submissions: createSubmissionsService(deps),
    ledger: createPointsService(deps),
  });
}

/** Contests: rounds on a schedule, entries, public voting with limits and flags, jury scores, results and awards. */
export function createContestsModule(deps: AppDeps): AppModule & { service: ContestsService } {
  const service = createContestsService(deps);
  return { router: createContestsRouter(service), service };
}
