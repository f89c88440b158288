import type { Clock } from '../../core/clock';
import { oid } from '../../core/db';
import { AppError } from '../../core/errors';
import { accountLockKey, withLocalLocks, type PointsService } from '../points';
import type { GateLoading } from './gate-loading';
import type { MallAudit } from './mall-audit';
import { goodsLockKey } from './mall-rules';
import { GoodsModel, RedemptionModel, type RedemptionDoc } from './mall.model';
import type { MallService } from './mall.types';
import { toRedemption } from './mall.views';
import type { RedemptionStore } from './redemption-store';

export interface FulfilmentDeps {
  clock: Clock;
  loading: Pick<GateLoading, 'frozen'>;
  redemptions: RedemptionStore;
  points: Pick<PointsService, 'withTransaction' | 'refund'>;
  audit: MallAudit;
}

/** After a redemption: 核销 at the outlet's counter, shipping, or cancellation with a refund. */
export function createFulfilment({
  clock,
  loading,
  redemptions,
  points,
  audit,
}: FulfilmentDeps): Pick<MallService, 'preview' | 'verify' | 'markShipped' | 'cancel'> {
  return {
    async preview(staff, code) {
      return toRedemption(await redemptions.byCodeForStaff(staff, code));
    },

    async verify(staff, code, requestKey = null) {
      const doc = await redemptions.byCodeForStaff(staff, code);
      if (doc.deliveryMode !== 'pickup') throw new AppError('REDEMPTION_WRONG_OUTLET', { message: '邮寄商品不在柜台核销' });
      // A retry of this staff member's own scan whose answer was lost: the success again, not "already fulfilled".
      const retryOf = (d: RedemptionDoc) =>
        d.status === 'fulfilled' && requestKey !== null && d.fulfilledKey === requestKey && d.fulfilledBy?.toHexString() === staff.id;
      if (retryOf(doc)) return { redemption: toRedemption(doc), replayed: true };
      const now = clock.now();
      // The guard on status makes it single-use: of two concurrent scans only one matches.
      const updated = await RedemptionModel.findOneAndUpdate(
        { _id: doc._id, status: 'pending' },
        {
          $set: { status: 'fulfilled', fulfilledAt: now, fulfilledBy: oid(staff.id), ...(requestKey ? { fulfilledKey: requestKey } : {}) },
        },
        { returnDocument: 'after', lean: true },
      );
      if (!updated) {
        const current = await redemptions.mustRedemption(doc._id.toHexString());
        if (retryOf(current)) return { redemption: toRedemption(current), replayed: true };
        throw new AppError(current.status === 'cancelled' ? 'REDEMPTION_CANCELLED' : 'REDEMPTION_ALREADY_FULFILLED');
      }
      await audit(staff, 'mall.redemption.verify', doc._id.toHexString(), { code, outletId: doc.outletId });
      return { redemption: toRedemption(updated as RedemptionDoc), replayed: false };
    },

    async markShipped(actor, id) {
      const doc = await redemptions.mustRedemption(id);
      if (doc.deliveryMode !== 'ship') throw new AppError('REDEMPTION_WRONG_OUTLET', { message: '到柜台领取的商品须由网点核销' });
      const updated = await RedemptionModel.findOneAndUpdate(
        { _id: doc._id, status: 'pending' },
        { $set: { status: 'fulfilled', fulfilledAt: clock.now(), fulfilledBy: oid(actor.id) } },
        { returnDocument: 'after', lean: true },
      );
      if (!updated) throw new AppError(doc.status === 'cancelled' ? 'REDEMPTION_CANCELLED' : 'REDEMPTION_ALREADY_FULFILLED');
      await audit(actor, 'mall.redemption.ship', id, {});
      return toRedemption(updated as RedemptionDoc);
    },

    async cancel(actor, id, reason) {
      // A redemption still pending its durable write is written first (mustRedemption), then cancelled.
      const doc = await redemptions.mustRedemption(id);
      redemptions.assertOwnerOrAdmin(actor, doc);
      if (doc.status !== 'pending') throw new AppError('REDEMPTION_NOT_CANCELLABLE');
      const byAdmin = doc.userId.toHexString() !== actor.id;
      const userId = doc.userId.toHexString();
      const goodsId = doc.goodsId.toHexString();
      const result = await loading.frozen([userId], [goodsId], () =>
        withLocalLocks([goodsLockKey(goodsId), accountLockKey(userId)], () =>
          points.withTransaction(async (session) => {
            const now = clock.now();
            const updated = await RedemptionModel.findOneAndUpdate(
              { _id: doc._id, status: 'pending' },
              { $set: { status: 'cancelled', cancelledAt: now, cancelledBy: oid(actor.id), cancelReason: reason ?? null } },
              { session, returnDocument: 'after', lean: true },
            );
            if (!updated) throw new AppError('REDEMPTION_NOT_CANCELLABLE');
            await GoodsModel.updateOne({ _id: doc.goodsId }, { $inc: { stock: 1 }, $set: { updatedAt: now } }, { session });
            const refund = await points.refund(
              {
                debitKey: doc.debitKey,
                reason: `取消兑换「${doc.goodsName}」退回`,
                ref: { type: 'redemption', id },
                idempotencyKey: `mall:refund:${id}`,
              },
              { session },
            );
            return { redemption: toRedemption(updated as RedemptionDoc), balance: refund.balance, refunded: refund.amount };
          }),
        ),
      );
      if (byAdmin) await audit(actor, 'mall.redemption.cancel', id, { reason: reason ?? null, refunded: result.refunded });
      return { redemption: result.redemption, balance: result.balance };
    },
  };
}
