import type { BatchView, CreateBatchBody } from '@shared/schemas/coupons';
import { authorize, type RoleHolder } from '../../core/auth';
import type { Clock } from '../../core/clock';
import { oid, pageByKey } from '../../core/db';
import { merchantStaff, type MerchantsService } from '../merchants';
import type { BatchStore } from './batch-store';
import type { CouponGate } from './coupon-gate';
import { checkBatchRules } from './coupon-rules';
import { toBatchView } from './coupon-views';
import { CouponBatchModel, type CouponBatchDoc } from './coupons.model';

export interface BatchesDeps {
  clock: Clock;
  gate: CouponGate;
  store: BatchStore;
  merchants: Pick<MerchantsService, 'assertApproved'>;
}

/** Issuing batches (a merchant's owner for their shop, admins for government coupons) and 领券中心's listing. */
export function createBatches({ clock, gate, store, merchants }: BatchesDeps) {
  /** Views with live stock from the gate. */
  async function views(batches: CouponBatchDoc[]): Promise<BatchView[]> {
    const remaining = await gate.remaining(batches.filter((b) => b.mode === 'grab').map((b) => b._id.toHexString()));
    const now = clock.now();
    return batches.map((b) => toBatchView(b, remaining.get(b._id.toHexString()) ?? null, now));
  }

  return {
    /** A merchant's owner issues a batch for their shop; admins issue government consumption coupons. */
    async createBatch(actor: RoleHolder, body: CreateBatchBody): Promise<BatchView> {
      if (body.issuer.type === 'merchant') authorize(actor, merchantStaff(body.issuer.merchantId));
      else authorize(actor, { role: 'admin' });
      checkBatchRules(body);
      const merchantIds = body.issuer.type === 'merchant' ? [body.issuer.merchantId] : body.issuer.merchantIds;
      await merchants.assertApproved(merchantIds);
      const v = body.validity;
      const doc = await CouponBatchModel.create({
        title: body.title,
        description: body.description ?? '',
        kind: body.kind,
        value: body.value,
        threshold: body.threshold,
        totalStock: body.totalStock,
        perUserLimit: body.mode === 'lottery' ? 1 : body.perUserLimit,
        claimStartsAt: new Date(body.claimStartsAt),
        claimEndsAt: new Date(body.claimEndsAt),
        validity: v.type === 'fixed' ? { type: 'fixed', from: new Date(v.from), until: new Date(v.until) } : v,
        issuerType: body.issuer.type,
        ...(body.issuer.type === 'merchant' ? { issuerMerchantId: oid(body.issuer.merchantId) } : {}),
        merchantIds: [...new Set(merchantIds)].map(oid),
        mode: body.mode,
        createdBy: oid(actor.id),
        createdAt: clock.now(),
      });
      const batch = doc.toObject();
      if (batch.mode === 'grab') await gate.init(batch._id.toHexString(), batch.totalStock, []);
      return (await views([batch]))[0]!;
    },

    /** 领券中心: batches still open or upcoming (or ended, or all), with live stock from the gate, a page at a time by claim start. */
    async listBatches(query: {
      merchantId?: string;
      issuer?: 'merchant' | 'government';
      mode?: 'grab' | 'lottery';
      include: 'current' | 'ended' | 'all';
      order?: 'soonest' | 'latest';
      cursor?: string;
      limit: number;
    }): Promise<{ items: BatchView[]; nextCursor: string | null }> {
      const filter: Record<string, unknown> = {};
      if (query.merchantId) filter.merchantIds = oid(query.merchantId);
      if (query.issuer) filter.issuerType = query.issuer;
      if (query.mode) filter.mode = query.mode;
      if (query.include === 'current') filter.claimEndsAt = { $gt: clock.now() };
      if (query.include === 'ended') filter.claimEndsAt = { $lte: clock.now() };
      const { cursor, limit } = query;
      const order = query.order === 'latest' ? -1 : 1;
      const { docs, nextCursor } = await pageByKey(CouponBatchModel, filter, { cursor, limit }, { key: 'claimStartsAt', order });
      return { items: await views(docs), nextCursor };
    },

    async getBatch(id: string): Promise<BatchView> {
      return (await views([await store.mustFindBatch(id)]))[0]!;
    },
  };
}
