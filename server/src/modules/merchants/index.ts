import type { AppDeps, AppModule } from '../../core/deps';
import { createNewsroomService } from '../newsroom';
import { createUsersService } from '../users';
import { createMerchantsRouter } from './merchants.routes';
import { createMerchantsService as createService, type MerchantsService } from './merchants.service';

export { distanceMetres, merchantStaff, type MerchantsService } from './merchants.service';

export function createMerchantsService(deps: AppDeps): MerchantsService {
  return createService({
    clock: deps.clock,
    redis: deps.redis,
    wechat: deps.wechat,
    users: createUsersService(deps),
    newsroom: createNewsroomService(deps),
  });
}

/** 企业之家: merchant applications and review, the public directory, clerk invites, promotions. */
export function createMerchantsModule(deps: AppDeps): AppModule & { service: MerchantsService } {
  const service = createMerchantsService(deps);
  return { router: createMerchantsRouter(service), service };
}
