import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import type { WechatClient } from '../../core/wechat';
import type { AuditService } from '../audit';
import type { NewsroomService } from '../newsroom';
import type { NotificationsService } from '../notifications';
import type { UsersService } from '../users';
import { createCommentSettings } from './comment-settings';
import { commentViews } from './comment-store';
import { createCommenting } from './commenting';
import { createModeration } from './moderation';
import { createReplyNotices } from './reply-notices';
import { createReports } from './reports';

export interface CommentsServiceDeps {
  clock: Clock;
  wechat: Pick<WechatClient, 'msgSecCheck'>;
  users: Pick<UsersService, 'openidOf' | 'publicProfiles'>;
  newsroom: Pick<NewsroomService, 'getArticle' | 'requireColumn'>;
  audit: Pick<AuditService, 'record'>;
  /** Where the person a reply answers hears of it. */
  notifications: Pick<NotificationsService, 'raise'>;
  logger: Pick<Logger, 'warn'>;
}

/** Comments composed from their parts: readers (commenting.ts), reports, moderation, settings. */
export function createCommentsService({ clock, wechat, users, newsroom, audit, notifications, logger }: CommentsServiceDeps) {
  const settings = createCommentSettings({ clock, audit, columns: newsroom });
  const views = commentViews(users);
  const notices = createReplyNotices({ clock, logger, notifications });
  const commenting = createCommenting({ clock, wechat, users, newsroom, settings, views, notices });
  const reports = createReports({ clock, settings });
  const moderation = createModeration({ clock, audit, views, notices });
  return {
    list: commenting.list,
    replies: commenting.replies,
    create: commenting.create,
    remove: commenting.remove,
    report: reports.report,
    queue: moderation.queue,
    approve: moderation.approve,
    reject: moderation.reject,
    settings: settings.get,
    updateSettings: settings.update,
  };
}

export type CommentsService = ReturnType<typeof createCommentsService>;
