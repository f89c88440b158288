/**
 * The coupon grab over real HTTP: 2,000 concurrent claims on a batch of 100 issue exactly 100 (Redis gate
 * + durable MongoDB record), the per-user limit holds under concurrency, the refusal reasons come back at
 * once in Chinese (sold out, limit reached, not started, ended, lottery-only), a crash between the gate
 * and the record is repaired by reconciliation (record written from the pending log, never twice), and a
 * Redis that lost the gate is rebuilt from MongoDB without overselling.
 */
import { Types } from 'mongoose';
import { batchResponseSchema, claimResponseSchema, couponListResponseSchema } from '@shared/schemas/coupons';
import { createCouponGate, GATE_REBUILD_QUIET_MS, gateKeys, RECONCILE_GRACE_MS } from '../../server/src/modules/coupons';
import { CouponModel, type CouponDoc } from '../../server/src/modules/coupons/coupons.model';
import { createDurableWriter } from '../../server/src/modules/coupons/durable-writer';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { approvedMerchant, batchBody, claimOver, listen, manyUserTokens } from './coupons-fixtures';

let t: TestContext;
let editor: LoggedIn;
let shop: { merchantId: string; owner: LoggedIn };
const START = new Date('2026-11-24T02:00:00Z');

beforeAll(async () => {
  t = await createTestContext({ now: START });
  editor = await loginAs(t, 'editor');
  shop = await approvedMerchant(t, editor);
});
afterAll(() => t.close());

async function newBatch(over: Record<string, unknown> = {}): Promise<string> {
  const res = await shop.owner.agent.post('/api/v1/coupon-batches').send(batchBody(shop.merchantId, t.clock.now(), over));
  expect(res.status).toBe(201);
  return batchResponseSchema.parse(res.body).batch.id;
}

