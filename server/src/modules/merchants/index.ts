import type { AppDeps, AppModule } from '../../core/deps';
import type { NewsroomService } from '../newsroom';
import type { NotificationsService } from '../notifications';
import type { StorageService } from '../storage';
import type { UsersService } from '../users';
import { createMerchantsRouter } from './merchants.routes';
import { createMerchantsService as createService, type MerchantsService } from './merchants.service';

export { merchantStaff, type MerchantsService } from './merchants.service';

export function createMerchantsService(
  deps: AppDeps,
  ports: {
    users: UsersService;
    newsroom: NewsroomService;
    storage: StorageService;
    notifications: Pick<NotificationsService, 'raise'>;
  },
): MerchantsService {
  return createService({
    clock: deps.clock,
    redis: deps.redis,
    wechat: deps.wechat,
    users: ports.users,
    newsroom: ports.newsroom,
    storage: ports.storage,
    notifications: ports.notifications,
    logger: deps.logger.child({ module: 'merchants' }),
  });
}

/** 企业之家: merchant applications and review, the public directory, clerk invites, promotions. */
export function createMerchantsModule(_deps: AppDeps, { merchants }: { merchants: MerchantsService }): AppModule {
  return { router: createMerchantsRouter(merchants) };
}
