import type { AppDeps, AppModule } from '../../core/deps';
import type { CirclesService } from '../circles';
import type { NewsroomService } from '../newsroom';
import type { PointsService } from '../points';
import type { StorageService } from '../storage';
import type { UsersService } from '../users';
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
function contributionRewards(points: PointsService): ContributionRewards {
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

export interface SubmissionsPorts {
  users: UsersService;
  circles: CirclesService;
  storage: StorageService;
  newsroom: NewsroomService;
  points: PointsService;
}

export function createSubmissionsService(deps: AppDeps, ports: SubmissionsPorts): SubmissionsService {
  return createService({
    clock: deps.clock,
    wechat: deps.wechat,
    users: ports.users,
    circles: ports.circles,
    storage: ports.storage,
    newsroom: ports.newsroom,
    rewards: contributionRewards(ports.points),
  });
}

/** Correspondents' submissions, the editorial workflow, 选题派发, and WeChat's content-check push. */
export function createSubmissionsModule(
  deps: AppDeps,
  { submissions, storage }: { submissions: SubmissionsService; storage: StorageService },
): AppModule {
  return { router: createSubmissionsRouter(submissions, storage, deps.config.wechat.pushToken) };
}
