import type { AppDeps, AppModule } from '../../core/deps';
import { createIdempotency } from '../../core/idempotency';
import { createMerchantsService } from '../merchants';
import { createUsersService } from '../users';
import { createCouponGate } from './coupon-gate';
import { createCouponsRouter } from './coupons.routes';
import { createCouponsService as createService, type CouponsService } from './coupons.service';

export { GATE_REBUILD_QUIET_MS, RECONCILE_GRACE_MS, type CouponsService } from './coupons.service';
export { createCouponGate, gateKeys, type CouponGate } from './coupon-gate';
export { drawWinners } from './lottery';

// One service per deps, so the app, its jobs and shutdown share the service that owns the durable writer
// (until the composition root builds each service once).
const built = new WeakMap<AppDeps, CouponsService>();

/** The coupons service of these deps (built on first call). */
export function createCouponsService(deps: AppDeps): CouponsService {
  let service = built.get(deps);
  if (!service) built.set(deps, (service = buildService(deps)));
  return service;
}

function buildService(deps: AppDeps): CouponsService {
  return createService({
    clock: deps.clock,
    logger: deps.logger.child({ module: 'coupons' }),
    gate: createCouponGate(deps.redis),
    expiryTemplateId: deps.config.templates.couponExpiry,
    wechat: deps.wechat,
    users: createUsersService(deps),
    merchants: createMerchantsService(deps),
  });
}

/** Coupon batches, the grab (Redis gate + durable record), lottery releases, 我的券, redemption, stats. */
export function createCouponsModule(deps: AppDeps): AppModule & { service: CouponsService } {
  const service = createCouponsService(deps);
  return { router: createCouponsRouter(service, createIdempotency(deps.redis)), service };
}
