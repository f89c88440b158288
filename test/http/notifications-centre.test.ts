/**
 * The message centre over HTTP (我的 › 消息): a user pages through their own messages newest first, sees the unread
 * count, marks one or all read; another user's message answers 404; muted kinds are neither listed nor counted;
 * bad input is refused with 400 and a stable code; the consent report validates what it is sent.
 */
import { messagePageSchema } from '@shared/schemas/notifications';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ now: new Date('2026-05-04T02:00:00Z') });
});
afterAll(() => t.close());

let seq = 0;
async function raise(who: LoggedIn, kind: 'points' | 'coupons' = 'points', title = `通知${++seq}`) {
  const r = await t.services.notifications.raise({
    userId: who.user.id,
    kind,
    key: `centre:${++seq}`,
    title,
    body: '正文',
    link: 'pages/mine/index',
  });
  t.clock.advance(1000);
  return r.messageId;
}

describe('the message centre', () => {
  it('pages newest first with a cursor, and counts unread', async () => {
    const me = await loginAs(t, 'citizen');
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(await raise(me));
    const first = messagePageSchema.parse((await me.agent.get('/api/v1/me/messages?limit=2').expect(200)).body);
    expect(first.items.map((m) => m.id)).toEqual([ids[4], ids[3]]);
    expect(first.nextCursor).not.toBeNull();
    const second = messagePageSchema.parse((await me.agent.get(`/api/v1/me/messages?limit=2&cursor=${first.nextCursor}`).expect(200)).body);
    expect(second.items.map((m) => m.id)).toEqual([ids[2], ids[1]]);
    const last = messagePageSchema.parse((await me.agent.get(`/api/v1/me/messages?limit=2&cursor=${second.nextCursor}`).expect(200)).body);
    expect(last).toEqual({ items: [expect.objectContaining({ id: ids[0], link: 'pages/mine/index', read: false })], nextCursor: null });
    expect((await me.agent.get('/api/v1/me/messages/unread-count').expect(200)).body).toEqual({ unread: 5 });
  });

  it('filters by kind', async () => {
    const me = await loginAs(t, 'citizen');
    await raise(me, 'points');
    const coupon = await raise(me, 'coupons');
    const page = (await me.agent.get('/api/v1/me/messages?kind=coupons').expect(200)).body;
    expect(page.items.map((m: { id: string }) => m.id)).toEqual([coupon]);
  });

  it('marks one read (twice is fine), then all', async () => {
    const me = await loginAs(t, 'citizen');
    const [a] = [await raise(me), await raise(me), await raise(me)];
    const read = await me.agent.post(`/api/v1/me/messages/${a}/read`).expect(200);
    expect(read.body.message).toMatchObject({ id: a, read: true });
    await me.agent.post(`/api/v1/me/messages/${a}/read`).expect(200);
    expect((await me.agent.get('/api/v1/me/messages/unread-count').expect(200)).body).toEqual({ unread: 2 });
    expect((await me.agent.post('/api/v1/me/messages/read-all').expect(200)).body).toEqual({ marked: 2, unread: 0 });
    const page = (await me.agent.get('/api/v1/me/messages').expect(200)).body;
    expect(page.items.every((m: { read: boolean }) => m.read)).toBe(true);
  });

  it("answers 404 for another user's message, and leaves it unread", async () => {
    const owner = await loginAs(t, 'citizen');
    const other = await loginAs(t, 'citizen');
    const id = await raise(owner);
    const res = await other.agent.post(`/api/v1/me/messages/${id}/read`);
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({ code: 'MESSAGE_NOT_FOUND', message: '消息不存在' });
    expect((await other.agent.get('/api/v1/me/messages').expect(200)).body.items).toEqual([]);
    await other.agent.post('/api/v1/me/messages/read-all').expect(200);
    expect((await owner.agent.get('/api/v1/me/messages/unread-count').expect(200)).body).toEqual({ unread: 1 });
  });

  it('needs a signed-in user', async () => {
    const res = await t.request.get('/api/v1/me/messages');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('AUTH_REQUIRED');
  });

  it('refuses a bad cursor, an unknown kind and a malformed id with 400', async () => {
    const me = await loginAs(t, 'citizen');
    for (const path of ['/api/v1/me/messages?cursor=nope', '/api/v1/me/messages?kind=gossip', '/api/v1/me/messages?limit=500']) {
      const res = await me.agent.get(path);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await me.agent.post('/api/v1/me/messages/xyz/read')).status).toBe(400);
  });
});

describe('preferences', () => {
  it('muted kinds are kept out of the list and the unread count, and can be turned back on', async () => {
    const me = await loginAs(t, 'citizen');
    expect((await me.agent.get('/api/v1/me/notification-preferences').expect(200)).body).toEqual({ muted: [] });
    expect(
      (
        await me.agent
          .put('/api/v1/me/notification-preferences')
          .send({ muted: ['coupons'] })
          .expect(200)
      ).body,
    ).toEqual({
      muted: ['coupons'],
    });
    await raise(me, 'coupons');
    const kept = await raise(me, 'points');
    expect((await me.agent.get('/api/v1/me/messages').expect(200)).body.items.map((m: { id: string }) => m.id)).toEqual([kept]);
    expect((await me.agent.get('/api/v1/me/messages/unread-count').expect(200)).body).toEqual({ unread: 1 });
    await me.agent.put('/api/v1/me/notification-preferences').send({ muted: [] }).expect(200);
    expect((await me.agent.get('/api/v1/me/notification-preferences').expect(200)).body).toEqual({ muted: [] });
  });

  it('refuses unknown or repeated kinds', async () => {
    const me = await loginAs(t, 'citizen');
    for (const muted of [['gossip'], ['points', 'points'], 'points']) {
      const res = await me.agent.put('/api/v1/me/notification-preferences').send({ muted });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('consent reports', () => {
  it('refuses answers requestSubscribeMessage never gives, and malformed template ids', async () => {
    const me = await loginAs(t, 'citizen');
    for (const results of [{ WZ_CASE_PROGRESS: 'maybe' }, { 'bad id!': 'accept' }, 'accept']) {
      const res = await me.agent.post('/api/v1/me/subscriptions').send({ results });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('lists the template ids to ask for, by key', async () => {
    const res = await t.request.get('/api/v1/notifications/templates').expect(200);
    expect(res.body.templates).toMatchObject({
      wenzhengProgress: t.deps.config.wenzheng.templates.progress,
      pointsExpiry: t.deps.config.templates.pointsExpiry,
    });
  });
});
