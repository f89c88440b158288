import type { AppDeps, AppModule } from '../../core/deps';
import { createAuditService } from '../audit';
import { createNewsroomService } from '../newsroom';
import { createUsersService } from '../users';
import { createCirclesRouter } from './circles.routes';
import { createCirclesService as createService, type CirclesService } from './circles.service';

export { circleManager, type CirclesService } from './circles.service';

export function createCirclesService(deps: AppDeps): CirclesService {
  return createService({ clock: deps.clock, users: createUsersService(deps), audit: createAuditService(deps) });
}

/** Correspondent circles (leaders, members, announcements, circle page), applications, unit channels. */
export function createCirclesModule(deps: AppDeps): AppModule & { service: CirclesService } {
  const service = createCirclesService(deps);
  return { router: createCirclesRouter(service, createNewsroomService(deps)), service };
}
