import { Types } from 'mongoose';
import type { Clock } from '../../core/clock';
import { AppError } from '../../core/errors';
import type { PointsService } from '../points';
import type { GateLoading } from './gate-loading';
import type { GoodsStore } from './goods-store';
import { newCode, requestHash } from './mall-rules';
import type { MallService } from './mall.types';
import { isActive, redeemAnswer, redeemAnswerPrefix } from './mall.views';
import type { PendingRedemption, RedeemGate } from './redeem-gate';
import type { RedeemWriter } from './redeem-writer';

export interface RedeemingDeps {
  clock: Clock;
  gate: RedeemGate;
  goods: GoodsStore;
  loading: Pick<GateLoading, 'loadAccount' | 'loadGoods'>;
  writer: Pick<RedeemWriter, 'push'>;
  points: Pick<PointsService, 'expireLapsed'>;
}

/** The redemption hot path: admitted at the Redis gate and answered at once; the durable write is queued. */
export function createRedeeming({ clock, gate, goods: store, loading, writer, points }: RedeemingDeps): Pick<MallService, 'redeem'> {
  // Without an address the request's fingerprint depends on the goods alone: worked out once per goods.
  const plainHashes = new Map<string, string>();
  function plainHash(goodsId: string): string {
    let h = plainHashes.get(goodsId);
    if (h === undefined) {
      if (plainHashes.size >= 10_000) plainHashes.clear();
      plainHashes.set(goodsId, (h = requestHash(goodsId, null)));
    }
    return h;
  }

  return {
    async redeem(userId, goodsId, requestKey, body) {
      let goods = await store.cachedGoods(goodsId);
      const hash = body.shipping ? requestHash(goodsId, body.shipping) : plainHash(goodsId);
      let staleSeen = false;
      for (let attempt = 0; attempt < 8; attempt++) {
        const now = clock.now();
        if (!isActive(goods, now)) throw new AppError('GOODS_NOT_ACTIVE');
        if (goods.deliveryMode === 'ship' && !body.shipping) throw new AppError('SHIPPING_REQUIRED');
        const item: PendingRedemption = {
          id: new Types.ObjectId().toHexString(),
          u: userId,
          g: goodsId,
          p: goods.price,
          n: goods.name,
          d: goods.deliveryMode,
          o: goods.outletId ?? null,
          c: newCode(),
          k: requestKey,
          s: goods.deliveryMode === 'ship' ? (body.shipping ?? null) : null,
          a: now.getTime(),
        };
        const outcome = await gate.admit({ item, now: item.a, hash });
        switch (outcome.status) {
          case 'admitted':
            writer.push(item);
            return { body: redeemAnswer(redeemAnswerPrefix(item), outcome.balance), replayed: false };
          case 'replay':
            if (outcome.hash !== hash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
            return { body: outcome.body, replayed: true };
          case 'sold_out':
            throw new AppError('GOODS_SOLD_OUT');
          case 'limit_reached':
            throw new AppError('GOODS_LIMIT_REACHED', { message: `每人限兑 ${goods.perUserLimit ?? outcome.held} 件` });
          case 'insufficient':
            throw new AppError('POINTS_INSUFFICIENT', {
              message: `积分不足：需要 ${goods.price}，当前 ${outcome.balance}`,
              details: { required: goods.price, balance: outcome.balance },
            });
          case 'no_stock_cache':
            goods = await loading.loadGoods(goodsId);
            break;
          case 'stale_goods':
            // This process's copy of the goods (or, after a second miss, the gate's) is older than MongoDB's.
            if (staleSeen) await gate.invalidate([], [goodsId]);
            staleSeen = true;
            goods = await store.mustGoods(goodsId);
            break;
          case 'no_account_cache':
            await loading.loadAccount(userId);
            break;
          case 'lapsed':
            await points.expireLapsed(userId);
            // The cached expiry may be that of a lot a redemption has since used up (its durable write bumps
            // the generation but leaves the cache): nothing to expire then, so drop the cache and reload it.
            await gate.invalidate([userId]);
            await loading.loadAccount(userId);
            break;
        }
      }
      throw new AppError('POINTS_BUSY');
    },
  };
}
