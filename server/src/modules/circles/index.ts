import type { AppDeps, AppModule } from '../../core/deps';
import type { AuditService } from '../audit';
import type { NewsroomService } from '../newsroom';
import type { NotificationsService } from '../notifications';
import type { UsersService } from '../users';
import { createCirclesRouter } from './circles.routes';
import { createCirclesService as createService, type CirclesService } from './circles.service';

export { circleManager, type CirclesService } from './circles.service';

export function createCirclesService(
  deps: AppDeps,
  ports: { users: UsersService; audit: AuditService; notifications: Pick<NotificationsService, 'raise'> },
): CirclesService {
  return createService({
    clock: deps.clock,
    users: ports.users,
    audit: ports.audit,
    notifications: ports.notifications,
    logger: deps.logger.child({ module: 'circles' }),
  });
}

/** Correspondent circles (leaders, members, announcements, circle page), applications, unit channels. */
export function createCirclesModule(
  _deps: AppDeps,
  { circles, newsroom }: { circles: CirclesService; newsroom: NewsroomService },
): AppModule {
  return { router: createCirclesRouter(circles, newsroom) };
}
