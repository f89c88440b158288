import type { AppDeps, AppModule } from '../../core/deps';
import { createIdempotency } from '../../core/idempotency';
import type { MerchantsService } from '../merchants';
import type { NotificationsService } from '../notifications';
import { createCouponGate } from './coupon-gate';
import { createCouponsRouter } from './coupons.routes';
import { createCouponsService as createService, type CouponsService } from './coupons.service';

export { GATE_REBUILD_QUIET_MS, RECONCILE_GRACE_MS, type CouponsService } from './coupons.service';
export { createCouponGate, gateKeys, type CouponGate } from './coupon-gate';
export { drawWinners } from './lottery';

export function createCouponsService(
  deps: AppDeps,
  ports: { notifications: NotificationsService; merchants: MerchantsService },
): CouponsService {
  return createService({
    clock: deps.clock,
    logger: deps.logger.child({ module: 'coupons' }),
    gate: createCouponGate(deps.redis),
    notifications: ports.notifications,
    merchants: ports.merchants,
  });
}

/** Coupon batches, the grab (Redis gate + durable record), lottery releases, 我的券, redemption, stats. */
export function createCouponsModule(deps: AppDeps, { coupons }: { coupons: CouponsService }): AppModule {
  return { router: createCouponsRouter(coupons, createIdempotency(deps.redis)) };
}
