/**
 * Redemption and expiry over HTTP: the holder's QR code (a real PNG that decodes to the redemption
 * payload), a clerk invited by the owner redeems it exactly once (second scan and concurrent scans
 * refused), only at a participating merchant (wrong merchant, other shop's clerk and admins refused),
 * only within validity (expired refused) and above the threshold; government batches redeem at any
 * participating shop; per-batch merchant stats; the expiry job marks lapsed coupons expired, reminds
 * holders a day before through a subscribe message once, and runs once with two schedulers.
 */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { couponQrResponseSchema, merchantStatsResponseSchema } from '@shared/schemas/coupons';
import { runJobSlot } from '../../server/src/jobs';
import { couponsExpiryJob } from '../../server/src/jobs/coupons-expiry.job';
import { CouponModel } from '../../server/src/modules/coupons/coupons.model';
import { acceptSubscriptions, createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { approvedMerchant, batchBody } from './coupons-fixtures';

let t: TestContext;
let editor: LoggedIn;
let shopA: { merchantId: string; owner: LoggedIn };
let shopB: { merchantId: string; owner: LoggedIn };
let clerkA: LoggedIn;
const START = new Date('2026-11-24T02:00:00Z');

async function clerkOf(shop: { merchantId: string; owner: LoggedIn }): Promise<LoggedIn> {
  const invite = await shop.owner.agent.post(`/api/v1/merchants/${shop.merchantId}/clerk-invites`).expect(201);
  const person = await loginAs(t, 'citizen');
  await person.agent.post('/api/v1/merchants/clerk-invites/accept').send({ code: invite.body.code }).expect(200);
  // Used once: a second person can't join with the same code.
  const other = await loginAs(t, 'citizen');
  const reused = await other.agent.post('/api/v1/merchants/clerk-invites/accept').send({ code: invite.body.code }).expect(410);
  expect(reused.body.error.code).toBe('MERCHANT_INVITE_INVALID');
  return loginAs(t, 'citizen', undefined, { openid: person.openid });
}

beforeAll(async () => {
  t = await createTestContext({ now: START });
  editor = await loginAs(t, 'editor');
  shopA = await approvedMerchant(t, editor);
  shopB = await approvedMerchant(t, editor);
  clerkA = await clerkOf(shopA);
});
afterAll(() => t.close());

async function newBatch(owner: LoggedIn, body: Record<string, unknown>): Promise<string> {
  const res = await owner.agent.post('/api/v1/coupon-batches').send(body);
  expect(res.status).toBe(201);
  return res.body.batch.id as string;
}

async function grab(batchId: string, who?: LoggedIn): Promise<{ holder: LoggedIn; couponId: string; code: string }> {
  const holder = who ?? (await loginAs(t, 'citizen'));
  const res = await holder.agent.post(`/api/v1/coupon-batches/${batchId}/claim`).expect(201);
  const qr = couponQrResponseSchema.parse((await holder.agent.get(`/api/v1/coupons/${res.body.coupon.id}/qrcode`).expect(200)).body);
  return { holder, couponId: res.body.coupon.id as string, code: qr.payload };
}

/** Signs everyone in again after the test clock jumped past their access tokens' 15 minutes. */
const again = (who: LoggedIn) => loginAs(t, 'citizen', undefined, { openid: who.openid });

describe('redemption', () => {
  it('shows the holder a scannable QR code that only the holder can fetch', async () => {
    const batchId = await newBatch(shopA.owner, batchBody(shopA.merchantId, START));
    const { holder, couponId } = await grab(batchId);
    const qr = couponQrResponseSchema.parse((await holder.agent.get(`/api/v1/coupons/${couponId}/qrcode`).expect(200)).body);
    expect(qr.payload).toMatch(/^rmcoupon:[A-Za-z0-9]{20}$/);
    const png = PNG.sync.read(Buffer.from(qr.dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'));
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(qr.payload);
    const stranger = await loginAs(t, 'citizen');
    expect((await stranger.agent.get(`/api/v1/coupons/${couponId}/qrcode`).expect(404)).body.error.code).toBe('COUPON_NOT_FOUND');
  });

  it('is used exactly once: the second scan is refused, and of 10 simultaneous scans one wins', async () => {
    const batchId = await newBatch(shopA.owner, batchBody(shopA.merchantId, START));
    const first = await grab(batchId);
    const ok = await clerkA.agent
      .post('/api/v1/coupons/redeem')
      .send({ code: first.code, merchantId: shopA.merchantId, orderAmount: 12000 });
    expect(ok.status).toBe(200);
    expect(ok.body.coupon).toMatchObject({ id: first.couponId, status: 'used', redeemedMerchantId: shopA.merchantId });
    const twice = await clerkA.agent.post('/api/v1/coupons/redeem').send({ code: first.code, merchantId: shopA.merchantId }).expect(409);
    expect(twice.body.error).toMatchObject({ code: 'COUPON_ALREADY_USED', message: '该券已核销，不能重复使用' });

    const second = await grab(batchId);
    const scans = await Promise.all(
      Array.from({ length: 10 }, () =>
        clerkA.agent.post('/api/v1/coupons/redeem').send({ code: second.code, merchantId: shopA.merchantId }),
      ),
    );
    expect(scans.filter((r) => r.status === 200)).toHaveLength(1);
    expect(scans.filter((r) => r.status === 409 && r.body.error.code === 'COUPON_ALREADY_USED')).toHaveLength(9);
    const mine = await second.holder.agent.get('/api/v1/coupons/mine?status=used').expect(200);
    expect(mine.body.items.map((c: { id: string }) => c.id)).toEqual([second.couponId]);
  });

  it('a scan retried with its Idempotency-Key after a lost answer gets the success again; other staff still get 已核销', async () => {
    const batchId = await newBatch(shopA.owner, batchBody(shopA.merchantId, START));
    const { couponId, code } = await grab(batchId);
    const scan = (who: LoggedIn, key: string) =>
      who.agent.post('/api/v1/coupons/redeem').set('Idempotency-Key', key).send({ code, merchantId: shopA.merchantId });
    const first = await scan(clerkA, 'redeem-lost-answer-01').expect(200);
    // The answer was lost and the middleware's record with it (it drops its claim when the handler throws, e.g.
    // after a commit whose answer never came): the retry reaches the service again.
    await t.deps.redis.del(`idem:${clerkA.user.id}:redeem-lost-answer-01`);
    const retry = await scan(clerkA, 'redeem-lost-answer-01');
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.coupon).toEqual(first.body.coupon);
    // A new scan by the same clerk, or the owner with the same key, is a second use: refused.
    expect((await scan(clerkA, 'redeem-lost-answer-02')).body.error.code).toBe('COUPON_ALREADY_USED');
    const owner = await scan(shopA.owner, 'redeem-lost-answer-01');
    expect(owner.status).toBe(409);
    expect(owner.body.error.code).toBe('COUPON_ALREADY_USED');
    expect((await CouponModel.findById(couponId).lean())!.redeemedBy!.toHexString()).toBe(clerkA.user.id);
  });

  it('only at a participating merchant, by its own staff, never by an admin standing in', async () => {
    const batchId = await newBatch(shopA.owner, batchBody(shopA.merchantId, START));
    const { code, couponId } = await grab(batchId);
    const wrong = await shopB.owner.agent.post('/api/v1/coupons/redeem').send({ code, merchantId: shopB.merchantId }).expect(403);
    expect(wrong.body.error).toMatchObject({ code: 'COUPON_WRONG_MERCHANT', message: '该券不能在本店使用' });
    const notStaff = await shopB.owner.agent.post('/api/v1/coupons/redeem').send({ code, merchantId: shopA.merchantId }).expect(403);
    expect(notStaff.body.error.code).toBe('FORBIDDEN');
    const admin = await loginAs(t, 'admin');
    await admin.agent.post('/api/v1/coupons/redeem').send({ code, merchantId: shopA.merchantId }).expect(403);
    const citizen = await loginAs(t, 'citizen');
    await citizen.agent.post('/api/v1/coupons/redeem').send({ code, merchantId: shopA.merchantId }).expect(403);
    const short = await clerkA.agent
      .post('/api/v1/coupons/redeem')
      .send({ code, merchantId: shopA.merchantId, orderAmount: 9999 })
      .expect(422);
    expect(short.body.error.code).toBe('COUPON_THRESHOLD_NOT_MET');
    const unknown = await clerkA.agent
      .post('/api/v1/coupons/redeem')
      .send({ code: 'rmcoupon:AAAAAAAAAAAAAAAAAAAA', merchantId: shopA.merchantId })
      .expect(404);
    expect(unknown.body.error.code).toBe('COUPON_NOT_FOUND');
    expect((await CouponModel.findById(couponId).lean())?.status).toBe('unused');
  });

  it('government consumption coupons redeem at any participating shop and nowhere else', async () => {
    const shopC = await approvedMerchant(t, editor, { category: '零售' });
    const admin = await loginAs(t, 'admin');
    const batchId = await newBatch(
      admin,
      batchBody(shopA.merchantId, START, {
        title: '广昌县消费券 满 200 减 50',
        value: 5000,
        threshold: 20000,
        issuer: { type: 'government', merchantIds: [shopA.merchantId, shopB.merchantId] },
      }),
    );
    const one = await grab(batchId);
    await shopC.owner.agent.post('/api/v1/coupons/redeem').send({ code: one.code, merchantId: shopC.merchantId }).expect(403);
    await shopB.owner.agent.post('/api/v1/coupons/redeem').send({ code: one.code, merchantId: shopB.merchantId }).expect(200);
    const stats = await shopB.owner.agent.get(`/api/v1/coupon-batches/${batchId}/stats`).expect(200);
    expect(stats.body.stats).toMatchObject({ claimed: 1, redeemed: 1, expired: 0, unused: 0, redeemedHere: 1 });
    const seenByA = await clerkA.agent.get(`/api/v1/coupon-batches/${batchId}/stats`).expect(200);
    expect(seenByA.body.stats).toMatchObject({ redeemed: 1, redeemedHere: 0 });
    await shopC.owner.agent.get(`/api/v1/coupon-batches/${batchId}/stats`).expect(403);
  });
});

describe('expiry', () => {
  it('refuses an expired coupon, reminds the holder a day before (once), marks it expired, and counts it in the stats', async () => {
    const shop = await approvedMerchant(t, editor);
    const batchId = await newBatch(
      shop.owner,
      batchBody(shop.merchantId, t.clock.now(), { validity: { type: 'relative', days: 2 }, totalStock: 5 }),
    );
    const keep = await grab(batchId);
    const use = await grab(batchId);
    // Both accepted the reminder twice when claiming (as the mini-program asks): a second reminder would show.
    for (const who of [keep.holder, use.holder]) await acceptSubscriptions(t, who, ['couponExpiry'], 2);
    await shop.owner.agent.post('/api/v1/coupons/redeem').send({ code: use.code, merchantId: shop.merchantId }).expect(200);

    const messagesFor = async (openid: string) =>
      (
        (await (await fetch(`${t.wechatUrl}/__fake/subscribe-messages?touser=${openid}`)).json()) as {
          messages: Array<{ templateId: string; data: Record<string, { value: string }> }>;
        }
      ).messages;

    // 1.5 days later: within a day of lapsing → one reminder, even with two API processes on the same slot.
    t.clock.advance(36 * 3600_000);
    const other = await createTestContext({ now: t.clock.now() });
    try {
      const slot = new Date(Math.floor(t.clock.now().getTime() / 1000) * 1000);
      const outcomes = await Promise.all([runJobSlot(t, couponsExpiryJob, slot), runJobSlot(other, couponsExpiryJob, slot)]);
      expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
      // A later slot finds nothing new to announce.
      await runJobSlot(other, couponsExpiryJob, new Date(slot.getTime() + 600_000));
    } finally {
      await other.close();
    }
    const sent = await messagesFor(keep.holder.openid);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ templateId: t.deps.config.templates.couponExpiry, data: { thing1: { value: '满 100 减 20' } } });
    expect(await messagesFor(use.holder.openid)).toHaveLength(0);
    // (The holder's token has lapsed by now: read the message centre through its service.)
    const inbox = await t.services.notifications.centre.list(keep.holder.user.id, { limit: 20 });
    expect(inbox.items).toEqual([expect.objectContaining({ kind: 'coupons', title: '优惠券明天到期' })]);

    // Past validity: refused at the counter even before the job ran, then marked expired by it.
    t.clock.advance(13 * 3600_000);
    const owner = await again(shop.owner);
    const late = await owner.agent.post('/api/v1/coupons/redeem').send({ code: keep.code, merchantId: shop.merchantId }).expect(410);
    expect(late.body.error).toMatchObject({ code: 'COUPON_EXPIRED', message: '券已过期' });
    await runJobSlot(t, couponsExpiryJob, t.clock.now());
    expect((await CouponModel.findById(keep.couponId).lean())?.status).toBe('expired');
    expect((await CouponModel.findById(use.couponId).lean())?.status).toBe('used');
    const holder = await again(keep.holder);
    expect((await holder.agent.get('/api/v1/coupons/mine?status=expired').expect(200)).body.items).toHaveLength(1);

    const stats = merchantStatsResponseSchema.parse(
      (await owner.agent.get(`/api/v1/merchants/${shop.merchantId}/coupon-stats`).expect(200)).body,
    );
    expect(stats.items.find((s) => s.batchId === batchId)).toMatchObject({ totalStock: 5, claimed: 2, redeemed: 1, expired: 1, unused: 0 });
    t.clock.set(START);
  });
});
