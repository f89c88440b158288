import type { Types } from 'mongoose';
import type { BatchStats } from '@shared/schemas/coupons';
import { authorize, can, type RoleHolder } from '../../core/auth';
import { oid } from '../../core/db';
import { merchantStaff } from '../merchants';
import type { BatchStore } from './batch-store';
import { toBatchStats, type StatusCount } from './coupon-views';
import { CouponBatchModel, CouponModel, type CouponBatchDoc } from './coupons.model';

/** Per-batch figures (claimed / redeemed / expired, and redeemed at one merchant) for issuers, merchants and editors. */
export function createCouponStats({ store }: { store: BatchStore }) {
  async function statsFor(batches: CouponBatchDoc[], merchantId: string | null): Promise<BatchStats[]> {
    const ids = batches.map((b) => b._id);
    const counts = await CouponModel.aggregate<StatusCount>([
      { $match: { batchId: { $in: ids } } },
      { $group: { _id: { b: '$batchId', s: '$status' }, n: { $sum: 1 } } },
    ]);
    const here = merchantId
      ? await CouponModel.aggregate<{ _id: Types.ObjectId; n: number }>([
          { $match: { batchId: { $in: ids }, status: 'used', redeemedMerchantId: oid(merchantId) } },
          { $group: { _id: '$batchId', n: { $sum: 1 } } },
        ])
      : [];
    return batches.map((b) =>
      toBatchStats(b, counts, merchantId ? (here.find((h) => h._id.toHexString() === b._id.toHexString())?.n ?? 0) : null),
    );
  }

  return {
    /** Per-batch figures for one batch: its issuer's staff, a participating merchant's staff, editors. */
    async batchStats(actor: RoleHolder, batchId: string): Promise<BatchStats> {
      const batch = await store.mustFindBatch(batchId);
      const staffOf = batch.merchantIds.map((m) => m.toHexString()).find((m) => can(actor, merchantStaff(m, true)));
      if (!staffOf) authorize(actor, { anyOf: ['editor', 'admin'] });
      return (await statsFor([batch], batch.issuerType === 'government' ? (staffOf ?? null) : null))[0]!;
    },

    /** Every batch usable at a merchant, with claimed / redeemed / expired (and redeemed here). */
    async merchantStats(actor: RoleHolder, merchantId: string): Promise<BatchStats[]> {
      authorize(actor, merchantStaff(merchantId, true));
      const batches = await CouponBatchModel.find({ merchantIds: oid(merchantId) })
        .sort({ createdAt: -1 })
        .limit(200)
        .lean<CouponBatchDoc[]>();
      return statsFor(batches, merchantId);
    },
  };
}
