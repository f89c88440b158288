/**
 * Chaos on real processes (see stack.ts): the database killed with SIGKILL during claim, vote and redemption
 * bursts and started again on the same port and data; an API process killed mid-burst and replaced; Redis
 * killed and restarted mid-burst. After each: reconciliation, then the invariants — every acknowledged (2xx)
 * claim, vote and redemption is stored, nothing is oversold, tallies equal the stored votes, the gates and
 * MongoDB agree — and, while a dependency is down, answers are clear 503s in the error shape, never a 500,
 * never a hang. Timings only decide when a fault strikes; the assertions are about outcomes.
 */
import mongoose, { Types } from 'mongoose';
import { batchResponseSchema } from '@shared/schemas/coupons';
import { createCouponGate } from '../../server/src/modules/coupons';
import { CouponModel } from '../../server/src/modules/coupons/coupons.model';
import { VoteModel } from '../../server/src/modules/contests/contests.model';
import { pendingKey as votePendingKey } from '../../server/src/modules/contests/vote-gate';
import { GoodsModel, RedemptionModel } from '../../server/src/modules/mall/mall.model';
import { gateKey as mallGateKey } from '../../server/src/modules/mall/redeem-gate';
import { loginAs, type LoggedIn } from '../harness';
import { approvedMerchant, batchBody, manyUserTokens } from '../http/coupons-fixtures';
import { as, votingContestNow } from '../http/contests-helpers';
import { createGoods } from '../http/mall-fixtures';
import { burst, call, kill9, sleep, startApi, startStack, type Answer, type ApiChild, type Stack } from './stack';

let stack: Stack;
let admin: LoggedIn;
let shop: { merchantId: string; owner: LoggedIn };

beforeAll(async () => {
  stack = await startStack();
  admin = await loginAs(stack.control, 'admin');
  shop = await approvedMerchant(stack.control, await loginAs(stack.control, 'editor'));
});
// The control clock issues the tokens: real time, as the API processes' clocks.
beforeEach(() => stack.control.clock.set(new Date()));
afterAll(async () => {
  await stack?.close();
});

const key = () => `chaos-${new Types.ObjectId().toHexString()}`;
/** What reconciliation sees as "long ago": every pending entry is past its grace period. */
const later = () => new Date(Date.now() + 5 * 60_000);

/** Every answer is a success, an expected refusal, or a clear 503 in the error shape; never a 500, never a hang. */
function expectClearAnswers(answers: Answer[], refusals: readonly string[]) {
  for (const a of answers) {
    if (a.failure) {
      expect({ failure: a.failure }).toEqual({ failure: expect.stringMatching(/^(ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET|TypeError)$/) });
      continue;
    }
    if (a.status >= 200 && a.status < 300) continue;
    expect(a.body.error).toEqual(
      expect.objectContaining({ code: expect.any(String) as unknown as string, message: expect.any(String) as unknown as string }),
    );
    if (a.status === 503) continue;
    expect({ status: a.status, code: a.body.error!.code }).toEqual({
      status: a.status,
      code: expect.stringMatching(new RegExp(`^(${refusals.join('|')})$`)),
    });
  }
}

async function newCouponBatch(totalStock: number): Promise<string> {
  const res = await shop.owner.agent
    .post('/api/v1/coupon-batches')
    .send(batchBody(shop.merchantId, new Date(), { totalStock, perUserLimit: 1 }));
  expect(res.status).toBe(201);
  return batchResponseSchema.parse(res.body).batch.id;
}

/** After reconciliation: every acknowledged claim is stored, nothing oversold, the gate agrees with MongoDB. */
async function expectCouponsConsistent(batchId: string, totalStock: number, acknowledged: string[]) {
  const report = await stack.control.services.coupons.reconcile(later());
  expect(report.released).toBe(0);
  const gate = createCouponGate(stack.control.deps.redis);
  expect(await gate.pending(batchId)).toEqual([]);
  const records = (await CouponModel.find({ batchId: new Types.ObjectId(batchId) }, { _id: 1 }).lean()).map((r) => r._id.toHexString());
  const stored = new Set(records);
  expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  expect(records.length).toBeLessThanOrEqual(totalStock);
  expect((await gate.remaining([batchId])).get(batchId)).toBe(totalStock - records.length);
}

const markers = () => mongoose.connection.db!.collection<{ _id: string }>('chaos_markers');
const claimUrl = (api: ApiChild, batchId: string) => `${api.url}/api/v1/coupon-batches/${batchId}/claim`;
const claimedIds = (answers: Answer[]) =>
  answers.filter((a) => a.status === 201).map((a) => (a.body as { coupon: { id: string } }).coupon.id);

