/**
 * The points mall. DESIGN of the redemption hot path (as coupons' grab: a Redis gate, a durable record
 * behind it, a reconciliation job):
 *
 * 1. Gate (redeem-gate.ts, ONE Lua script): takes the Idempotency-Key (or replays its stored answer), then
 *    checks and takes one unit of stock, the per-user limit and the price from the user's SPENDABLE balance,
 *    and logs the admitted redemption as pending. The user gets the code at once.
 * 2. Durable write (redeem-writer.ts): redemptions admitted close together share ONE MongoDB transaction
 *    (debit entries consuming the soonest-expiring lots valid at admission, balances, lots, redemption
 *    records, stock), then leave the pending log. Idempotent by redemption id. An item MongoDB can't honour
 *    (points or stock short: a broken invariant) is recorded cancelled with nothing debited, alone; a batch
 *    that still fails is written item by item, so one bad item never holds up the others.
 * 3. Reconciliation (jobs/mall-reconcile.job.ts, job name points-reconcile, Redis lock per slot): writes pending redemptions older than
 *    RECONCILE_GRACE_MS (a crash between 1 and 2) — nothing lost, nothing applied twice.
 *
 * Why Redis is right about points and stock: the gate's figures are CACHES of MongoDB less what is pending,
 * loaded on a miss and never patched. A ledger write other than a credit (spend, refund, expiry, admin
 * adjustment, cancellation, stock adjustment) runs FROZEN: it drops the user's (goods') cache and blocks
 * loads, writes that user's (goods') pending redemptions first, commits, and drops the cache again. A credit
 * just drops the cache after its commit. A loader only sets a cache when nothing is pending or frozen for it
 * and its generation did not move while it read MongoDB (every drop and every durable write bumps it). The
 * cache also holds the expiry of the user's first open lot: past it the gate refuses until the lapsed lots
 * are expired and the cache reloaded, so lapsed points are never spent. So durable balance = sum of entries
 * ≥ 0 at every commit, as before, and Redis never admits what MongoDB can't honour.
 */
import type { Redis } from 'ioredis';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/logger';
import type { AuditService } from '../audit';
import type { PointsService } from '../points';
import { createFulfilment } from './fulfilment';
import { createGateLoading } from './gate-loading';
import { createGoodsAdmin } from './goods-admin';
import { createGoodsStore } from './goods-store';
import { createMallAudit } from './mall-audit';
import { createMallReconcile } from './mall-reconcile';
import type { MallService } from './mall.types';
import { createMyRedemptions } from './my-redemptions';
import { createRedeemGate } from './redeem-gate';
import { createRedeemWriter } from './redeem-writer';
import { createRedeeming } from './redeeming';
import { createRedemptionStore } from './redemption-store';

/** Re-exported: the module's public API and the routes name these here. */
export { RECONCILE_GRACE_MS } from './mall-reconcile';
export type { Actor, MallService } from './mall.types';

export interface MallServiceDeps {
  clock: Clock;
  redis: Redis;
  logger: Logger;
  /** The ledger. The mall registers its guard on it at construction (its gate caches spendable balances). */
  points: Pick<
    PointsService,
    'withTransaction' | 'refund' | 'balance' | 'expireLapsed' | 'spendable' | 'batchDebits' | 'guardLedgerWrites'
  >;
  audit: Pick<AuditService, 'record'>;
}

/**
 * The mall, composed from its parts: goods (goods-admin, over goods-store), the redemption hot path
 * (redeeming) over the gate (redeem-gate) and its batching writer (redeem-writer), the gate's loads and
 * freezes (gate-loading), 我的兑换 (my-redemptions), 核销, shipping and cancellation (fulfilment), and the
 * reconciliation job's work (mall-reconcile). The pure rules are in mall-rules.ts, the views in mall.views.ts.
 */
export function createMallService(deps: MallServiceDeps): MallService {
  const { clock, logger, points } = deps;
  const gate = createRedeemGate(deps.redis);
  const writerDeps = { gate, logger, points };
  // The service owns its batching writer: shutdown and tests wait for what it queued (drained/idle/close).
  const writer = createRedeemWriter(writerDeps);
  const goods = createGoodsStore(gate);
  const loading = createGateLoading({ clock, logger, gate, goods, writer: writerDeps, points });
  const redemptions = createRedemptionStore({ gate, loading });
  const audit = createMallAudit(deps.audit);

  // Every ledger write of points but a plain credit runs frozen for this gate (the design note above); a
  // credit drops the user's cached balance after its commit.
  points.guardLedgerWrites({
    frozen: (userId, write) => loading.frozen([userId], [], write),
    credited: (userId) => gate.invalidate([userId]),
  });

  return {
    ...createGoodsAdmin({ clock, goods, loading, audit }),
    ...createRedeeming({ clock, gate, goods, loading, writer, points }),
    ...createMyRedemptions({ gate, loading, redemptions }),
    ...createFulfilment({ clock, loading, redemptions, points, audit }),
    ...createMallReconcile({ clock, logger, gate, writer: writerDeps }),
    drained: () => writer.drained(),
    idle: () => writer.drained(),
    close: () => writer.close(),
  };
}
