import type { AppDeps, AppModule } from '../../core/deps';
import type { UsersService } from '../users';
import { createNotificationsRouter } from './notifications.routes';
import { createNotificationsService as createService, type NotificationsService } from './notifications.service';
import { templatesFrom } from './templates';

export type { NotificationsService, RaiseInput, RaiseResult } from './notifications.service';
export { classifySendError } from './outbox';

/** The notifications service (built once, in services.ts): every module raises its notices through it. */
export function createNotificationsService(deps: AppDeps, ports: { users: Pick<UsersService, 'openidOf'> }): NotificationsService {
  return createService({
    clock: deps.clock,
    logger: deps.logger.child({ module: 'notifications' }),
    redis: deps.redis,
    config: deps.config.notifications,
    templates: templatesFrom(deps.config),
    wechat: deps.wechat,
    users: ports.users,
  });
}

/** Consent to subscribe messages and the message centre (我的 › 消息). */
export function createNotificationsModule(_deps: AppDeps, { notifications }: { notifications: NotificationsService }): AppModule {
  return { router: createNotificationsRouter(notifications) };
}
