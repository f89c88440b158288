import type { AppDeps, AppModule } from '../../core/deps';
import { createCirclesService } from '../circles';
import { createNewsroomService } from '../newsroom';
import { createPointsService } from '../points';
import { createStorageService } from '../storage';
import { createUsersService } from '../users';
import { createSubmissionsRouter } from './submissions.routes';
import {
  createSubmissionsService as createService,
  GRADE_FACTOR,
  type ContributionRewards,
  type SubmissionsService,
} from './submissions.service';

export type { ContributionRewards, SubmissionsService } from './submissions.service';
export { checkContent, refuseRisky, type ContentVerdict } from './content-safety';

/** Contribution points from the ledger, once per approved submission (its idempotency key). */
function contributionRewards(deps: AppDeps): ContributionRewards {
  const points = createPointsService(deps);
  return {
    async rewardApproval({ userId, submissionId, grade, title }) {
      const rule = (await points.rules()).rules.find((r) => r.source === 'contribution');
      const amount = Math.round((rule?.amount ?? 0) * GRADE_FACTOR[grade]);
      if (amount <= 0) return 0;
      const result = await points.earn({
        userId,
        source: 'contribution',
        amount,
        reason: `稿件《${title}》被采用（${grade} 级）`,
        ref: { type: 'submission', id: submissionId },
        idempotencyKey: `contribution:${submissionId}`,
      });
      return result.status === 'credited' ? result.amount : 0;
    },
  };
}

export function createSubmissionsService(deps: AppDeps): SubmissionsService {
  return createService({
    clock: deps.clock,
    wechat: deps.wechat,
    users: createUsersService(deps),
    circles: createCirclesService(deps),
    storage: createStorageService(deps),
    newsroom: createNewsroomService(deps),
    rewards: contributionRewards(deps),
  });
}

/** Correspondents' submissions, the editorial workflow, 选题派发, and WeChat's content-check push. */
export function createSubmissionsModule(deps: AppDeps): AppModule & { service: SubmissionsService } {
  const service = createSubmissionsService(deps);
  return { router: createSubmissionsRouter(service, createStorageService(deps), deps.config.wechat.pushToken), service };
}
