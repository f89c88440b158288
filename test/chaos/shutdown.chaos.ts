/**
 * Graceful shutdown on a real API process (see stack.ts): SIGTERM right after a burst of coupon claims and votes,
 * while the last answers' records are still in the batched writers. The process stops taking requests, finishes
 * those in flight, writes what the writers hold and only then closes MongoDB — so, without any reconciliation run, every acknowledged (2xx) claim and vote is in
 * MongoDB and nothing is left pending.
 */
import { Types } from 'mongoose';
import type { ChildProcess } from 'node:child_process';
import { batchResponseSchema } from '@shared/schemas/coupons';
import { createCouponGate } from '../../server/src/modules/coupons';
import { CouponModel } from '../../server/src/modules/coupons/coupons.model';
import { VoteModel } from '../../server/src/modules/contests/contests.model';
import { pendingKey as votePendingKey } from '../../server/src/modules/contests/vote-gate';
import { loginAs, type LoggedIn } from '../harness';
import { approvedMerchant, batchBody, manyUserTokens } from '../http/coupons-fixtures';
import { votingContestNow } from '../http/contests-helpers';
import { burst, call, startApi, startStack, type Answer, type Stack } from './stack';

let stack: Stack;
let admin: LoggedIn;
let shop: { merchantId: string; owner: LoggedIn };

beforeAll(async () => {
  stack = await startStack();
  admin = await loginAs(stack.control, 'admin');
  shop = await approvedMerchant(stack.control, await loginAs(stack.control, 'editor'));
});
afterAll(async () => {
  await stack?.close();
});

const exitOf = (child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve({ code: child.exitCode, signal: child.signalCode })
    : new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

describe('SIGTERM right after a burst of claims and votes', () => {
  it('exits cleanly with every acknowledged claim and vote stored in MongoDB, no reconciliation needed', async () => {
    const { control } = stack;
    control.clock.set(new Date());
    const res = await shop.owner.agent
      .post('/api/v1/coupon-batches')
      .send(batchBody(shop.merchantId, new Date(), { totalStock: 1000, perUserLimit: 1 }));
    expect(res.status).toBe(201);
    const batchId = batchResponseSchema.parse(res.body).batch.id;
    const claimers = manyUserTokens(control, 400);

    const { contest, entries } = await votingContestNow(control, admin, '停机');
    const voters = manyUserTokens(control, 150);

    const api = await startApi(stack.mongo.uri, stack.redis.url, stack.wechatUrl);
    const exit = exitOf(api.child);
    const requests = [
      ...claimers.map(
        (c) => () =>
          call(`${api.url}/api/v1/coupon-batches/${batchId}/claim`, { token: c.token, headers: { 'idempotency-key': `sd-${c.userId}` } }),
      ),
      ...voters.flatMap((v) =>
        entries.map((e) => () => call(`${api.url}/api/v1/contests/${contest.id}/entries/${e.id}/votes`, { token: v.token })),
      ),
    ];
    // Interleaved, so claims and votes are both in flight when the signal comes.
    const order = requests.map((_, i) => i).sort((a, b) => ((a * 7919) % requests.length) - ((b * 7919) % requests.length));
    let answers: Answer[] = [];
    try {
      answers = await burst(requests.length, 24, 2_000, (i) => requests[order[i]!]!());
      // At once: the last answers' records are still in the writers' batches (votes linger up to 25 ms).
      api.child.kill('SIGTERM');
    } finally {
      // A shutdown that hangs fails here instead of holding the run; SIGKILL would leave the evidence pending.
      const timer = setTimeout(() => api.child.kill('SIGKILL'), 20_000);
      const { code, signal } = await exit;
      clearTimeout(timer);
      expect({ code, signal }).toEqual({ code: 0, signal: null });
    }

    const byRequest = new Array<Answer>(requests.length);
    order.forEach((r, i) => (byRequest[r] = answers[i]!));
    expect(byRequest.map((a) => a.status)).toEqual(byRequest.map(() => 201));
    const claimed = byRequest.slice(0, claimers.length).map((a) => (a.body as { coupon: { id: string } }).coupon.id);
    const voted = byRequest.slice(claimers.length).map((a) => a.body.voteId as string);

    // No reconciliation ran: the records are there because the process wrote them before closing MongoDB.
    const coupons = new Set(
      (await CouponModel.find({ batchId: new Types.ObjectId(batchId) }, { _id: 1 }).lean()).map((r) => r._id.toHexString()),
    );
    expect(claimed.filter((id) => !coupons.has(id))).toEqual([]);
    expect(await createCouponGate(control.deps.redis).pending(batchId)).toEqual([]);
    const stored = new Set((await VoteModel.find({ contestId: contest.id }, { _id: 1 }).lean()).map((v) => v._id.toHexString()));
    expect(voted.filter((id) => !stored.has(id))).toEqual([]);
    expect(await control.deps.redis.hlen(votePendingKey(contest.id))).toBe(0);
  });
});