describe('grab', () => {
  it('2,000 concurrent claims on a batch of 100 issue exactly 100 coupons to 100 different people', async () => {
    const batchId = await newBatch({ totalStock: 100 });
    const users = manyUserTokens(t, 2000);
    const server = await listen(t);
    try {
      const results = await Promise.all(users.map((u) => claimOver(server.url, batchId, u.token)));
      const won = results.filter((r) => r.status === 201);
      const refused = results.filter((r) => r.status !== 201);
      expect(won).toHaveLength(100);
      expect(refused).toHaveLength(1900);
      for (const r of refused) {
        expect(r.status).toBe(410);
        expect(r.body.error).toEqual({ code: 'COUPON_SOLD_OUT', message: '券已抢完', details: { remaining: 0 } });
      }
    } finally {
      await server.close();
    }
    // Answers leave right after the gate; the records follow in batched writes.
    await t.services.coupons.settled();
    const records = await CouponModel.find({ batchId: new Types.ObjectId(batchId) }).lean();
    expect(records).toHaveLength(100);
    expect(new Set(records.map((r) => r.userId.toHexString())).size).toBe(100);
    expect(new Set(records.map((r) => r.code)).size).toBe(100);
    const [stock, , pending] = gateKeys(batchId);
    expect(await t.deps.redis.get(stock)).toBe('0');
    expect(await t.deps.redis.hlen(pending)).toBe(0);
    const centre = await t.request.get(`/api/v1/coupon-batches/${batchId}`).expect(200);
    expect(centre.body.batch.remaining).toBe(0);
    // 2,000 real HTTP requests: generous on a shared 2-core CI machine (correctness, not speed, is asserted).
  }, 180_000);

  it('holds the per-user limit when one person fires 50 claims at once', async () => {
    const batchId = await newBatch({ totalStock: 1000, perUserLimit: 2 });
    const [me] = manyUserTokens(t, 1);
    const server = await listen(t);
    try {
      const results = await Promise.all(Array.from({ length: 50 }, () => claimOver(server.url, batchId, me!.token)));
      expect(results.filter((r) => r.status === 201)).toHaveLength(2);
      const refused = results.filter((r) => r.status !== 201);
      expect(refused).toHaveLength(48);
      for (const r of refused) {
        expect(r.status).toBe(422);
        expect(r.body.error?.code).toBe('COUPON_LIMIT_REACHED');
        expect(r.body.error?.message).toBe('每人限领 2 张，你已领取 2 张');
      }
    } finally {
      await server.close();
    }
    await t.services.coupons.settled();
    const records = await CouponModel.find({ batchId: new Types.ObjectId(batchId) }).lean();
    expect(records.map((r) => r.seq).sort()).toEqual([1, 2]);
    expect((await t.request.get(`/api/v1/coupon-batches/${batchId}`)).body.batch.remaining).toBe(998);
  });

  it('answers a successful claim with the coupon, and it shows in 我的券', async () => {
    const batchId = await newBatch({ totalStock: 3 });
    const buyer = await loginAs(t, 'citizen');
    const res = await buyer.agent.post(`/api/v1/coupon-batches/${batchId}/claim`).expect(201);
    const { coupon, remaining } = claimResponseSchema.parse(res.body);
    expect(remaining).toBe(2);
    expect(coupon).toMatchObject({ batchId, status: 'unused', kind: 'spend_x_save_y', value: 2000, threshold: 10000 });
    expect(new Date(coupon.validUntil).getTime() - new Date(coupon.validFrom).getTime()).toBe(7 * 86_400_000);
    const mine = couponListResponseSchema.parse((await buyer.agent.get('/api/v1/coupons/mine').expect(200)).body);
    expect(mine.items.map((c) => c.id)).toEqual([coupon.id]);
  });

  it('replays a retried claim with the same Idempotency-Key instead of issuing a second coupon', async () => {
    const batchId = await newBatch({ totalStock: 10, perUserLimit: 3 });
    const buyer = await loginAs(t, 'citizen');
    const first = await buyer.agent.post(`/api/v1/coupon-batches/${batchId}/claim`).set('Idempotency-Key', 'grab-retry-0001').expect(201);
    const retry = await buyer.agent.post(`/api/v1/coupon-batches/${batchId}/claim`).set('Idempotency-Key', 'grab-retry-0001').expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.coupon.id).toBe(first.body.coupon.id);
    await t.services.coupons.settled();
    expect(await CouponModel.countDocuments({ batchId: new Types.ObjectId(batchId) })).toBe(1);
  });

  it('a retry with the same key after the record failed to write gets the same coupon, never a second (limit 3)', async () => {
    const batchId = await newBatch({ totalStock: 10, perUserLimit: 3 });
    const buyer = await loginAs(t, 'citizen');
    const service = t.services.coupons;
    const gate = createCouponGate(t.deps.redis);
    const grab = (key: string) => buyer.agent.post(`/api/v1/coupon-batches/${batchId}/claim`).set('Idempotency-Key', key);
    // MongoDB refuses the buyer's first record: a document already holds (batch, user, seq 1), a real
    // unique-index failure of the durable write. The gate has admitted the claim and logged it as pending.
    const blocker = await CouponModel.collection.insertOne({
      batchId: new Types.ObjectId(batchId),
      userId: new Types.ObjectId(buyer.user.id),
      seq: 1,
      code: `blocker-${batchId}`,
    } as never);
    const first = await grab('grab-pending-0001').expect(201);
    await service.settled();
    expect(await CouponModel.exists({ _id: new Types.ObjectId(first.body.coupon.id as string) })).toBeNull();
    expect((await gate.pending(batchId)).map((p) => p.claimId)).toEqual([first.body.coupon.id]);

    // The client retries with the same key (its answer was lost): the same coupon, nothing more taken.
    const retries = await Promise.all([grab('grab-pending-0001'), grab('grab-pending-0001'), grab('grab-pending-0001')]);
    for (const retry of retries) {
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(claimResponseSchema.parse(retry.body)).toEqual({ coupon: first.body.coupon, remaining: 9 });
    }
    expect((await gate.remaining([batchId])).get(batchId)).toBe(9);

    // MongoDB takes writes again; reconciliation (or the writer's own retry) writes that one record.
    await CouponModel.collection.deleteOne({ _id: blocker.insertedId });
    t.clock.advance(RECONCILE_GRACE_MS + 1000);
    const report = await service.reconcile(t.clock.now());
    t.clock.set(START);
    expect(report.written + report.confirmed).toBe(1);
    expect(report.released).toBe(0);
    const again = await grab('grab-pending-0001').expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.coupon).toEqual(first.body.coupon);
    const mine = await CouponModel.find({ batchId: new Types.ObjectId(batchId), userId: new Types.ObjectId(buyer.user.id) }).lean();
    expect(mine.map((c) => [c._id.toHexString(), c.code, c.seq])).toEqual([[first.body.coupon.id, mine[0]!.code, 1]]);

    // A new key is a new grab: a second coupon (the limit is 3).
    const second = await grab('grab-pending-0002').expect(201);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(second.body.coupon.id).not.toBe(first.body.coupon.id);
    expect(second.body.remaining).toBe(8);
    await service.settled();
    const both = await CouponModel.find({ batchId: new Types.ObjectId(batchId) })
      .sort({ seq: 1 })
      .lean();
    expect(both.map((c) => [c._id.toHexString(), c.seq])).toEqual([
      [first.body.coupon.id, 1],
      [second.body.coupon.id, 2],
    ]);
    expect(await gate.pending(batchId)).toEqual([]);
  });

  it('gives the code it answered with to the record, and refuses a malformed Idempotency-Key', async () => {
    const batchId = await newBatch({ totalStock: 5, perUserLimit: 2 });
    const buyer = await loginAs(t, 'citizen');
    const res = await buyer.agent.post(`/api/v1/coupon-batches/${batchId}/claim`).set('Idempotency-Key', 'grab-code-0001').expect(201);
    const qr = await buyer.agent.get(`/api/v1/coupons/${res.body.coupon.id}/qrcode`).expect(200);
    const record = await CouponModel.findById(res.body.coupon.id).lean();
    expect(qr.body.payload).toBe(`rmcoupon:${record!.code}`);
    expect(record!.requestKey).toBe('grab-code-0001');
    const bad = await buyer.agent.post(`/api/v1/coupon-batches/${batchId}/claim`).set('Idempotency-Key', 'bad key!').expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect((await t.request.get(`/api/v1/coupon-batches/${batchId}`)).body.batch.remaining).toBe(4);
  });

  it('says why not: not started, ended, unknown batch, malformed id, signed out', async () => {
    const buyer = await loginAs(t, 'citizen');
    const later = await newBatch({
      claimStartsAt: new Date(START.getTime() + 10 * 60_000).toISOString(),
      claimEndsAt: new Date(START.getTime() + 12 * 60_000).toISOString(),
    });
    const early = await buyer.agent.post(`/api/v1/coupon-batches/${later}/claim`).expect(409);
    expect(early.body.error).toMatchObject({ code: 'COUPON_NOT_STARTED', message: '还没到领券时间' });

    t.clock.advance(13 * 60_000); // past the window, still within the access token's 15 minutes
    const late = await buyer.agent.post(`/api/v1/coupon-batches/${later}/claim`);
    t.clock.set(START);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'COUPON_ENDED', message: '领券已结束' });

    const unknown = await buyer.agent.post(`/api/v1/coupon-batches/${new Types.ObjectId().toHexString()}/claim`).expect(404);
    expect(unknown.body.error.code).toBe('COUPON_BATCH_NOT_FOUND');
    await t.request.post(`/api/v1/coupon-batches/${later}/claim`).expect(401);
    await buyer.agent.post('/api/v1/coupon-batches/not-an-id/claim').expect(400);
  });

  it('refuses batches that make no sense and batches for a shop the caller does not own', async () => {
    const bad = await shop.owner.agent
      .post('/api/v1/coupon-batches')
      .send(batchBody(shop.merchantId, START, { kind: 'spend_x_save_y', value: 5000, threshold: 3000 }))
      .expect(400);
    // The refusal names its field, so the console can show it there.
    expect(bad.body.error).toEqual({
      code: 'COUPON_BATCH_INVALID',
      message: '满减券的门槛应大于减免金额',
      details: { field: 'threshold' },
    });
    const other = await approvedMerchant(t, editor);
    await shop.owner.agent.post('/api/v1/coupon-batches').send(batchBody(other.merchantId, START)).expect(403);
    const gov = await shop.owner.agent
      .post('/api/v1/coupon-batches')
      .send(batchBody(shop.merchantId, START, { issuer: { type: 'government', merchantIds: [shop.merchantId] } }))
      .expect(403);
    expect(gov.body.error.code).toBe('FORBIDDEN');
    await shop.owner.agent
      .post('/api/v1/coupon-batches')
      .send({ ...batchBody(shop.merchantId, START), $where: 1 })
      .expect(400);
    // Missing amounts are refused in words the console shows under the fields.
    const { value: _value, totalStock: _stock, ...noAmounts } = batchBody(shop.merchantId, START);
    const missing = await shop.owner.agent.post('/api/v1/coupon-batches').send(noAmounts).expect(400);
    expect(missing.body.error.details.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'value', message: '请填写面额' }),
        expect.objectContaining({ path: 'totalStock', message: '请填写发放总量' }),
      ]),
    );
  });
});

