/**
 * Points expiry on the real stack: lots expire after the configured period (default 365 days, admin-set),
 * spending consumes the soonest-expiring lots first (FIFO across three lots), the points-expiry cron job
 * writes one expiry entry per lapsed lot (idempotent, once per slot under the Redis lock, safe when two
 * processes run it together), lapsed lots are never spent before the job reaches them, and users get one
 * "积分即将过期" subscribe message 7 days ahead (through the WeChat fake) and see it as expiring soon.
 */
import { Types } from 'mongoose';
import { expiringSoonResponseSchema, ledgerResponseSchema } from '@shared/schemas/points';
import { runJobSlot } from '../../server/src/jobs';
import { pointsExpiryJob } from '../../server/src/jobs/points-expiry.job';
import { createPointsService, type PointsService } from '../../server/src/modules/points';
import { PointsAccountModel, PointsEntryModel } from '../../server/src/modules/points/points.model';
import { acceptSubscriptions, createTestContext, failSubscribeSends, loginAs, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
let points: PointsService;
const START = new Date('2026-01-05T02:00:00Z');
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestContext({ now: START });
  points = t.services.points;
});
afterAll(() => t.close());

let n = 0;
const earn = (userId: string, amount: number, reason = `志愿服务${++n}`) =>
  points.earn({
    userId,
    source: 'volunteer',
    amount,
    reason,
    ref: { type: 'activity', id: `a${n}` },
    idempotencyKey: `exp-test:${userId}:${++n}`,
  });
const spend = (userId: string, amount: number) =>
  points.spend({ userId, amount, source: 'mall', reason: '兑换测试', ref: null, idempotencyKey: `exp-spend:${userId}:${++n}` });

async function entriesOf(userId: string) {
  return PointsEntryModel.find({ userId: new Types.ObjectId(userId) })
    .sort({ _id: 1 })
    .lean();
}
async function invariant(userId: string) {
  const entries = await entriesOf(userId);
  const sum = entries.reduce((s, e) => s + e.amount, 0);
  const lots = entries.filter((e) => e.amount > 0).reduce((s, e) => s + (e.remaining ?? 0), 0);
  const balance = (await PointsAccountModel.findById(userId).lean())?.balance ?? 0;
  expect(balance).toBe(sum);
  expect(lots).toBe(balance);
  expect(balance).toBeGreaterThanOrEqual(0);
  return balance;
}
const at = (days: number) => new Date(START.getTime() + days * DAY);

