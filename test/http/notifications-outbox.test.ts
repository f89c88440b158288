/**
 * The notifications outbox on the real stack (Mongo, Redis, the WeChat fake): a notice is always an in-app message;
 * a subscribe message goes only against an unused acceptance the user reported (one acceptance, one message, even
 * under concurrent sends); 43101 from WeChat leaves the acceptance used; transient errors are retried with back-off
 * by the outbox job and given up with the reason recorded (the acceptance given back); bad data is refused before
 * WeChat sees it; a notice raised twice (a retried job) notifies once; the daily limit per kind holds.
 */
import { Types } from 'mongoose';
import mongoose from 'mongoose';
import { runJobSlot } from '../../server/src/jobs';
import { notificationsOutboxJob } from '../../server/src/jobs/notifications-outbox.job';
import type { RaiseInput } from '../../server/src/modules/notifications';
import { acceptSubscriptions, createTestContext, loginAs, subscribeMessagesTo, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
const START = new Date('2026-05-04T02:00:00Z');
const RETRY_BASE_MS = 60_000;

beforeAll(async () => {
  t = await createTestContext({
    now: START,
    env: { NOTIFICATION_MAX_ATTEMPTS: '3', NOTIFICATION_RETRY_BASE_SECONDS: '60', NOTIFICATION_DAILY_LIMIT: '3' },
  });
});
afterAll(() => t.close());
beforeEach(() => t.clock.set(START));

let seq = 0;
const notice = (who: LoggedIn, over: Partial<RaiseInput> = {}): RaiseInput => ({
  userId: who.user.id,
  kind: 'points',
  key: `test:${++seq}`,
  title: '积分即将过期',
  body: '你有 12 积分将于 2026-05-10 过期',
  link: 'subpackages/points/pages/mine/index',
  subscribe: { templateKey: 'pointsExpiry', data: { title: '积分即将过期', points: 12, date: new Date('2026-05-10T04:00:00Z') } },
  ...over,
});

interface Row {
  status: string;
  reason: string | null;
  attempts: number;
  consentUsed: boolean;
  lastError: string | null;
  nextAttemptAt: Date;
}
const outboxRow = async (messageId: string) =>
  (await mongoose.connection.collection('notification_outbox').findOne({ messageId: new Types.ObjectId(messageId) })) as unknown as Row;
const unusedOf = async (who: LoggedIn) => {
  const res = await who.agent.get('/api/v1/me/subscriptions').expect(200);
  return (res.body.unused as Record<string, number>)[t.deps.config.templates.pointsExpiry] ?? 0;
};
const failSends = (who: LoggedIn, errcode: number, times: number) =>
  fetch(`${t.wechatUrl}/__fake/subscribe-failures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ openid: who.openid, errcode, times }),
  });

describe('consent', () => {
  it('without consent: an in-app message only, and WeChat is never asked', async () => {
    const who = await loginAs(t, 'citizen');
    const result = await t.services.notifications.raise(notice(who));
    expect(result).toMatchObject({ created: true, subscribe: 'dropped' });
    expect(await outboxRow(result.messageId)).toMatchObject({ status: 'dropped', reason: 'no_consent', attempts: 1, consentUsed: false });
    expect(await subscribeMessagesTo(t, who.openid)).toEqual([]);
    const inbox = await who.agent.get('/api/v1/me/messages').expect(200);
    expect(inbox.body.items).toEqual([
      expect.objectContaining({ id: result.messageId, kind: 'points', title: '积分即将过期', read: false }),
    ]);
  });

  it('one acceptance: exactly one subscribe message, with the template keywords written as WeChat wants', async () => {
    const who = await loginAs(t, 'citizen');
    await acceptSubscriptions(t, who, ['pointsExpiry']);
    expect(await unusedOf(who)).toBe(1);
    expect((await t.services.notifications.raise(notice(who))).subscribe).toBe('sent');
    expect((await t.services.notifications.raise(notice(who))).subscribe).toBe('dropped');
    const sent = await subscribeMessagesTo(t, who.openid);
    expect(sent).toEqual([
      expect.objectContaining({
        templateId: t.deps.config.templates.pointsExpiry,
        page: 'subpackages/points/pages/mine/index',
        data: { thing1: { value: '积分即将过期' }, number2: { value: '12' }, date3: { value: '2026-05-10' } },
      }),
    ]);
    expect(await unusedOf(who)).toBe(0);
    // Both notices are in the message centre.
    expect((await who.agent.get('/api/v1/me/messages/unread-count').expect(200)).body).toEqual({ unread: 2 });
  });

  it('two acceptances allow two messages', async () => {
    const who = await loginAs(t, 'citizen');
    await acceptSubscriptions(t, who, ['pointsExpiry'], 2);
    expect(await unusedOf(who)).toBe(2);
    await t.services.notifications.raise(notice(who));
    await t.services.notifications.raise(notice(who));
    expect(await subscribeMessagesTo(t, who.openid)).toHaveLength(2);
  });

  it('concurrent sends use one acceptance once', async () => {
    const who = await loginAs(t, 'citizen');
    await acceptSubscriptions(t, who, ['pointsExpiry']);
    const results = await Promise.all(Array.from({ length: 8 }, () => t.services.notifications.raise(notice(who))));
    expect(results.filter((r) => r.subscribe === 'sent')).toHaveLength(1);
    expect(results.filter((r) => r.subscribe === 'dropped')).toHaveLength(7);
    expect(await subscribeMessagesTo(t, who.openid)).toHaveLength(1);
    expect(await unusedOf(who)).toBe(0);
  });

  it('43101 from WeChat (our acceptance was stale): dropped as refused, and the acceptance stays used', async () => {
    const who = await loginAs(t, 'citizen');
    // Reported to us, but WeChat holds none (the user's subscription went elsewhere).
    const results = { [t.deps.config.templates.pointsExpiry]: 'accept' };
    await who.agent.post('/api/v1/me/subscriptions').send({ results }).expect(200);
    const result = await t.services.notifications.raise(notice(who));
    expect(result.subscribe).toBe('dropped');
    expect(await outboxRow(result.messageId)).toMatchObject({ status: 'dropped', reason: 'refused', consentUsed: true });
    expect(await unusedOf(who)).toBe(0);
    expect(await subscribeMessagesTo(t, who.openid)).toEqual([]);
  });

  it('ban clears what was accepted; reject changes nothing; ids we never send are ignored', async () => {
    const who = await loginAs(t, 'citizen');
    const id = t.deps.config.templates.pointsExpiry;
    await acceptSubscriptions(t, who, ['pointsExpiry'], 2);
    const rejected = await who.agent.post('/api/v1/me/subscriptions').send({ results: { [id]: 'reject', OTHER_TEMPLATE: 'accept' } });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toEqual({ unused: { [id]: 2 }, ignored: ['OTHER_TEMPLATE'] });
    const banned = await who.agent.post('/api/v1/me/subscriptions').send({ results: { [id]: 'ban' } });
    expect(banned.body.unused).toEqual({ [id]: 0 });
  });
});

describe('retries', () => {
  it('a transient error is retried by the outbox job after its back-off, then sent', async () => {
    const who = await loginAs(t, 'citizen');
    await acceptSubscriptions(t, who, ['pointsExpiry']);
    await failSends(who, -1, 1);
    const result = await t.services.notifications.raise(notice(who));
    expect(result.subscribe).toBe('pending');
    expect(await outboxRow(result.messageId)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'errcode -1', consentUsed: true });

    // Not due yet: the job leaves it alone.
    t.clock.advance(RETRY_BASE_MS - 1000);
    expect(await t.services.notifications.deliverDue()).toMatchObject({ attempted: 0 });
    t.clock.advance(1000);
    const slot = t.clock.now();
    expect((await runJobSlot({ deps: t.deps, services: t.services }, notificationsOutboxJob, slot)).ran).toBe(true);
    expect(await outboxRow(result.messageId)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(await subscribeMessagesTo(t, who.openid)).toHaveLength(1);
    expect(await unusedOf(who)).toBe(0);
  });

  it('a WeChat that keeps failing is given up after the configured attempts, with the reason, and the acceptance given back', async () => {
    const who = await loginAs(t, 'citizen');
    await acceptSubscriptions(t, who, ['pointsExpiry']);
    await failSends(who, 45009, 10);
    const result = await t.services.notifications.raise(notice(who));
    expect(result.subscribe).toBe('pending');
    t.clock.advance(RETRY_BASE_MS);
    await t.services.notifications.deliverDue();
    const second = await outboxRow(result.messageId);
    expect(second).toMatchObject({ status: 'pending', attempts: 2, lastError: 'errcode 45009' });
    // Back-off doubles: the third attempt is due two base periods after the second.
    expect(second.nextAttemptAt.getTime()).toBe(t.clock.now().getTime() + 2 * RETRY_BASE_MS);
    t.clock.advance(2 * RETRY_BASE_MS);
    await t.services.notifications.deliverDue();
    expect(await outboxRow(result.messageId)).toMatchObject({
      status: 'dropped',
      attempts: 3,
      reason: 'gave_up after 3 attempts: errcode 45009',
    });
    t.clock.advance(10 * RETRY_BASE_MS);
    expect(await t.services.notifications.deliverDue()).toMatchObject({ attempted: 0 });
    expect(await subscribeMessagesTo(t, who.openid)).toEqual([]);
    // WeChat never took the message: the user's acceptance is still there.
    expect(await unusedOf(who)).toBe(1);
  });

  it('a permanent error (47003) is dropped at once with its errcode', async () => {
    const who = await loginAs(t, 'citizen');
    await acceptSubscriptions(t, who, ['pointsExpiry']);
    await failSends(who, 47003, 1);
    const result = await t.services.notifications.raise(notice(who));
    expect(await outboxRow(result.messageId)).toMatchObject({ status: 'dropped', reason: 'errcode 47003 invalid_data', attempts: 1 });
  });

  it('refuses data its keyword cannot hold before WeChat sees it, without using the acceptance', async () => {
    const who = await loginAs(t, 'citizen');
    await acceptSubscriptions(t, who, ['wenzhengProgress']);
    const bad = notice(who, {
      kind: 'wenzheng',
      subscribe: { templateKey: 'wenzhengProgress', data: { title: '一'.repeat(40), status: 'in progress', time: START } },
    });
    const result = await t.services.notifications.raise(bad);
    expect(result.subscribe).toBe('dropped');
    const row = await outboxRow(result.messageId);
    expect(row.reason).toMatch(/^invalid_data: phrase2/);
    expect(row.attempts).toBe(0);
    // A long title is clipped to thing's 20 characters, not refused.
    const ok = await t.services.notifications.raise({
      ...bad,
      key: `test:${++seq}`,
      subscribe: { templateKey: 'wenzhengProgress', data: { title: '一'.repeat(40), status: '已受理', time: START } },
    });
    expect(ok.subscribe).toBe('sent');
    const [sent] = await subscribeMessagesTo(t, who.openid);
    expect(sent!.data.thing1!.value).toBe(`${'一'.repeat(19)}…`);
    expect(sent!.data.time3!.value).toBe('2026-05-04 10:00');
  });
});

describe('de-duplication and limits', () => {
  it('a notice raised twice (a retried job) is stored and sent once', async () => {
    const who = await loginAs(t, 'citizen');
    await acceptSubscriptions(t, who, ['pointsExpiry'], 2);
    const input = notice(who);
    const first = await t.services.notifications.raise(input);
    const again = await t.services.notifications.raise(input);
    expect(again).toEqual({ messageId: first.messageId, created: false, subscribe: null });
    expect(await subscribeMessagesTo(t, who.openid)).toHaveLength(1);
    expect((await who.agent.get('/api/v1/me/messages').expect(200)).body.items).toHaveLength(1);
    expect(await unusedOf(who)).toBe(1);
  });

  it('a raise that died between the message and its outbox row is completed by the retry', async () => {
    const who = await loginAs(t, 'citizen');
    await acceptSubscriptions(t, who, ['pointsExpiry']);
    const input = notice(who);
    const first = await t.services.notifications.raise(input);
    await mongoose.connection.collection('notification_outbox').deleteOne({ messageId: new Types.ObjectId(first.messageId) });
    await t.services.notifications.consent.refund(who.user.id, t.deps.config.templates.pointsExpiry);
    await fetch(`${t.wechatUrl}/__fake/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid: who.openid, results: { [t.deps.config.templates.pointsExpiry]: 'accept' } }),
    });
    const again = await t.services.notifications.raise(input);
    expect(again).toMatchObject({ created: false, subscribe: 'sent' });
  });

  it('sends at most the daily limit of subscribe messages per kind; in-app messages are not limited', async () => {
    const who = await loginAs(t, 'citizen');
    await acceptSubscriptions(t, who, ['pointsExpiry'], 5);
    const results = [];
    for (let i = 0; i < 4; i += 1) results.push(await t.services.notifications.raise(notice(who)));
    expect(results.map((r) => r.subscribe)).toEqual(['sent', 'sent', 'sent', 'dropped']);
    expect((await outboxRow(results[3]!.messageId)).reason).toBe('daily_limit');
    expect(await unusedOf(who)).toBe(2);
    expect((await who.agent.get('/api/v1/me/messages/unread-count').expect(200)).body).toEqual({ unread: 4 });
    // Another kind has its own allowance; the next Shanghai day starts afresh.
    t.clock.advance(24 * 3600_000);
    expect((await t.services.notifications.raise(notice(who))).subscribe).toBe('sent');
  });
});