describe('reconciliation after a crash between the gate and the record', () => {
  it('writes the record from the pending log once the grace period has passed, and never twice', async () => {
    const batchId = await newBatch({ totalStock: 10 });
    const gate = createCouponGate(t.deps.redis);
    const service = t.services.coupons;
    const victim = new Types.ObjectId().toHexString();
    const claimId = new Types.ObjectId().toHexString();
    // Step one of a claim (the gate admits) … and the process dies before the MongoDB write.
    const admitted = await gate.admit(batchId, {
      userId: victim,
      perUserLimit: 1,
      claimId,
      now: t.clock.now(),
      code: 'reconciledCode000001',
      requestKey: 'grab-crash-0001',
    });
    expect(admitted).toEqual({ ok: true, replay: false, seq: 1, remaining: 9 });
    expect(await CouponModel.countDocuments({ batchId: new Types.ObjectId(batchId) })).toBe(0);

    // Too fresh: the request might still be writing.
    expect(await service.reconcile(t.clock.now())).toMatchObject({ written: 0, confirmed: 0 });
    t.clock.advance(RECONCILE_GRACE_MS + 1000);
    expect(await service.reconcile(t.clock.now())).toMatchObject({ written: 1, released: 0 });
    const records = await CouponModel.find({ batchId: new Types.ObjectId(batchId) }).lean();
    expect(records).toHaveLength(1);
    // The very coupon the user was answered with: same id, same redemption code, same request key.
    expect(records[0]).toMatchObject({
      userId: new Types.ObjectId(victim),
      seq: 1,
      source: 'reconciled',
      status: 'unused',
      code: 'reconciledCode000001',
      requestKey: 'grab-crash-0001',
    });
    expect(records[0]!._id.toHexString()).toBe(claimId);
    expect(await gate.pending(batchId)).toEqual([]);

    // Running it again changes nothing; the stock stays taken (9 left), and the user's quota too.
    expect(await service.reconcile(t.clock.now())).toMatchObject({ written: 0, confirmed: 0, released: 0 });
    expect((await gate.remaining([batchId])).get(batchId)).toBe(9);
    const admission = { userId: victim, perUserLimit: 1, now: t.clock.now(), code: 'x', requestKey: null };
    const again = await gate.admit(batchId, { ...admission, claimId: new Types.ObjectId().toHexString() });
    expect(again).toMatchObject({ ok: false, reason: 'limit_reached' });
    // Its retry (same key) is still recognised: the same claim, answered from the record.
    const retried = await gate.admit(batchId, { ...admission, claimId: new Types.ObjectId().toHexString(), requestKey: 'grab-crash-0001' });
    expect(retried).toMatchObject({ ok: true, replay: true, claimId, pending: null });
    t.clock.set(START);
  });

  it('only clears the pending entry when the record was written but the process died before saying so', async () => {
    const batchId = await newBatch({ totalStock: 10 });
    const buyer = await loginAs(t, 'citizen');
    const res = await buyer.agent.post(`/api/v1/coupon-batches/${batchId}/claim`).expect(201);
    const claimId = res.body.coupon.id as string;
    await t.services.coupons.settled();
    // The pending entry as the gate logged it, put back as if the HDEL after the write never ran.
    await t.deps.redis.hset(gateKeys(batchId)[2], claimId, `${buyer.user.id}:1:${START.getTime()}`);
    t.clock.advance(RECONCILE_GRACE_MS + 1000);
    const report = await t.services.coupons.reconcile(t.clock.now());
    t.clock.set(START);
    expect(report).toMatchObject({ confirmed: 1, written: 0, released: 0 });
    expect(await CouponModel.countDocuments({ batchId: new Types.ObjectId(batchId) })).toBe(1);
    expect((await createCouponGate(t.deps.redis).remaining([batchId])).get(batchId)).toBe(9);
  });

  it("frees a settled batch's gate a day after its window, and does not rebuild it", async () => {
    const batchId = await newBatch({ totalStock: 4, claimEndsAt: new Date(START.getTime() + 10 * 60_000).toISOString() });
    const buyer = await loginAs(t, 'citizen');
    await buyer.agent.post(`/api/v1/coupon-batches/${batchId}/claim`).expect(201);
    const service = t.services.coupons;
    expect((await service.reconcile(new Date(START.getTime() + 20 * 60_000))).dropped).toBe(0);
    const later = new Date(START.getTime() + 10 * 60_000 + 86_400_000 + 1000);
    expect((await service.reconcile(later)).dropped).toBeGreaterThanOrEqual(1);
    expect(await t.deps.redis.exists(...gateKeys(batchId))).toBe(0);
    expect((await service.reconcile(later)).rebuilt).toBe(0);
    expect(await t.deps.redis.exists(...gateKeys(batchId))).toBe(0);
    expect(await CouponModel.countDocuments({ batchId: new Types.ObjectId(batchId) })).toBe(1);
  });

  it('rebuilds a gate Redis lost from MongoDB, so the stock already issued is not handed out again', async () => {
    const batchId = await newBatch({ totalStock: 5 });
    const first = manyUserTokens(t, 3);
    const server = await listen(t);
    try {
      const won: string[] = [];
      for (const [i, u] of first.entries()) {
        const res = await claimOver(server.url, batchId, u.token, `grab-rebuild-${i}`);
        expect(res.status).toBe(201);
        won.push(res.body.coupon!.id);
      }
      await t.deps.redis.del(...gateKeys(batchId));
      // The gate stays closed for a quiet period, counted from its first sighting by any process…
      const early = await claimOver(server.url, batchId, manyUserTokens(t, 1)[0]!.token);
      expect(early.status).toBe(503);
      expect(early.body.error?.code).toBe('COUPON_GATE_RECOVERING');
      // …in which another process's writer still puts a claim it answered before the loss into MongoDB.
      await t.services.coupons.settled();
      const other = await CouponModel.findById(won[2]).lean();
      expect(other).not.toBeNull();
      await CouponModel.collection.insertOne({
        ...other!,
        _id: new Types.ObjectId(),
        userId: new Types.ObjectId(),
        code: `late-${Date.now()}`,
      });
      t.clock.advance(GATE_REBUILD_QUIET_MS - 1);
      expect((await claimOver(server.url, batchId, manyUserTokens(t, 1)[0]!.token)).status).toBe(503);
      t.clock.advance(1);
      // Then it is rebuilt from MongoDB, that late record counted. One of the earlier winners tries again
      // (limit 1) alongside 10 newcomers: only 1 coupon is left.
      const newcomers = manyUserTokens(t, 10);
      const results = await Promise.all([first[0]!, ...newcomers].map((u) => claimOver(server.url, batchId, u.token)));
      expect(results[0]!.body.error?.code).toBe('COUPON_LIMIT_REACHED');
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      // Another winner's retry of its own request (same key) is still recognised by the rebuilt gate.
      const retry = await claimOver(server.url, batchId, first[1]!.token, 'grab-rebuild-1');
      expect(retry).toMatchObject({ status: 201, body: { coupon: { id: won[1] } } });
    } finally {
      await server.close();
    }
    await t.services.coupons.settled();
    expect(await CouponModel.countDocuments({ batchId: new Types.ObjectId(batchId) })).toBe(5);
  });

  it('reconciliation leaves a lost gate closed for the quiet period too, then rebuilds it from the records', async () => {
    const batchId = await newBatch({ totalStock: 4 });
    const server = await listen(t);
    try {
      expect((await claimOver(server.url, batchId, manyUserTokens(t, 1)[0]!.token)).status).toBe(201);
    } finally {
      await server.close();
    }
    await t.services.coupons.settled();
    await t.deps.redis.del(...gateKeys(batchId));
    const service = t.services.coupons;
    await service.reconcile();
    expect(await t.deps.redis.exists(gateKeys(batchId)[0])).toBe(0);
    t.clock.advance(GATE_REBUILD_QUIET_MS);
    await service.reconcile();
    expect(await t.deps.redis.get(gateKeys(batchId)[0])).toBe('3');
  });
});