describe('expiry', () => {
  let u: LoggedIn;
  beforeAll(async () => {
    t.clock.set(START);
    u = await loginAs(t, 'citizen');
  });

  it('spends the soonest-expiring lots first across three lots, and expires only what is left of each', async () => {
    t.clock.set(at(0));
    await earn(u.user.id, 10, '第一批');
    t.clock.set(at(100));
    await earn(u.user.id, 20, '第二批');
    t.clock.set(at(200));
    await earn(u.user.id, 30, '第三批');
    const res = await spend(u.user.id, 25);
    expect(res).toMatchObject({ status: 'debited', balance: 35 });

    const lots = (await entriesOf(u.user.id)).filter((e) => e.amount > 0);
    expect(lots.map((l) => [l.reason, l.remaining])).toEqual([
      ['第一批', 0],
      ['第二批', 5],
      ['第三批', 30],
    ]);
    expect(lots.map((l) => l.expiresAt!.getTime())).toEqual([at(365), at(465), at(565)].map((d) => d.getTime()));
    const debit = (await entriesOf(u.user.id)).find((e) => e.amount === -25)!;
    expect(debit.lots!.map((l) => l.amount)).toEqual([10, 15]);
    await invariant(u.user.id);

    // The first lot lapses with nothing left: no entry. The second lapses with 5 left: one -5 entry.
    t.clock.set(at(366));
    expect(await points.expireDue()).toEqual({ lots: 0, points: 0 });
    t.clock.set(at(466));
    expect(await points.expireDue()).toEqual({ lots: 1, points: 5 });
    expect(await points.expireDue()).toEqual({ lots: 0, points: 0 });
    const expiry = (await entriesOf(u.user.id)).filter((e) => e.source === 'expiry');
    expect(expiry).toHaveLength(1);
    expect(expiry[0]).toMatchObject({ amount: -5, balanceAfter: 30 });
    expect(expiry[0]!.reason).toContain('第二批');
    expect(await invariant(u.user.id)).toBe(30);
  });

  it('never spends a lapsed lot, even before the job has run', async () => {
    const v = await loginAs(t, 'citizen');
    t.clock.set(at(0));
    await earn(v.user.id, 40);
    t.clock.set(at(10));
    await earn(v.user.id, 10);
    t.clock.set(at(366)); // the first lot lapsed; no job ran
    await expect(spend(v.user.id, 20)).rejects.toMatchObject({ code: 'POINTS_INSUFFICIENT' });
    expect(await invariant(v.user.id)).toBe(10);
    expect((await entriesOf(v.user.id)).filter((e) => e.source === 'expiry').map((e) => e.amount)).toEqual([-40]);
  });

  it('runs the cron job once per slot under the Redis lock, and two processes expiring at once write one entry per lot', async () => {
    const w = await loginAs(t, 'citizen');
    const z = await loginAs(t, 'citizen');
    t.clock.set(at(0));
    for (let i = 0; i < 5; i++) await earn(w.user.id, 7);
    t.clock.set(at(400));
    const slot = new Date('2027-02-09T00:05:00Z');
    const [a, b] = await Promise.all([runJobSlot(t, pointsExpiryJob, slot), runJobSlot(t, pointsExpiryJob, slot)]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
    expect((await entriesOf(w.user.id)).filter((e) => e.source === 'expiry')).toHaveLength(5);
    expect(await invariant(w.user.id)).toBe(0);

    t.clock.set(at(400));
    for (let i = 0; i < 5; i++) await earn(z.user.id, 9);
    t.clock.set(at(800));
    // Without the in-process queue, as two API processes would be: only the transactions keep it exact.
    const twoProcesses = [
      createPointsService(t.deps, t.services, { localLocks: false }),
      createPointsService(t.deps, t.services, { localLocks: false }),
    ];
    await Promise.all(twoProcesses.map((p) => p.expireDue()));
    expect((await entriesOf(z.user.id)).filter((e) => e.source === 'expiry')).toHaveLength(5);
    expect(await invariant(z.user.id)).toBe(0);
  });

  it('lets admins set the expiry period for new lots', async () => {
    t.clock.set(START);
    const admin = await loginAs(t, 'admin');
    expect((await admin.agent.put('/api/v1/admin/points/settings').send({ expiryDays: 0 })).status).toBe(400);
    const put = await admin.agent.put('/api/v1/admin/points/settings').send({ expiryDays: 30 });
    expect(put.status).toBe(200);
    const x = await loginAs(t, 'citizen');
    await earn(x.user.id, 10);
    const lot = (await entriesOf(x.user.id))[0]!;
    expect(lot.expiresAt!.getTime()).toBe(START.getTime() + 30 * DAY);
    await admin.agent.put('/api/v1/admin/points/settings').send({ expiryDays: 365 }).expect(200);
  });
});

describe('expiring soon', () => {
  async function messagesTo(openid: string) {
    const res = await fetch(`${t.wechatUrl}/__fake/subscribe-messages?touser=${openid}`);
    return ((await res.json()) as { messages: Array<{ templateId: string; data: Record<string, { value: string }> }> }).messages;
  }

  it('shows lots lapsing within 7 days and sends one subscribe message per lot, 7 days ahead', async () => {
    t.clock.set(START);
    const u = await loginAs(t, 'citizen');
    await acceptSubscriptions(t, u, ['pointsExpiry']);
    await earn(u.user.id, 12, '早的一批');
    t.clock.set(at(30));
    await earn(u.user.id, 8, '晚的一批');

    // Day 359: the first lot lapses in 6 days, the second in 336.
    t.clock.set(at(359));
    const again = await loginAs(t, 'citizen', undefined, { openid: u.openid });
    const soon = expiringSoonResponseSchema.parse((await again.agent.get('/api/v1/me/points/expiring-soon')).body);
    expect(soon.total).toBe(12);
    expect(soon.lots.map((l) => l.reason)).toEqual(['早的一批']);
    const balance = await again.agent.get('/api/v1/me/points');
    expect(balance.body).toEqual({ balance: 20, expiringSoon: { amount: 12, firstAt: at(365).toISOString() } });

    expect(await points.notifyExpiring()).toMatchObject({ users: 1, lots: 1 });
    expect(await points.notifyExpiring()).toMatchObject({ users: 0, lots: 0 });
    const msgs = await messagesTo(u.openid);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]!.templateId).toBe(t.deps.config.templates.pointsExpiry);
    expect((msgs[0] as unknown as { page: string }).page).toBe('subpackages/points/pages/mine/index');
    expect(msgs[0]!.data.number2!.value).toBe('12');
    expect(msgs[0]!.data.date3!.value).toBe('2027-01-05');
    const inbox = await again.agent.get('/api/v1/me/messages').expect(200);
    expect(inbox.body.items).toEqual([
      expect.objectContaining({ kind: 'points', title: '积分即将过期', link: 'subpackages/points/pages/mine/index', read: false }),
    ]);

    // After it lapses the ledger explains it.
    t.clock.set(at(366));
    await points.expireDue();
    const latest = await loginAs(t, 'citizen', undefined, { openid: u.openid });
    const ledger = ledgerResponseSchema.parse((await latest.agent.get('/api/v1/me/points/ledger')).body);
    expect(ledger.items[0]).toMatchObject({ amount: -12, source: 'expiry', sourceLabel: '积分过期', balanceAfter: 8 });
  });

  it('tells a user without consent in the app only, and marks the lots told', async () => {
    t.clock.set(START);
    const u = await loginAs(t, 'citizen');
    await earn(u.user.id, 5);
    t.clock.set(at(360));
    expect(await points.notifyExpiring()).toMatchObject({ users: 0, lots: 1 });
    expect(await messagesTo(u.openid)).toHaveLength(0);
    const later = await loginAs(t, 'citizen', undefined, { openid: u.openid });
    expect((await later.agent.get('/api/v1/me/messages/unread-count').expect(200)).body).toEqual({ unread: 1 });
  });

  it('does not retry forever when the user has no subscription left', async () => {
    t.clock.set(START);
    const u = await loginAs(t, 'citizen');
    await acceptSubscriptions(t, u, ['pointsExpiry']);
    await earn(u.user.id, 3);
    await failSubscribeSends(t, u.openid, 43101);
    t.clock.set(at(360));
    await points.notifyExpiring();
    expect(await messagesTo(u.openid)).toHaveLength(0);
    const lot = (await entriesOf(u.user.id))[0]!;
    expect(lot.noticeSentAt).toBeInstanceOf(Date);
  });
});
