/**
 * Daily roll-ups and the 数据看板: the stats-rollup job's figures on seeded data (users, reads, circles, 问政,
 * volunteers, coupons, points), a second run replacing a day rather than adding to it, back-fill of missed
 * days, once across two concurrent runs of a slot, and who may read the dashboard.
 */
import { Types } from 'mongoose';
import { dashboardResponseSchema } from '@shared/schemas/stats';
import { JOBS, runJobSlot } from '../../server/src/jobs';
import { createTestContext, loginAs, type TestContext } from '../harness';

let t: TestContext;
const NOW = new Date('2026-11-24T01:00:00Z'); // 09:00 in Shanghai on the 24th
const DAY = '2026-11-23';
const at = (hhmm: string, day = DAY) => new Date(`${day}T${hhmm}:00+08:00`);
const oid = () => new Types.ObjectId();

const circleId = oid();
const article = { a: oid(), b: oid() };
const batchId = oid();
const merchantId = oid();
const teamId = oid();
const activityId = oid();

beforeAll(async () => {
  t = await createTestContext({ now: NOW });
  const db = t.deps.db;
  const u = (district: string, createdAt: Date) => ({
    _id: oid(),
    nickname: 'x',
    district,
    roles: [],
    rolesVersion: 0,
    createdAt,
    updatedAt: createdAt,
  });
  const readers = [u('城关镇', at('08:00')), u('城关镇', at('09:00', '2026-11-20')), u('青溪镇', at('10:00'))];
  await db.collection('users').insertMany(readers);
  await db.collection('circles').insertOne({
    _id: circleId,
    name: '城关圈',
    description: '',
    leaderIds: [],
    memberIds: [],
    announcements: [],
    createdAt: NOW,
    updatedAt: NOW,
  });
  await db.collection('articles').insertMany([
    { _id: article.a, title: '冬季义诊', status: 'published', publishedAt: at('07:00'), circleId, column: 'news' },
    { _id: article.b, title: '村道修好了', status: 'published', publishedAt: at('07:00', '2026-11-22') },
  ]);
  await db.collection('article_reads').insertMany([
    { articleId: article.a, userId: readers[0]!._id, day: DAY, at: at('10:00') },
    { articleId: article.a, userId: readers[1]!._id, day: DAY, at: at('10:00') },
    { articleId: article.b, userId: readers[1]!._id, day: DAY, at: at('11:00') },
    { articleId: article.b, userId: readers[2]!._id, day: '2026-11-22', at: at('11:00', '2026-11-22') },
  ]);
  await db.collection('submissions').insertMany([
    { circleId, submittedAt: at('09:00'), state: 'submitted' },
    { circleId, submittedAt: at('12:00'), state: 'submitted' },
  ]);
  await db
    .collection('wenzheng_departments')
    .insertOne({ code: 'zjj', name: '住建局', headUserIds: [], propaganda: false, updatedAt: NOW });
  await db
    .collection('wenzheng_departments')
    .insertOne({ code: 'jtj', name: '交通局', headUserIds: [], propaganda: false, updatedAt: NOW });
  const ev = (seq: number, type: string, when: Date, data: Record<string, unknown>) => ({
    seq,
    type,
    at: when,
    byName: 's',
    byLabel: 's',
    noteAudience: 'staff',
    data,
  });
  await db.collection('wenzheng_cases').insertMany([
    {
      events: [
        ev(1, 'posted', at('08:00'), {}),
        ev(2, 'forwarded', at('09:00'), { department: 'zjj' }),
        ev(3, 'answered', at('13:00'), { onTime: true }),
      ],
    },
    {
      events: [
        ev(1, 'posted', at('08:00'), {}),
        ev(2, 'forwarded', at('10:00'), { department: 'zjj' }),
        ev(3, 'overdue', at('20:00'), { department: 'zjj' }),
      ],
    },
    { events: [ev(1, 'forwarded', at('10:00'), { department: 'jtj' })] },
  ]);
  await db
    .collection('volunteer_teams')
    .insertOne({ _id: teamId, name: '青溪志愿队', area: '青溪镇', description: '', leaderIds: [], memberIds: [] });
  await db.collection('volunteer_activities').insertOne({ _id: activityId, teamId, title: '清扫河道' });
  await db.collection('volunteer_signups').insertMany([
    {
      activityId,
      userId: readers[0]!._id,
      state: 'confirmed',
      checkInAt: at('08:00'),
      checkOutAt: at('10:00'),
      minutes: 120,
      confirmedAt: at('12:00'),
    },
    { activityId, userId: readers[1]!._id, state: 'confirmed', checkInAt: at('08:00'), checkOutAt: at('09:30'), minutes: 90 },
  ]);
  await db.collection('merchants').insertOne({ _id: merchantId, name: '老街面馆' });
  await db.collection('coupon_batches').insertOne({ _id: batchId, title: '冬季消费券', totalStock: 100, createdAt: at('07:00') });
  let seq = 0;
  const coupon = (status: string, extra: Record<string, unknown>) => ({
    batchId,
    seq: ++seq,
    userId: readers[0]!._id,
    code: String(Math.random()),
    title: '冬季消费券',
    value: 500,
    status,
    claimedAt: at('08:00'),
    ...extra,
  });
  await db
    .collection('coupons')
    .insertMany([
      coupon('used', { redeemedAt: at('12:00'), redeemedMerchantId: merchantId, orderAmount: 3000 }),
      coupon('unused', {}),
      coupon('expired', { expiredAt: at('23:00') }),
    ]);
  await db.collection('points_entries').insertMany([
    { userId: readers[0]!._id, amount: 5, source: 'reading', day: DAY, idempotencyKey: 'k1' },
    { userId: readers[0]!._id, amount: 5, source: 'reading', day: DAY, idempotencyKey: 'k2' },
    { userId: readers[0]!._id, amount: -8, source: 'mall', day: DAY, idempotencyKey: 'k3' },
    { userId: readers[0]!._id, amount: 20, source: 'volunteer', day: '2026-11-22', idempotencyKey: 'k4' },
  ]);
});
afterAll(() => t.close());

