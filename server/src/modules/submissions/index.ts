import type { AppDeps, AppModule } from '../../app';
import { createCirclesService } from '../circles';
import { createNewsroomService } from '../newsroom';
import { createStorageService } from '../storage';
import { createUsersService } from '../users';
import { createSubmissionsRouter } from './submissions.routes';
import { createSubmissionsService as createService, type ContributionRewards, type SubmissionsService } from './submissions.service';

export type { ContributionRewards, SubmissionsService } from './submissions.service';
export { checkContent, refuseRisky, type ContentVerdict } from './content-safety';

/** Until the points ledger is wired in, approvals record 0 points. */
const noRewards: ContributionRewards = { rewardApproval: async () => 0 };

export function createSubmissionsService(deps: AppDeps): SubmissionsService {
  return createService({
    clock: deps.clock,
    wechat: deps.wechat,
    users: createUsersService(deps),
    circles: createCirclesService(deps),
    storage: createStorageService(deps),
    newsroom: createNewsroomService(deps),
    rewards: noRewards,
  });
}

/** Correspondents' submissions, the editorial workflow, 选题派发, and WeChat's content-check push. */
export function createSubmissionsModule(deps: AppDeps): AppModule & { service: SubmissionsService } {
  const service = createSubmissionsService(deps);
  return { router: createSubmissionsRouter(service, createStorageService(deps), deps.config.wechat.pushToken), service };
}
