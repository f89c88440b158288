import type { CouponView, RedeemBody } from '@shared/schemas/coupons';
import { authorize, type RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { oid } from '../../core/db';
import { AppError } from '../../core/errors';
import { merchantStaff } from '../merchants';
import { isRedeemableAt, redeemRefusal } from './coupon-rules';
import { toCouponView } from './coupon-views';
import { CouponModel, type CouponDoc } from './coupons.model';
import type { DurableWriter } from './durable-writer';

export interface CounterDeps {
  clock: Clock;
  durable: DurableWriter;
}

/** Redemption at a participating merchant's counter. */
export function createCounter({ clock, durable }: CounterDeps) {
  return {
    /**
     * A clerk (or owner) of a participating merchant scans the code: used exactly once, within validity.
     * `requestKey` (the scan's Idempotency-Key) is kept on the coupon: the same clerk retrying that scan at
     * the same shop with the same key (its answer was lost) gets the success again (`replayed`), not
     * "already used"; anyone else still gets "already used".
     */
    async redeem(
      actor: RoleHolder,
      body: RedeemBody,
      requestKey: string | null = null,
    ): Promise<{ coupon: CouponView; replayed: boolean }> {
      authorize(actor, { ...merchantStaff(body.merchantId, true), adminOverride: false });
      const find = () => CouponModel.findOne({ code: body.code }).lean<CouponDoc>();
      // Scanned right after the grab, the record may still be in the writer's current batch.
      const doc = (await find()) ?? (await durable.idle().then(find));
      if (!doc) throw new AppError('COUPON_NOT_FOUND');
      if (!doc.merchantIds.some((m) => m.toHexString() === body.merchantId)) throw new AppError('COUPON_WRONG_MERCHANT');
      const now = clock.now();
      const retryOf = (d: CouponDoc): boolean =>
        d.status === 'used' &&
        requestKey !== null &&
        d.redeemKey === requestKey &&
        d.redeemedBy?.toHexString() === actor.id &&
        d.redeemedMerchantId?.toHexString() === body.merchantId;
      if (retryOf(doc)) return { coupon: toCouponView(doc), replayed: true };
      if (!isRedeemableAt(doc, now)) throw redeemRefusal(doc, now);
      if (body.orderAmount !== undefined && body.orderAmount < doc.threshold)
        throw new AppError('COUPON_THRESHOLD_NOT_MET', { details: { threshold: doc.threshold } });
      // The status guard makes the second of two simultaneous scans find nothing to update.
      const used = await CouponModel.findOneAndUpdate(
        { _id: doc._id, status: 'unused', validUntil: { $gt: now } },
        {
          $set: {
            status: 'used',
            redeemedAt: now,
            redeemedBy: oid(actor.id),
            redeemedMerchantId: oid(body.merchantId),
            ...(requestKey ? { redeemKey: requestKey } : {}),
            ...(body.orderAmount !== undefined ? { orderAmount: body.orderAmount } : {}),
          },
        },
        { returnDocument: 'after' },
      ).lean<CouponDoc>();
      if (!used) {
        const current = (await CouponModel.findById(doc._id).lean<CouponDoc>()) ?? doc;
        if (retryOf(current)) return { coupon: toCouponView(current), replayed: true };
        throw redeemRefusal(current, now);
      }
      return { coupon: toCouponView(used), replayed: false };
    },
  };
}