describe('MongoDB killed (SIGKILL) during bursts and restarted on the same port and data', () => {
  it('claims, votes and redemptions acknowledged before, during and after the outage are all stored', async () => {
    const { control } = stack;
    // Coupons: 300 claimers for 200 coupons.
    const batchId = await newCouponBatch(200);
    const claimers = manyUserTokens(control, 300);

    // A contest in its voting round at the real clock: rounds set up on the control clock three hours back.
    const { contest, entries } = await votingContestNow(control, admin, '混沌');
    const voters = manyUserTokens(control, 100);

    // Mall: goods of 60 units at 10 points; 80 users with 20 points each (two each at most, stock decides).
    const goods = await createGoods(admin, 'outlet-chaos', '混沌商品', { stock: 60, price: 10 });
    const buyers = manyUserTokens(control, 80);
    const { points } = control.services;
    for (const b of buyers)
      await points.earn({
        userId: b.userId,
        source: 'contest',
        amount: 20,
        reason: '评选奖励',
        ref: { type: 'test', id: b.userId },
        idempotencyKey: `chaos:${b.userId}`,
      });

    const api = await startApi(stack.mongo.uri, stack.redis.url, stack.wechatUrl);
    try {
      const requests = [
        ...claimers.map((c) => () => call(claimUrl(api, batchId), { token: c.token, headers: { 'idempotency-key': key() } }, 30_000)),
        ...voters.flatMap((v) =>
          entries.map((e) => () => call(`${api.url}/api/v1/contests/${contest.id}/entries/${e.id}/votes`, { token: v.token }, 30_000)),
        ),
        ...buyers.flatMap((b) =>
          [0, 1].map(
            () => () =>
              call(
                `${api.url}/api/v1/mall/goods/${goods.id}/redeem`,
                { token: b.token, headers: { 'idempotency-key': key() }, body: {} },
                30_000,
              ),
          ),
        ),
      ];
      // Interleaved, so each kind of write is in flight when the database dies.
      const order = requests.map((_, i) => i).sort((a, b) => ((a * 7919) % requests.length) - ((b * 7919) % requests.length));
      const [answers] = await Promise.all([
        burst(requests.length, 24, 6_000, (i) => requests[order[i]!]!()),
        (async () => {
          await sleep(1_500);
          // The database's own promise: a write it acknowledged just before the kill is there after the restart.
          await markers().insertMany(Array.from({ length: 50 }, (_, n) => ({ _id: `before-kill-${n}` })));
          await kill9(stack.mongo.child);
          await sleep(3_000);
          await stack.restartMongo();
        })(),
      ]);
      expect(await markers().countDocuments({ _id: { $regex: '^before-kill-' } })).toBe(50);
      const byRequest = new Array<Answer>(requests.length);
      order.forEach((r, i) => (byRequest[r] = answers[i]!));
      const claims = byRequest.slice(0, claimers.length);
      const votes = byRequest.slice(claimers.length, claimers.length + voters.length * entries.length);
      const redemptions = byRequest.slice(claimers.length + voters.length * entries.length);
      expectClearAnswers(claims, ['COUPON_SOLD_OUT']);
      expectClearAnswers(votes, []);
      expectClearAnswers(redemptions, ['GOODS_SOLD_OUT', 'POINTS_INSUFFICIENT', 'GOODS_LIMIT_REACHED']);
      expect(claims.filter((a) => a.status === 201).length).toBeGreaterThan(0);
      expect(votes.filter((a) => a.status === 201).length).toBeGreaterThan(0);
      expect(redemptions.filter((a) => a.status === 201).length).toBeGreaterThan(0);
      await api.settle();

      // Coupons: reconciliation, then every acknowledged claim is in MongoDB, none oversold.
      await expectCouponsConsistent(batchId, 200, claimedIds(claims));

      // Votes: the admin's reconcile stores what is pending; tallies = stored votes ⊇ acknowledged votes.
      await (await as(control, admin)).post(`/api/v1/contests/${contest.id}/reconcile`).expect(200);
      expect(await control.deps.redis.hlen(votePendingKey(contest.id))).toBe(0);
      const storedVotes = new Set((await VoteModel.find({ contestId: contest.id }, { _id: 1 }).lean()).map((v) => v._id.toHexString()));
      const votedIds = votes.filter((a) => a.status === 201).map((a) => a.body.voteId as string);
      expect(votedIds.filter((id) => !storedVotes.has(id))).toEqual([]);
      expect(await control.services.contests.tallyMismatch(contest.id)).toBe(0);

      // Redemptions: the reconcile job's work; every acknowledged one recorded, stock never below zero.
      const mall = await control.services.mall.reconcile(later());
      expect(mall.failed).toBe(0);
      expect(await control.deps.redis.hlen(mallGateKey.pending)).toBe(0);
      const records = await RedemptionModel.find({ goodsId: new Types.ObjectId(goods.id) }, { status: 1 }).lean();
      const recorded = new Set(records.map((r) => r._id.toHexString()));
      const redeemed = redemptions.filter((a) => a.status === 201).map((a) => (a.body as { redemption: { id: string } }).redemption.id);
      expect(redeemed.filter((id) => !recorded.has(id))).toEqual([]);
      const held = records.filter((r) => r.status !== 'cancelled').length;
      expect(held).toBeLessThanOrEqual(60);
      expect((await GoodsModel.findById(goods.id).lean())!.stock).toBe(60 - held);
    } finally {
      await api.stop();
    }
  });
});

