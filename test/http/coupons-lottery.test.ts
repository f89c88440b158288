/**
 * Government consumption coupons released by lottery, over HTTP: sign-up only inside the window (one
 * entry per person, even for simultaneous taps), grabbing refused for lottery batches, the admin's draw
 * only after sign-up closes and only once (also when two draws race), winners get coupons and losers
 * don't, and the draw is reproducible from its recorded seed (and doesn't depend on sign-up order).
 */
import { createHash } from 'node:crypto';
import { drawResponseSchema } from '@shared/schemas/coupons';
import { runJobSlot } from '../../server/src/jobs';
import { couponsDrawJob } from '../../server/src/jobs/coupons-draw.job';
import { drawWinners } from '../../server/src/modules/coupons';
import { CouponModel } from '../../server/src/modules/coupons/coupons.model';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { approvedMerchant, batchBody } from './coupons-fixtures';

let t: TestContext;
let editor: LoggedIn;
const START = new Date('2026-11-24T02:00:00Z');

beforeAll(async () => {
  t = await createTestContext({ now: START });
  editor = await loginAs(t, 'editor');
});
afterAll(() => t.close());

describe('lottery release', () => {
  it('signs people up in the window, draws once after it closes, and the draw replays from its seed', async () => {
    const shop = await approvedMerchant(t, editor);
    const admin = await loginAs(t, 'admin');
    const body = batchBody(shop.merchantId, START, {
      title: '广昌县消费券（抽签）',
      totalStock: 3,
      mode: 'lottery',
      claimEndsAt: new Date(START.getTime() + 10 * 60_000).toISOString(),
      issuer: { type: 'government', merchantIds: [shop.merchantId] },
    });
    // Merchants can't run lotteries; only government batches are drawn.
    const merchantLottery = await shop.owner.agent
      .post('/api/v1/coupon-batches')
      .send({ ...body, issuer: { type: 'merchant', merchantId: shop.merchantId } });
    expect(merchantLottery.status).toBe(400);
    const created = await admin.agent.post('/api/v1/coupon-batches').send(body).expect(201);
    const batchId = created.body.batch.id as string;
    expect(created.body.batch).toMatchObject({ mode: 'lottery', remaining: null, phase: 'open' });

    const people = await Promise.all(Array.from({ length: 8 }, () => loginAs(t, 'citizen')));
    const taps = await Promise.all(
      [people[0]!, people[0]!, people[0]!].map((p) => p.agent.post(`/api/v1/coupon-batches/${batchId}/signup`)),
    );
    expect(taps.filter((r) => r.status === 201)).toHaveLength(1);
    expect(taps.filter((r) => r.status === 409 && r.body.error.code === 'COUPON_ALREADY_SIGNED_UP')).toHaveLength(2);
    for (const p of people.slice(1)) await p.agent.post(`/api/v1/coupon-batches/${batchId}/signup`).expect(201);

    const grab = await people[1]!.agent.post(`/api/v1/coupon-batches/${batchId}/claim`).expect(409);
    expect(grab.body.error.code).toBe('COUPON_LOTTERY_ONLY');
    const early = await admin.agent.post(`/api/v1/coupon-batches/${batchId}/draw`).expect(409);
    expect(early.body.error.code).toBe('COUPON_DRAW_NOT_READY');
    await people[1]!.agent.post(`/api/v1/coupon-batches/${batchId}/draw`).expect(403);

    t.clock.advance(11 * 60_000);
    const latecomer = await loginAs(t, 'citizen');
    const closed = await latecomer.agent.post(`/api/v1/coupon-batches/${batchId}/signup`).expect(409);
    expect(closed.body.error).toMatchObject({ code: 'COUPON_SIGNUP_CLOSED', message: '不在报名时间内' });

    const drawer = await loginAs(t, 'admin', undefined, { openid: admin.openid });
    const draws = await Promise.all([1, 2].map(() => drawer.agent.post(`/api/v1/coupon-batches/${batchId}/draw`)));
    expect(draws.map((r) => r.status).sort()).toEqual([200, 409]);
    const { draw } = drawResponseSchema.parse(draws.find((r) => r.status === 200)!.body);
    expect(draw.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(draw.entrants).toEqual(people.map((p) => p.user.id).sort());
    expect(draw.winners).toHaveLength(3);
    expect(new Set(draw.winners).size).toBe(3);

    // Anyone can check the draw: the public record replays to the same winners, whatever the entrant order.
    const published = drawResponseSchema.parse((await t.request.get(`/api/v1/coupon-batches/${batchId}/draw`).expect(200)).body).draw;
    expect(published).toEqual(draw);
    expect(drawWinners(published.seed, published.entrants, 3)).toEqual(published.winners);
    expect(drawWinners(published.seed, [...published.entrants].reverse(), 3)).toEqual(published.winners);

    for (const p of people) {
      const me = await loginAs(t, 'citizen', undefined, { openid: p.openid });
      const mine = (await me.agent.get('/api/v1/coupons/mine').expect(200)).body.items as Array<{ batchId: string }>;
      expect(mine.filter((c) => c.batchId === batchId)).toHaveLength(draw.winners.includes(p.user.id) ? 1 : 0);
    }
    t.clock.set(START);
  });

  it('draws by itself once sign-up closes (the minute job, once with two schedulers) and tells each device who signed up', async () => {
    const shop = await approvedMerchant(t, editor);
    const admin = await loginAs(t, 'admin');
    const end = new Date(START.getTime() + 5 * 60_000);
    const created = await admin.agent
      .post('/api/v1/coupon-batches')
      .send(
        batchBody(shop.merchantId, START, {
          title: '自动开奖消费券',
          totalStock: 2,
          mode: 'lottery',
          claimEndsAt: end.toISOString(),
          issuer: { type: 'government', merchantIds: [shop.merchantId] },
        }),
      )
      .expect(201);
    const batchId = created.body.batch.id as string;
    const people = await Promise.all(Array.from({ length: 4 }, () => loginAs(t, 'citizen')));
    for (const p of people.slice(0, 3)) await p.agent.post(`/api/v1/coupon-batches/${batchId}/signup`).expect(201);

    // Sign-up status from the server, so a second phone shows 已报名 too.
    const other = await loginAs(t, 'citizen', undefined, { openid: people[0]!.openid });
    expect((await other.agent.get(`/api/v1/coupon-batches/${batchId}/signup`).expect(200)).body).toEqual({ signedUp: true, entrants: 3 });
    expect((await people[3]!.agent.get(`/api/v1/coupon-batches/${batchId}/signup`).expect(200)).body).toEqual({
      signedUp: false,
      entrants: 3,
    });
    await t.request.get(`/api/v1/coupon-batches/${batchId}/signup`).expect(401);

    // Still open: the job leaves it alone.
    await runJobSlot(t, couponsDrawJob, new Date(end.getTime() - 60_000));
    await t.request.get(`/api/v1/coupon-batches/${batchId}/draw`).expect(404);

    t.clock.set(new Date(end.getTime() + 30_000));
    // Two schedulers on the same minute (one runs) and a third process on the next one: one draw.
    const slot = new Date(end.getTime() + 60_000);
    const runs = await Promise.all([
      runJobSlot(t, couponsDrawJob, slot),
      runJobSlot(t, couponsDrawJob, slot),
      runJobSlot(t, couponsDrawJob, new Date(slot.getTime() + 60_000)),
    ]);
    expect(runs.map((r) => r.ran)).toEqual([true, false, true]);
    const { draw } = drawResponseSchema.parse((await t.request.get(`/api/v1/coupon-batches/${batchId}/draw`).expect(200)).body);
    expect(draw.entrants).toEqual(
      people
        .slice(0, 3)
        .map((p) => p.user.id)
        .sort(),
    );
    expect(draw.winners).toHaveLength(2);
    expect(drawWinners(draw.seed, draw.entrants, 2)).toEqual(draw.winners);
    const late = await admin.agent.post(`/api/v1/coupon-batches/${batchId}/draw`).expect(409);
    expect(late.body.error.code).toBe('COUPON_ALREADY_DRAWN');
    const issued = await CouponModel.find({ batchId }).lean();
    expect(issued.map((c) => c.userId.toHexString()).sort()).toEqual([...draw.winners].sort());
    t.clock.set(START);
  });

  it('gives every entrant the same chance (deterministic seeds, 3,000 draws of 1 among 6)', () => {
    const entrants = ['a', 'b', 'c', 'd', 'e', 'f'];
    const wins = new Map(entrants.map((e) => [e, 0]));
    for (let i = 0; i < 3000; i += 1) {
      const seed = createHash('sha256').update(`seed-${i}`).digest('hex');
      const [winner] = drawWinners(seed, entrants, 1);
      wins.set(winner!, wins.get(winner!)! + 1);
    }
    // Expected 500 each; ±100 is over 4.9 standard deviations.
    for (const n of wins.values()) expect(Math.abs(n - 500)).toBeLessThan(100);
    expect(drawWinners('00', entrants, 10)).toHaveLength(6);
  });
});
