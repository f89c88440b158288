/**
 * The points ledger over HTTP on the real stack: earn() per the contract (rule amounts, idempotency keys,
 * per-day and per-month caps on Asia/Shanghai days, disabled sources, exact caps under 30 parallel earns),
 * balance / ledger paging / expiring-soon for the user, admin rules and adjustments (mandatory reason,
 * audited, never below zero), and that balance always equals the sum of entries.
 */
import { balanceResponseSchema, ledgerResponseSchema } from '@shared/schemas/points';
import { AuditLogModel } from '../../server/src/modules/audit/audit.model';
import { type PointsService } from '../../server/src/modules/points';
import { PointsAccountModel, PointsEntryModel } from '../../server/src/modules/points/points.model';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { failCommits } from '../harness/mongo-faults';
import { Types } from 'mongoose';

let t: TestContext;
let points: PointsService;
let admin: LoggedIn;
// 2026-11-24 09:00 in Shanghai.
const START = new Date('2026-11-24T01:00:00Z');

beforeAll(async () => {
  t = await createTestContext({ now: START });
  points = t.services.points;
  admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());

async function sumOfEntries(userId: string): Promise<number> {
  const docs = await PointsEntryModel.find({ userId: new Types.ObjectId(userId) }).lean();
  return docs.reduce((s, d) => s + d.amount, 0);
}
async function storedBalance(userId: string): Promise<number> {
  return (await PointsAccountModel.findById(userId).lean())?.balance ?? 0;
}

let n = 0;
const key = (prefix: string) => `${prefix}:${++n}:${Date.now()}`;

describe('earn() — the contract other modules call', () => {
  it('credits the rule amount when no amount is given, and the balance is the sum of entries', async () => {
    const u = await loginAs(t, 'citizen');
    const r = await points.earn({
      userId: u.user.id,
      source: 'reading',
      reason: '阅读《测试》',
      ref: { type: 'article', id: 'a1' },
      idempotencyKey: key('r'),
    });
    expect(r).toMatchObject({ status: 'credited', amount: 5, balance: 5 });
    const r2 = await points.earn({
      userId: u.user.id,
      source: 'volunteer',
      amount: 30,
      reason: '志愿服务',
      ref: { type: 'activity', id: 'x' },
      idempotencyKey: key('v'),
    });
    expect(r2).toMatchObject({ status: 'credited', amount: 30, balance: 35 });
    const res = await u.agent.get('/api/v1/me/points');
    expect(res.status).toBe(200);
    expect(balanceResponseSchema.parse(res.body).balance).toBe(35);
    expect(await sumOfEntries(u.user.id)).toBe(35);
  });

  it('never pays the same idempotency key twice, even when 20 calls race', async () => {
    const u = await loginAs(t, 'citizen');
    const k = key('race');
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        points.earn({
          userId: u.user.id,
          source: 'volunteer',
          amount: 10,
          reason: '志愿服务',
          ref: { type: 'activity', id: 'y' },
          idempotencyKey: k,
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'credited')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'duplicate')).toHaveLength(19);
    const credited = results.find((r) => r.status === 'credited') as { entryId: string };
    expect(results.every((r) => r.status !== 'duplicate' || r.entryId === credited.entryId)).toBe(true);
    expect(await storedBalance(u.user.id)).toBe(10);
    expect(await sumOfEntries(u.user.id)).toBe(10);
  });

  it('stops at the daily cap (reading: 5 a piece, 50 a day) with no entry and a reason, and opens again the next Shanghai day', async () => {
    const u = await loginAs(t, 'citizen');
    // 23:30 Shanghai on the 24th.
    t.clock.set('2026-11-24T15:30:00Z');
    const results = [];
    for (let i = 0; i < 12; i++) {
      results.push(
        await points.earn({
          userId: u.user.id,
          source: 'reading',
          reason: `阅读《第${i}篇》`,
          ref: { type: 'article', id: `c${i}` },
          idempotencyKey: key('cap'),
        }),
      );
    }
    expect(results.filter((r) => r.status === 'credited')).toHaveLength(10);
    const capped = results.filter((r) => r.status === 'capped');
    expect(capped).toHaveLength(2);
    expect(capped[0]).toMatchObject({ status: 'capped', cap: 'day' });
    expect((capped[0] as { message: string }).message).toContain('上限');
    expect(await PointsEntryModel.countDocuments({ userId: new Types.ObjectId(u.user.id) })).toBe(10);
    // 00:10 Shanghai on the 25th (still the 24th in UTC): a new day.
    t.clock.set('2026-11-24T16:10:00Z');
    const next = await points.earn({
      userId: u.user.id,
      source: 'reading',
      reason: '阅读《新的一天》',
      ref: { type: 'article', id: 'd' },
      idempotencyKey: key('cap'),
    });
    expect(next).toMatchObject({ status: 'credited', balance: 55 });
    t.clock.set(START);
  });

  it('keeps the daily cap exact when 30 earns race (no overshoot)', async () => {
    const u = await loginAs(t, 'citizen');
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        points.earn({
          userId: u.user.id,
          source: 'reading',
          reason: `阅读《并发${i}》`,
          ref: { type: 'article', id: `p${i}` },
          idempotencyKey: key('par'),
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'credited')).toHaveLength(10);
    expect(await storedBalance(u.user.id)).toBe(50);
    expect(await sumOfEntries(u.user.id)).toBe(50);
  });

  it('applies admin-set rules: amounts, monthly caps and disabled sources', async () => {
    const u = await loginAs(t, 'citizen');
    const put = await admin.agent.put('/api/v1/admin/points/rules/civic').send({ amount: 20, dailyCap: null, monthlyCap: 50 });
    expect(put.status).toBe(200);
    expect(put.body.rule).toEqual({ source: 'civic', amount: 20, dailyCap: null, monthlyCap: 50, enabled: true });
    const earnCivic = () =>
      points.earn({
        userId: u.user.id,
        source: 'civic',
        reason: '公益服务',
        ref: { type: 'civic', id: 'c' },
        idempotencyKey: key('civic'),
      });
    expect(await earnCivic()).toMatchObject({ status: 'credited', amount: 20 });
    t.clock.set('2026-11-26T01:00:00Z');
    expect(await earnCivic()).toMatchObject({ status: 'credited', amount: 20 });
    expect(await earnCivic()).toMatchObject({ status: 'capped', cap: 'month' });
    t.clock.set('2026-12-01T01:00:00Z');
    expect(await earnCivic()).toMatchObject({ status: 'credited', amount: 20 });

    // Access tokens follow the business clock: act as admin at the start instant again.
    t.clock.set(START);
    await admin.agent.put('/api/v1/admin/points/rules/civic').send({ enabled: false }).expect(200);
    expect(await earnCivic()).toMatchObject({ status: 'capped', cap: 'disabled' });
    await admin.agent
      .put('/api/v1/admin/points/rules/civic')
      .send({ enabled: true, amount: 10, dailyCap: 50, monthlyCap: null })
      .expect(200);

    const rules = await admin.agent.get('/api/v1/admin/points/rules');
    expect(rules.status).toBe(200);
    expect(rules.body.expiryDays).toBe(365);
    expect(rules.body.rules.map((r: { source: string }) => r.source)).toEqual(['reading', 'volunteer', 'contribution', 'contest', 'civic']);
    expect(await AuditLogModel.countDocuments({ action: 'points.rule.update', targetId: 'civic' })).toBe(3);
  });

  it('refuses rule changes from non-admins and bad rule bodies', async () => {
    const u = await loginAs(t, 'editor');
    expect((await u.agent.put('/api/v1/admin/points/rules/reading').send({ amount: 100 })).status).toBe(403);
    const bad = await admin.agent.put('/api/v1/admin/points/rules/sharing').send({ amount: 1 });
    expect(bad.status).toBe(400);
    const neg = await admin.agent.put('/api/v1/admin/points/rules/reading').send({ amount: -1 });
    expect(neg.status).toBe(400);
    expect(neg.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses non-positive or fractional amounts and unknown sources', async () => {
    const u = await loginAs(t, 'citizen');
    for (const amount of [0, -5, 1.5]) {
      await expect(
        points.earn({
          userId: u.user.id,
          source: 'contest',
          amount,
          reason: 'x',
          ref: { type: 'contest', id: 'c' },
          idempotencyKey: key('bad'),
        }),
      ).rejects.toMatchObject({
        code: 'POINTS_AMOUNT_INVALID',
      });
    }
    await expect(
      points.earn({
        userId: u.user.id,
        source: 'mall' as never,
        amount: 5,
        reason: 'x',
        ref: { type: 'x', id: 'x' },
        idempotencyKey: key('bad'),
      }),
    ).rejects.toMatchObject({ code: 'POINTS_AMOUNT_INVALID' });
    expect(await storedBalance(u.user.id)).toBe(0);
  });
});

describe('GET /api/v1/me/points/ledger', () => {
  it('pages newest first by cursor without gaps or repeats, with readable reasons; only the own ledger', async () => {
    const u = await loginAs(t, 'citizen');
    for (let i = 0; i < 7; i++) {
      await points.earn({
        userId: u.user.id,
        source: 'volunteer',
        amount: i + 1,
        reason: `志愿服务第${i}次`,
        ref: { type: 'activity', id: `l${i}` },
        idempotencyKey: key('led'),
      });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await u.agent.get('/api/v1/me/points/ledger').query({ limit: 3, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      const page = ledgerResponseSchema.parse(res.body);
      seen.push(...page.items.map((e) => e.reason));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `志愿服务第${i}次`));

    const other = await loginAs(t, 'citizen');
    const theirs = ledgerResponseSchema.parse((await other.agent.get('/api/v1/me/points/ledger')).body);
    expect(theirs.items).toHaveLength(0);
    expect((await t.request.get('/api/v1/me/points/ledger')).status).toBe(401);
    expect((await u.agent.get('/api/v1/me/points/ledger').query({ limit: 1000 })).status).toBe(400);
  });
});

describe('admin adjustments', () => {
  it('credits and debits with a mandatory reason, audited, and never below zero', async () => {
    const u = await loginAs(t, 'citizen');
    const noReason = await admin.agent.post(`/api/v1/admin/users/${u.user.id}/points/adjustments`).send({ amount: 10 });
    expect(noReason.status).toBe(400);
    const blank = await admin.agent.post(`/api/v1/admin/users/${u.user.id}/points/adjustments`).send({ amount: 10, reason: '   ' });
    expect(blank.status).toBe(400);

    const plus = await admin.agent.post(`/api/v1/admin/users/${u.user.id}/points/adjustments`).send({ amount: 40, reason: '补发活动积分' });
    expect(plus.status).toBe(201);
    expect(plus.body).toMatchObject({ balance: 40, entry: { amount: 40, source: 'admin', reason: '人工调整：补发活动积分' } });
    const minus = await admin.agent
      .post(`/api/v1/admin/users/${u.user.id}/points/adjustments`)
      .send({ amount: -15, reason: '重复发放扣回' });
    expect(minus.status).toBe(201);
    expect(minus.body.balance).toBe(25);
    const tooMuch = await admin.agent.post(`/api/v1/admin/users/${u.user.id}/points/adjustments`).send({ amount: -26, reason: '扣回' });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.code).toBe('POINTS_INSUFFICIENT');

    const audits = await AuditLogModel.find({ action: 'points.adjust', targetId: u.user.id }).sort({ at: 1 }).lean();
    expect(audits.map((a) => [a.details.amount, a.details.reason])).toEqual([
      [40, '补发活动积分'],
      [-15, '重复发放扣回'],
    ]);
    expect(audits[0]!.actorId?.toHexString()).toBe(admin.user.id);
    expect(await sumOfEntries(u.user.id)).toBe(25);

    const citizen = await loginAs(t, 'citizen');
    expect(
      (await citizen.agent.post(`/api/v1/admin/users/${u.user.id}/points/adjustments`).send({ amount: 5, reason: '自己加' })).status,
    ).toBe(403);
    const seen = await admin.agent.get(`/api/v1/admin/users/${u.user.id}/points/ledger`);
    expect(seen.status).toBe(200);
    expect(seen.body.items).toHaveLength(2);
  });
});

describe('an admin adjustment whose commit answer was lost', () => {
  it('retried with the same Idempotency-Key, is applied once (the first commit had landed)', async () => {
    const u = await loginAs(t, 'citizen');
    const send = () =>
      admin.agent
        .post(`/api/v1/admin/users/${u.user.id}/points/adjustments`)
        .set('Idempotency-Key', 'adjust-retry-0001')
        .send({ amount: 100, reason: '补发活动积分' });
    const fault = failCommits('answer-lost');
    let first;
    try {
      first = await send();
    } finally {
      fault.restore();
    }
    // MongoDB applied it, but the API could not know: a clear 503, and the client retries with its key.
    expect(first.status).toBe(503);
    expect(await storedBalance(u.user.id)).toBe(100);
    const retry = await send();
    expect(retry.status).toBe(201);
    expect(retry.body.balance).toBe(100);
    expect(await storedBalance(u.user.id)).toBe(100);
    expect(await sumOfEntries(u.user.id)).toBe(100);
    expect(await PointsEntryModel.countDocuments({ userId: new Types.ObjectId(u.user.id), source: 'admin' })).toBe(1);
    // A new key is a new adjustment.
    const again = await admin.agent
      .post(`/api/v1/admin/users/${u.user.id}/points/adjustments`)
      .set('Idempotency-Key', 'adjust-retry-0002')
      .send({ amount: 100, reason: '补发活动积分' });
    expect(again.body.balance).toBe(200);
  });
});
