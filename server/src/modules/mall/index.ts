import type { AppDeps, AppModule } from '../../core/deps';
import type { AuditService } from '../audit';
import type { PointsService } from '../points';
import { createMallRouter } from './mall.routes';
import { createMallService as createService, type MallService } from './mall.service';

export type { MallService } from './mall.service';
export { RECONCILE_GRACE_MS } from './mall.service';

export function createMallService(deps: AppDeps, ports: { points: PointsService; audit: AuditService }): MallService {
  return createService({
    clock: deps.clock,
    redis: deps.redis,
    logger: deps.logger.child({ module: 'mall' }),
    points: ports.points,
    audit: ports.audit,
  });
}

/** 积分商城: goods, redemption (Redis gate, batched durable write, reconciliation), 我的兑换 with QR codes, counter 核销. */
export function createMallModule(_deps: AppDeps, { mall }: { mall: MallService }): AppModule {
  return { router: createMallRouter(mall) };
}
