import type { Types } from 'mongoose';
import { cursorPages } from '../../core/db';
import { CouponBatchModel, CouponModel } from './coupons.model';

export interface BatchFunnelFigures {
  batchId: string;
  title: string;
  /** Stock put up by a batch created on the day. */
  issued: number;
  claimed: number;
  redeemed: number;
  expired: number;
}

/** One redeemed coupon: a row of the coupon-redemptions export. */
export interface CouponRedemptionRow {
  redeemedAt: Date;
  code: string;
  batch: string;
  merchantId: string | null;
  userId: string;
  value: number;
  orderAmount: number | null;
}

type CouponRow = {
  _id: Types.ObjectId;
  batchId: Types.ObjectId;
  code: string;
  title: string;
  userId: Types.ObjectId;
  value: number;
  redeemedAt: Date;
  redeemedMerchantId?: Types.ObjectId;
  orderAmount?: number;
};

/** Figures and export rows for the stats module: read through the coupons service, never its model. */
export function createCouponFigures() {
  const countBy = (match: Record<string, unknown>, field: string) =>
    CouponModel.aggregate<{ _id: Types.ObjectId | null; n: number }>([{ $match: match }, { $group: { _id: `$${field}`, n: { $sum: 1 } } }]);

  return {
    /** The coupon funnel of [start, end): per batch (issued, claimed, redeemed, expired) and redeemed per merchant. */
    async dailyCouponFigures(
      start: Date,
      end: Date,
    ): Promise<{ batches: BatchFunnelFigures[]; merchants: { merchantId: string; redeemed: number }[] }> {
      const range = { $gte: start, $lt: end };
      const [created, claimed, redeemed, expired, perMerchant] = await Promise.all([
        CouponBatchModel.find({ createdAt: range }, { title: 1, totalStock: 1 }).lean<
          { _id: Types.ObjectId; title: string; totalStock: number }[]
        >(),
        countBy({ claimedAt: range }, 'batchId'),
        countBy({ redeemedAt: range }, 'batchId'),
        countBy({ expiredAt: range }, 'batchId'),
        countBy({ redeemedAt: range, redeemedMerchantId: { $exists: true } }, 'redeemedMerchantId'),
      ]);
      const rows = new Map<string, BatchFunnelFigures>();
      const row = (id: string) => {
        let r = rows.get(id);
        if (!r) rows.set(id, (r = { batchId: id, title: '', issued: 0, claimed: 0, redeemed: 0, expired: 0 }));
        return r;
      };
      for (const b of created) row(b._id.toHexString()).issued = b.totalStock;
      for (const [list, field] of [
        [claimed, 'claimed'],
        [redeemed, 'redeemed'],
        [expired, 'expired'],
      ] as const)
        for (const c of list) if (c._id) row(c._id.toHexString())[field] = c.n;
      const titles = await CouponBatchModel.find({ _id: { $in: [...rows.keys()] } }, { title: 1 }).lean<
        { _id: Types.ObjectId; title: string }[]
      >();
      for (const t of titles) row(t._id.toHexString()).title = t.title;
      return {
        batches: [...rows.values()],
        merchants: perMerchant.flatMap((m) => (m._id ? [{ merchantId: m._id.toHexString(), redeemed: m.n }] : [])),
      };
    },

    /** Every redemption in [from, to), oldest first, in pages read from a cursor (the export streams them). */
    async *couponRedemptionRows(from: Date, to: Date, batch = 500): AsyncGenerator<CouponRedemptionRow[]> {
      const cursor = CouponModel.find({ redeemedAt: { $gte: from, $lt: to } })
        .sort({ _id: 1 })
        .lean<CouponRow[]>()
        .cursor({ batchSize: batch });
      yield* cursorPages(cursor as AsyncIterable<CouponRow>, batch, (coupons) =>
        coupons.map((c) => ({
          redeemedAt: c.redeemedAt,
          code: c.code,
          batch: c.title,
          merchantId: c.redeemedMerchantId?.toHexString() ?? null,
          userId: c.userId.toHexString(),
          value: c.value,
          orderAmount: c.orderAmount ?? null,
        })),
      );
    },
  };
}
