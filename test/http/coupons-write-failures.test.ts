/**
 * Acknowledged claims survive MongoDB dying mid-write. The claims are answered by the Redis gate; their
 * records follow in batched inserts. Here every insert of the burst fails the way a killed server makes it
 * fail — part of the batch written, then a network error whose writeErrors list is empty — and the test
 * proves that only the records proven stored leave the pending log, that the others stay pending, and that
 * reconciliation then writes each of them once: every 201 answer ends up in 我的券.
 */
import { Types } from 'mongoose';
import { batchResponseSchema, claimResponseSchema, couponListResponseSchema } from '@shared/schemas/coupons';
import { createCouponGate, RECONCILE_GRACE_MS } from '../../server/src/modules/coupons';
import { CouponModel } from '../../server/src/modules/coupons/coupons.model';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { dieMidInsert } from '../harness/mongo-faults';
import { approvedMerchant, batchBody } from './coupons-fixtures';

let t: TestContext;
let shop: { merchantId: string; owner: LoggedIn };
const START = new Date('2026-11-24T02:00:00Z');

beforeAll(async () => {
  t = await createTestContext({ now: START });
  shop = await approvedMerchant(t, await loginAs(t, 'editor'));
});
afterAll(() => t.close());

describe('claims answered while MongoDB dies mid-write', () => {
  it('keeps every unproven record pending, and reconciliation writes them all: no acknowledged claim is lost', async () => {
    const created = await shop.owner.agent.post('/api/v1/coupon-batches').send(batchBody(shop.merchantId, START, { totalStock: 40 }));
    const batchId = batchResponseSchema.parse(created.body).batch.id;
    const claimers = await Promise.all(Array.from({ length: 24 }, () => loginAs(t, 'citizen')));
    const service = t.services.coupons;
    const gate = createCouponGate(t.deps.redis);

    const dying = dieMidInsert(CouponModel.collection);
    let acknowledged: string[];
    try {
      const answers = await Promise.all(claimers.map((c) => c.agent.post(`/api/v1/coupon-batches/${batchId}/claim`)));
      expect(answers.map((a) => a.status)).toEqual(claimers.map(() => 201));
      acknowledged = answers.map((a) => claimResponseSchema.parse(a.body).coupon.id);
      await service.settled();
      expect(dying.calls).toBeGreaterThan(0);

      // Only what is proven stored has left the pending log; everything else waits there. Read in this order
      // (an entry only ever leaves the log after its record is stored), the check holds even if the writer's
      // own retry (after 1 s, failing the same way) runs in between.
      const pending = new Set((await gate.pending(batchId)).map((p) => p.claimId));
      const stored = new Set(
        (await CouponModel.find({ _id: { $in: acknowledged.map((id) => new Types.ObjectId(id)) } }, { _id: 1 }).lean()).map((d) =>
          d._id.toHexString(),
        ),
      );
      expect(pending.size).toBeGreaterThan(0);
      expect(acknowledged.filter((id) => !pending.has(id) && !stored.has(id))).toEqual([]);
    } finally {
      dying.restore();
    }

    // MongoDB is back: reconciliation writes the pending records under their claim ids.
    const report = await service.reconcile(new Date(START.getTime() + RECONCILE_GRACE_MS + 1000));
    expect(report.released).toBe(0);
    expect(await gate.pending(batchId)).toEqual([]);
    const records = await CouponModel.find({ batchId: new Types.ObjectId(batchId) }).lean();
    expect(records.map((r) => r._id.toHexString()).sort()).toEqual([...acknowledged].sort());
    for (const [i, claimer] of claimers.entries()) {
      const mine = couponListResponseSchema.parse((await claimer.agent.get('/api/v1/coupons/mine').expect(200)).body);
      expect(mine.items.map((c) => c.id)).toEqual([acknowledged[i]]);
    }
  });
});
