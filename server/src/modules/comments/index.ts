import type { AppDeps, AppModule } from '../../core/deps';
import type { AuditService } from '../audit';
import type { NewsroomService } from '../newsroom';
import type { NotificationsService } from '../notifications';
import type { UsersService } from '../users';
import { createCommentsRouter } from './comments.routes';
import { createCommentsService as createService, type CommentsService } from './comments.service';

export type { CommentsService } from './comments.service';

/** The comments service (built once, in services.ts). */
export function createCommentsService(
  deps: AppDeps,
  ports: { users: UsersService; newsroom: NewsroomService; audit: AuditService; notifications: Pick<NotificationsService, 'raise'> },
): CommentsService {
  return createService({ clock: deps.clock, wechat: deps.wechat, logger: deps.logger.child({ module: 'comments' }), ...ports });
}

/** Comments on articles: threads and replies, reports, the editors' moderation queue and settings. */
export function createCommentsModule(_deps: AppDeps, { comments }: { comments: CommentsService }): AppModule {
  return { router: createCommentsRouter(comments) };
}
