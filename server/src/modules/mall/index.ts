import type { AppDeps, AppModule } from '../../core/deps';
import { createAuditService } from '../audit';
import { createPointsService } from '../points';
import { createMallRouter } from './mall.routes';
import { createMallService as createService, type MallService } from './mall.service';

export type { MallService } from './mall.service';
export { RECONCILE_GRACE_MS } from './mall.service';

// One service per deps, so the app, its jobs and shutdown share the service that owns the redemption writer
// (until the composition root builds each service once).
const built = new WeakMap<AppDeps, MallService>();

/** The mall service of these deps (built on first call). */
export function createMallService(deps: AppDeps): MallService {
  let service = built.get(deps);
  if (!service) built.set(deps, (service = buildService(deps)));
  return service;
}

function buildService(deps: AppDeps): MallService {
  return createService({
    clock: deps.clock,
    redis: deps.redis,
    logger: deps.logger.child({ module: 'mall' }),
    points: createPointsService(deps),
    audit: createAuditService(deps),
  });
}

/** 积分商城: goods, redemption (Redis gate, batched durable write, reconciliation), 我的兑换 with QR codes, counter 核销. */
export function createMallModule(deps: AppDeps): AppModule & { service: MallService } {
  const service = createMallService(deps);
  return { router: createMallRouter(service), service };
}