async function board(query: Record<string, string> = {}) {
  const admin = await loginAs(t, 'admin');
  const res = await admin.agent.get('/api/v1/console/dashboard').query({ from: DAY, to: DAY, ...query });
  expect(res.status).toBe(200);
  return dashboardResponseSchema.parse(res.body);
}

const rollupCount = (day: string) => t.deps.db.collection('stats_daily').countDocuments({ day });

describe('stats roll-ups', () => {
  it("computes yesterday's figures from every module", async () => {
    const days = await t.services.stats.rollUp(NOW);
    expect(days).toContain(DAY);
    const b = await board();
    expect(b.daysComputed).toBe(1);
    expect(b.users!.days).toEqual([{ day: DAY, newUsers: 2, totalUsers: 3, activeUsers: 2 }]);
    expect(b.reads!.days).toEqual([{ day: DAY, reads: 3 }]);
    expect(b.reads!.topArticles.map((a) => [a.name, a.reads])).toEqual([
      ['冬季义诊', 2],
      ['村道修好了', 1],
    ]);
    expect(b.circles).toEqual([{ key: circleId.toHexString(), name: '城关圈', submissions: 2, publications: 1 }]);
    const zjj = b.wenzheng.departments.find((d) => d.key === 'zjj')!;
    expect(zjj).toMatchObject({
      name: '住建局',
      intake: 2,
      answered: 1,
      answeredOnTime: 1,
      overdue: 1,
      replyRate: 0.5,
      medianHoursToAnswer: 4,
    });
    expect(b.wenzheng.days).toEqual([{ day: DAY, intake: 3, answered: 1, overdue: 1 }]);
    expect(b.volunteers).toEqual([{ key: teamId.toHexString(), name: '青溪志愿队', hours: 3.5, volunteers: 2 }]);
    expect(b.coupons!.funnel).toEqual({ issued: 100, claimed: 3, redeemed: 1, expired: 1 });
    expect(b.coupons!.merchants).toEqual([{ key: merchantId.toHexString(), name: '老街面馆', redeemed: 1 }]);
    expect(b.points!.sources).toEqual([
      { source: 'mall', issued: 0, spent: 8 },
      { source: 'reading', issued: 10, spent: 0 },
    ]);
  });

  it('filters by area and department', async () => {
    const b = await board({ area: '青溪镇', department: 'jtj' });
    expect(b.users!.days[0]).toMatchObject({ newUsers: 1, totalUsers: 1 });
    expect(b.wenzheng.departments.map((d) => d.key)).toEqual(['jtj']);
    expect(b.filters.areas).toEqual(['城关镇', '青溪镇']);
  });

  it('replaces a day when it is computed again (idempotent), including rows that no longer exist', async () => {
    const before = await rollupCount(DAY);
    await t.deps.db.collection('points_entries').deleteMany({ source: 'mall' });
    await t.services.stats.rollUp(NOW);
    expect(await rollupCount(DAY)).toBe(before - 1);
    const b = await board();
    expect(b.points!.sources).toEqual([{ source: 'reading', issued: 10, spent: 0 }]);
    expect(b.users!.days[0]!.newUsers).toBe(2);
  });

  it('back-fills missed days, and leaves finished earlier days alone', async () => {
    // Nothing ran on the 22nd's night: the first run (above) already back-filled it.
    const b = await board({ from: '2026-11-22', to: DAY });
    expect(b.reads!.days).toEqual([
      { day: '2026-11-22', reads: 1 },
      { day: DAY, reads: 3 },
    ]);
    expect(b.points!.days[0]).toEqual({ day: '2026-11-22', issued: 20, spent: 0 });
    // Three days later, only the days without a finished roll-up (and yesterday) are computed.
    const days = await t.services.stats.rollUp(new Date('2026-11-27T01:00:00Z'));
    expect(days).toEqual(['2026-11-24', '2026-11-25', '2026-11-26']);
  });

  it('runs a slot once across two processes', async () => {
    const job = JOBS.find((j) => j.name === 'stats-rollup')!;
    const slot = new Date('2026-11-24T17:10:00Z');
    const context = { deps: t.deps, services: t.services };
    const [a, b] = await Promise.all([runJobSlot(context, job, slot), runJobSlot(context, job, slot)]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
    expect(await t.deps.db.collection('stats_daily').countDocuments({ day: '2026-11-24', dimension: 'done' })).toBe(1);
  });
});

describe('GET /api/v1/console/dashboard: who may read it', () => {
  it('gives department staff their department only, and refuses another department', async () => {
    const staff = await loginAs(t, 'department_staff', { type: 'department', id: 'zjj' });
    const res = await staff.agent.get('/api/v1/console/dashboard').query({ from: DAY, to: DAY });
    expect(res.status).toBe(200);
    const b = dashboardResponseSchema.parse(res.body);
    expect(b.wenzheng.departments.map((d) => d.key)).toEqual(['zjj']);
    expect(b.users).toBeUndefined();
    expect(b.coupons).toBeUndefined();
    const other = await staff.agent.get('/api/v1/console/dashboard').query({ department: 'jtj' });
    expect([other.status, other.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('refuses citizens, correspondents and anonymous callers; answers a bad range with 400', async () => {
    for (const role of ['citizen', 'correspondent', 'merchant_clerk', 'volunteer'] as const) {
      const who = await loginAs(t, role);
      const res = await who.agent.get('/api/v1/console/dashboard');
      expect({ role, status: res.status }).toEqual({ role, status: 403 });
    }
    expect((await t.request.get('/api/v1/console/dashboard')).status).toBe(401);
    const admin = await loginAs(t, 'admin');
    const reversed = await admin.agent.get('/api/v1/console/dashboard').query({ from: '2026-11-23', to: '2026-11-01' });
    expect([reversed.status, reversed.body.error.code]).toEqual([400, 'STATS_RANGE_INVALID']);
    const bad = await admin.agent.get('/api/v1/console/dashboard').query({ from: '23/11/2026' });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});