describe('an API process killed (SIGKILL) mid-burst and replaced', () => {
  it('no oversell and no acknowledged claim lost', async () => {
    const batchId = await newCouponBatch(150);
    const claimers = manyUserTokens(stack.control, 400);
    const keys = claimers.map(() => key());
    let api = await startApi(stack.mongo.uri, stack.redis.url, stack.wechatUrl);
    const apis: ApiChild[] = [api];
    try {
      const [answers] = await Promise.all([
        burst(claimers.length, 24, 5_000, (i) =>
          call(claimUrl(api, batchId), { token: claimers[i]!.token, headers: { 'idempotency-key': keys[i]! } }),
        ),
        (async () => {
          await sleep(1_500);
          const dying = api;
          await kill9(dying.child);
          // Requests meanwhile go to the dead port (refused: not acknowledged) until the replacement listens.
          api = await startApi(stack.mongo.uri, stack.redis.url, stack.wechatUrl);
          apis.push(api);
        })(),
      ]);
      expectClearAnswers(answers, ['COUPON_SOLD_OUT']);
      const lost = answers.flatMap((a, i) => (a.failure ? [i] : []));
      expect(lost.length).toBeGreaterThan(0);
      // The clients whose answer was lost retry with the same key at the new process: a claim the dead one
      // admitted comes back (replayed) rather than a second one; the others are claimed now or sold out.
      const retried = await Promise.all(
        lost.map((i) => call(claimUrl(api, batchId), { token: claimers[i]!.token, headers: { 'idempotency-key': keys[i]! } })),
      );
      expectClearAnswers(retried, ['COUPON_SOLD_OUT']);
      expect(retried.filter((a) => a.failure)).toEqual([]);
      await api.settle();
      await expectCouponsConsistent(batchId, 150, [...claimedIds(answers), ...claimedIds(retried)]);
      // One coupon per person (the limit), whichever process answered and however often the client retried.
      const perUser = await CouponModel.aggregate<{ n: number }>([
        { $match: { batchId: new Types.ObjectId(batchId) } },
        { $group: { _id: '$userId', n: { $sum: 1 } } },
      ]);
      expect(perUser.filter((u) => u.n > 1)).toEqual([]);
    } finally {
      for (const a of apis) await a.stop();
    }
  });
});

describe('Redis killed (SIGKILL) mid-burst and restarted with its AOF', () => {
  it('answers clear 503s meanwhile (no 500, no hang), recovers within seconds, loses no acknowledged claim', async () => {
    const batchId = await newCouponBatch(1_000);
    const claimers = manyUserTokens(stack.control, 500);
    const api = await startApi(stack.mongo.uri, stack.redis.url, stack.wechatUrl);
    let restartedAt = 0;
    try {
      const [answers] = await Promise.all([
        burst(claimers.length, 16, 6_000, (i) =>
          call(claimUrl(api, batchId), { token: claimers[i]!.token, headers: { 'idempotency-key': key() } }, 10_000),
        ),
        (async () => {
          await sleep(1_500);
          await kill9(stack.redis.child);
          await sleep(2_000);
          await stack.restartRedis();
          restartedAt = Date.now();
        })(),
      ]);
      expectClearAnswers(answers, []);
      expect(answers.filter((a) => a.failure)).toEqual([]);
      expect(answers.filter((a) => a.status === 503).length).toBeGreaterThan(0);
      for (const a of answers.filter((x) => x.status === 503))
        expect(a.body.error!.code).toMatch(/^(SERVICE_UNAVAILABLE|COUPON_GATE_RECOVERING)$/);

      // Recovery: a fresh claimer gets a coupon within 15 s of Redis being back.
      const late = manyUserTokens(stack.control, 1)[0]!;
      let recovered: Answer | undefined;
      while (Date.now() - restartedAt < 15_000) {
        recovered = await call(claimUrl(api, batchId), { token: late.token, headers: { 'idempotency-key': 'late-claimer' } }, 10_000);
        if (recovered.status === 201) break;
        await sleep(250);
      }
      expect(recovered?.status).toBe(201);
      await api.settle();
      await expectCouponsConsistent(batchId, 1_000, [...claimedIds(answers), (recovered!.body as { coupon: { id: string } }).coupon.id]);
    } finally {
      await api.stop();
    }
  });
});
