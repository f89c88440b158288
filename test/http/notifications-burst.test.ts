/**
 * A burst of notices (a campaign launch to every user) through notifications.raiseMany on the real stack: every
 * person gets exactly one in-app message, raising the same notices again stores and queues nothing more, the
 * subscribe messages wait in the outbox for the paced job, and the API answers other requests meanwhile. The full
 * 10,000 run is `npm run bench -- notices`; here a test-sized count keeps the suite quick.
 */
import mongoose, { Types } from 'mongoose';
import type { RaiseInput } from '../../server/src/modules/notifications';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
const COUNT = 3000;
let reader: LoggedIn;

beforeAll(async () => {
  t = await createTestContext({ now: new Date('2026-05-04T02:00:00Z') });
  reader = await loginAs(t, 'citizen');
});
afterAll(() => t.close());

const launch = (userIds: readonly string[]): RaiseInput[] =>
  userIds.map((userId) => ({
    userId,
    kind: 'campaigns',
    key: 'campaigns:launch:burst',
    title: '专题活动「春三月」开始征稿',
    body: '2026-05-04 开始，投稿时选择话题「春三月」',
    link: 'subpackages/campaigns/pages/detail/index?id=65f000000000000000000001',
    subscribe: { templateKey: 'campaignLaunch', data: { title: '春三月', startsOn: new Date('2026-05-04T02:00:00Z'), hint: '选择话题' } },
  }));
const messages = () => mongoose.connection.collection('notification_messages');
const outbox = () => mongoose.connection.collection('notification_outbox');

describe('a burst of notices', () => {
  it('stores exactly one in-app message per person, once, while the API keeps answering', async () => {
    const userIds = Array.from({ length: COUNT }, () => new Types.ObjectId().toHexString());
    // The reader is one of them, and muted campaigns: stored (it de-duplicates) but not listed.
    userIds[0] = reader.user.id;
    await reader.agent
      .put('/api/v1/me/notification-preferences')
      .send({ muted: ['campaigns'] })
      .expect(200);

    const answered: number[] = [];
    let done = false;
    const burst = t.services.notifications.raiseMany(launch(userIds)).finally(() => {
      done = true;
    });
    // An unrelated request, repeatedly, during the burst.
    while (!done) {
      const started = Date.now();
      const res = await reader.agent.get('/api/v1/me/messages/unread-count');
      expect(res.status).toBe(200);
      answered.push(Date.now() - started);
    }
    const first = await burst;
    expect(first).toEqual({ created: COUNT, duplicates: 0, queued: COUNT, dropped: 0, sent: 0 });
    expect(answered.length).toBeGreaterThan(0);
    expect(Math.max(...answered)).toBeLessThan(5000);

    expect(await messages().countDocuments({ key: 'campaigns:launch:burst' })).toBe(COUNT);
    expect(await outbox().countDocuments({ kind: 'campaigns' })).toBe(COUNT);
    expect(await messages().countDocuments({ key: 'campaigns:launch:burst', muted: true })).toBe(1);
    expect((await reader.agent.get('/api/v1/me/messages').expect(200)).body.items).toEqual([]);

    // Raised again (a retried job, a second process): nothing more is stored or queued.
    const again = await t.services.notifications.raiseMany(launch(userIds));
    expect(again).toEqual({ created: 0, duplicates: COUNT, queued: 0, dropped: 0, sent: 0 });
    expect(await messages().countDocuments({ key: 'campaigns:launch:burst' })).toBe(COUNT);
    expect(await outbox().countDocuments({ kind: 'campaigns' })).toBe(COUNT);
    // One message per person: no user has two.
    const doubled = await messages()
      .aggregate([{ $group: { _id: '$userId', n: { $sum: 1 } } }, { $match: { n: { $gt: 1 } } }])
      .toArray();
    expect(doubled).toEqual([]);

    // The console's counters saw each once.
    const admin = await loginAs(t, 'admin');
    const stats = await admin.agent.get('/api/v1/notifications/stats?from=2026-05-04&to=2026-05-04').expect(200);
    expect(stats.body.rows).toEqual([expect.objectContaining({ kind: 'campaigns', inApp: COUNT, queued: COUNT, sent: 0 })]);
  });

  it('completes a burst that died between the messages and their outbox rows, without doubling either', async () => {
    const userIds = Array.from({ length: 50 }, () => new Types.ObjectId().toHexString());
    const inputs = launch(userIds).map((i) => ({ ...i, key: 'campaigns:launch:half' }));
    // The first half raised in-app only (as if the process died before queueing their subscribe messages).
    await t.services.notifications.raiseMany(inputs.slice(0, 25).map(({ subscribe: _s, ...rest }) => rest));
    const result = await t.services.notifications.raiseMany(inputs);
    expect(result).toMatchObject({ created: 25, duplicates: 25 });
    expect(result.queued + result.dropped).toBe(50);
    expect(await messages().countDocuments({ key: 'campaigns:launch:half' })).toBe(50);
    const ids = (
      await messages()
        .find({ key: 'campaigns:launch:half' }, { projection: { _id: 1 } })
        .toArray()
    ).map((m) => m._id);
    expect(await outbox().countDocuments({ messageId: { $in: ids } })).toBe(50);
  });
});
