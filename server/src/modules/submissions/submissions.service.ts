import { createSubmissionFigures } from './submission-figures';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import type { WechatClient } from '../../core/wechat';
import type { CirclesService } from '../circles';
import type { NewsroomService } from '../newsroom';
import type { NotificationsService } from '../notifications';
import type { StorageService } from '../storage';
import type { UsersService } from '../users';
import { createAssignments } from './assignments';
import { createCampaignPieces } from './campaign-pieces';
import { createEditorial, type ContributionRewards } from './editorial';
import { createFiling } from './filing';
import { createSubmissionStore } from './submission-store';

export type { ContributionRewards } from './editorial';

export interface SubmissionsServiceDeps {
  clock: Clock;
  wechat: Pick<WechatClient, 'msgSecCheck'>;
  users: Pick<UsersService, 'getView' | 'openidOf'>;
  circles: Pick<CirclesService, 'channelOf' | 'realNameOf'>;
  storage: Pick<StorageService, 'imagesOf' | 'images'>;
  newsroom: Pick<NewsroomService, 'publishFromSubmission' | 'requireColumn'>;
  rewards: ContributionRewards;
  notifications: Pick<NotificationsService, 'raise'>;
  logger: Pick<Logger, 'warn'>;
}

export type SubmissionsService = ReturnType<typeof createSubmissionsService>;

/**
 * Correspondents' submissions, composed from their parts: the author's filing (drafts, content check,
 * filing), the editorial workflow (queue, pre-review, claim, decide, pay, publish), the campaign reads and
 * 选题派发. The workflow's rules are pure, in submission-rules.ts.
 */
export function createSubmissionsService({
  clock,
  wechat,
  users,
  circles,
  storage,
  newsroom,
  rewards,
  notifications,
  logger,
}: SubmissionsServiceDeps) {
  const store = createSubmissionStore({ clock, users, storage });
  return {
    ...createSubmissionFigures(),
    ...createFiling({ clock, wechat, users, circles, storage, store }),
    ...createEditorial({ clock, storage, circles, newsroom, rewards, store, notifications, logger }),
    ...createCampaignPieces(store),
    ...createAssignments({ clock, users }),
  };
}
