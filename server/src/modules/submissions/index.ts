import type { AppDeps, AppModule } from '../../core/deps';
import type { CirclesService } from '../circles';
import type { NewsroomService } from '../newsroom';
import type { NotificationsService } from '../notifications';
import type { PointsService } from '../points';
import type { StorageService } from '../storage';
import type { UsersService } from '../users';
import { createSubmissionsRouter } from './submissions.routes';
import { contributionRewards } from './contribution-rewards';
import { createSubmissionsService as createService, type SubmissionsService } from './submissions.service';

export type { ContributionRewards, SubmissionsService } from './submissions.service';
export { checkContent, refuseRisky, type ContentVerdict } from './content-safety';

export interface SubmissionsPorts {
  users: UsersService;
  circles: CirclesService;
  storage: StorageService;
  newsroom: NewsroomService;
  points: PointsService;
  notifications: Pick<NotificationsService, 'raise'>;
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
    notifications: ports.notifications,
    logger: deps.logger.child({ module: 'submissions' }),
  });
}

/** Correspondents' submissions, the editorial workflow, 选题派发, and WeChat's content-check push. */
export function createSubmissionsModule(
  deps: AppDeps,
  { submissions, storage }: { submissions: SubmissionsService; storage: StorageService },
): AppModule {
  return { router: createSubmissionsRouter(submissions, storage, deps.config.wechat.pushToken) };
}
