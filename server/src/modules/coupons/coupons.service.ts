import { createCouponFigures } from './coupon-figures';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import type { MerchantsService } from '../merchants';
import type { NotificationsService } from '../notifications';
import { createBatchStore } from './batch-store';
import { createBatches } from './batches';
import type { CouponGate } from './coupon-gate';
import { createCouponStats } from './coupon-stats';
import { createCounter } from './counter';
import { createDurableWriter } from './durable-writer';
import { createExpiry } from './expiry';
import { createGateRecovery } from './gate-recovery';
import { createGrab } from './grab';
import { createLotteryRelease } from './lottery-release';
import { createMyCoupons } from './my-coupons';
import { createReconcile } from './reconcile';

/** Re-exported: the module's public API and the routes name these here. */
export type { ClaimRefusal } from './coupon-rules';
export { GATE_REBUILD_QUIET_MS } from './gate-recovery';
export type { ClaimResult } from './grab';
export { RECONCILE_GRACE_MS } from './reconcile';

export interface CouponsServiceDeps {
  clock: Clock;
  logger: Logger;
  gate: CouponGate;
  merchants: Pick<MerchantsService, 'assertApproved'>;
  /** Where "your coupon expires tomorrow" is raised (the mini-program asks consent for it when a coupon is claimed). */
  notifications: Pick<NotificationsService, 'raise'>;
}

export type CouponsService = ReturnType<typeof createCouponsService>;

/**
 * Coupons, composed from their parts: issuing and listing batches (batches), the grab at the Redis gate
 * (grab) with its durable writer (durable-writer) and the gate's recovery after a Redis loss (gate-recovery),
 * lottery releases (lottery-release), 我的券 and the QR code (my-coupons), redemption at the counter
 * (counter), batch figures (coupon-stats), and the jobs' reconciliation (reconcile) and expiry (expiry).
 * The pure rules they share are in coupon-rules.ts, the views in coupon-views.ts.
 */
export function createCouponsService({ clock, logger, gate, merchants, notifications }: CouponsServiceDeps) {
  // The service owns its durable writer: 我的券 and the QR code wait for the records it is still writing.
  const durable = createDurableWriter(gate, logger);
  const store = createBatchStore();
  const recovery = createGateRecovery({ clock, logger, gate, durable });
  return {
    ...createCouponFigures(),
    ...createBatches({ clock, gate, store, merchants }),
    ...createGrab({ clock, gate, store, recovery, durable }),
    ...createMyCoupons({ clock, durable }),
    ...createCounter({ clock, durable }),
    ...createCouponStats({ store }),
    ...createLotteryRelease({ clock, store }),
    ...createReconcile({ clock, gate, recovery }),
    ...createExpiry({ clock, logger, notifications }),
  };
}