describe('the durable writer behind the gate', () => {
  let seq = 0;
  const record = (batchId: Types.ObjectId): CouponDoc => {
    seq += 1;
    const at = t.clock.now();
    return {
      _id: new Types.ObjectId(),
      batchId,
      userId: new Types.ObjectId(),
      seq,
      code: `dw-${seq}-${Date.now()}`,
      status: 'unused',
      title: '满50减10',
      kind: 'amount_off',
      value: 10,
      threshold: 50,
      merchantIds: [new Types.ObjectId(shop.merchantId)],
      claimedAt: at,
      validFrom: at,
      validUntil: new Date(at.getTime() + 7 * 86_400_000),
      source: 'grab',
    };
  };

  it('idle() waits for the records queued before it, not for a rush that keeps the queue full', async () => {
    const writer = createDurableWriter(createCouponGate(t.deps.redis), t.deps.logger);
    const batchId = new Types.ObjectId();
    const mine = Array.from({ length: 20 }, () => record(batchId));
    for (const doc of mine) writer.write(doc);

    // The rush goes on, faster than one insertMany at a time drains it (10 records a millisecond), for up to
    // 5 seconds or until idle() has answered.
    let answered = false;
    let produced = 0;
    const rush = (async () => {
      const until = Date.now() + 5_000;
      while (!answered && Date.now() < until) {
        for (let i = 0; i < 10; i += 1) writer.write(record(batchId));
        produced += 10;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      return Date.now() < until;
    })();
    await writer.idle();
    answered = true;
    // The rush was still going when idle() answered, and everything queued before it is in MongoDB.
    expect(await rush).toBe(true);
    expect(await CouponModel.countDocuments({ _id: { $in: mine.map((d) => d._id) } })).toBe(mine.length);

    // Once the rush is over, idle() still covers everything queued.
    await writer.idle();
    expect(await CouponModel.countDocuments({ batchId })).toBe(mine.length + produced);
  });
});
