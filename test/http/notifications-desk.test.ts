/**
 * The console's notifications page on the real stack: figures by day and kind (in-app messages, subscribe messages
 * sent, refused, dropped with the reason) kept as counters where each thing happens, the outbox rows cursor-paged and
 * filtered by kind and outcome, and both open to editors and admins only.
 */
import { ROLES, type Role } from '@shared/roles';
import { noticeStatsResponseSchema, outboxPageSchema, type OutboxRowView } from '@shared/schemas/notifications';
import type { RaiseInput } from '../../server/src/modules/notifications';
import { acceptSubscriptions, createTestContext, failSubscribeSends, loginAs, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
const START = new Date('2026-05-04T02:00:00Z');
const NEXT_DAY = new Date('2026-05-05T02:00:00Z');
let editor: LoggedIn;

beforeAll(async () => {
  t = await createTestContext({ now: START, env: { NOTIFICATION_DAILY_LIMIT: '2' } });
  editor = await loginAs(t, 'editor');
});
afterAll(() => t.close());

let seq = 0;
const notice = (who: LoggedIn, over: Partial<RaiseInput> = {}): RaiseInput => ({
  userId: who.user.id,
  kind: 'points',
  key: `desk:${++seq}`,
  title: '积分即将过期',
  body: '你有 12 积分将于 2026-05-10 过期',
  link: 'subpackages/points/pages/mine/index',
  subscribe: { templateKey: 'pointsExpiry', data: { title: '积分即将过期', points: 12, date: new Date('2026-05-10T04:00:00Z') } },
  ...over,
});

const stats = async (query: string) =>
  noticeStatsResponseSchema.parse((await editor.agent.get(`/api/v1/notifications/stats?${query}`).expect(200)).body);
async function allRows(query: string, limit: number): Promise<{ rows: OutboxRowView[]; pages: number }> {
  const rows: OutboxRowView[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await editor.agent
      .get(`/api/v1/notifications/outbox?limit=${limit}&${query}${cursor ? `&cursor=${cursor}` : ''}`)
      .expect(200);
    const page = outboxPageSchema.parse(res.body);
    rows.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor);
  return { rows, pages };
}

describe('figures by day and kind', () => {
  it('counts in-app messages and what became of each subscribe message, with the reasons, on the day raised', async () => {
    const [willing, refusing, unasked, chatty] = [
      await loginAs(t, 'citizen'),
      await loginAs(t, 'citizen'),
      await loginAs(t, 'citizen'),
      await loginAs(t, 'citizen'),
    ];
    await acceptSubscriptions(t, willing, ['pointsExpiry']);
    await acceptSubscriptions(t, refusing, ['pointsExpiry']);
    await acceptSubscriptions(t, chatty, ['pointsExpiry'], 3);
    await failSubscribeSends(t, refusing.openid, 43101);
    const { notifications } = t.services;

    expect((await notifications.raise(notice(willing))).subscribe).toBe('sent');
    expect((await notifications.raise(notice(refusing))).subscribe).toBe('dropped');
    expect((await notifications.raise(notice(unasked))).subscribe).toBe('dropped');
    // The daily limit is 2: the third to the same person is dropped before WeChat.
    for (let i = 0; i < 3; i += 1) await notifications.raise(notice(chatty));
    // A bad value never reaches WeChat.
    await notifications.raise(notice(willing, { subscribe: { templateKey: 'pointsExpiry', data: { title: '积分', points: 'many' } } }));
    // In-app only, another kind; and a repeated key counts nothing more.
    const once = notice(willing, { kind: 'system', subscribe: undefined });
    await notifications.raise(once);
    await notifications.raise(once);

    t.clock.set(NEXT_DAY);
    await notifications.raise(notice(unasked));
    t.clock.set(START);

    const body = await stats('from=2026-05-04&to=2026-05-05');
    expect(body).toMatchObject({ from: '2026-05-04', to: '2026-05-05' });
    expect(body.rows).toEqual([
      {
        day: '2026-05-04',
        kind: 'points',
        inApp: 7,
        queued: 7,
        sent: 3,
        refused: 2,
        dropped: 2,
        reasons: { refused: 1, no_consent: 1, daily_limit: 1, invalid_data: 1 },
      },
      { day: '2026-05-04', kind: 'system', inApp: 1, queued: 0, sent: 0, refused: 0, dropped: 0, reasons: {} },
      { day: '2026-05-05', kind: 'points', inApp: 1, queued: 1, sent: 0, refused: 1, dropped: 0, reasons: { no_consent: 1 } },
    ]);
    // Default range: the 14 days up to today.
    expect(await stats('')).toMatchObject({ from: '2026-04-21', to: '2026-05-04' });
  });

  it('refuses a reversed or too long range, and a malformed day, with 400', async () => {
    for (const q of ['from=2026-05-05&to=2026-05-04', 'from=2026-01-01&to=2026-05-04', 'from=2026-02-30']) {
      const res = await editor.agent.get(`/api/v1/notifications/stats?${q}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('the outbox list', () => {
  it('pages newest first without repeats, and filters by kind and outcome, with the reason to read', async () => {
    const all = await allRows('', 2);
    expect(all.rows).toHaveLength(8);
    expect(all.pages).toBe(4);
    expect(new Set(all.rows.map((r) => r.id)).size).toBe(8);
    const ids = all.rows.map((r) => r.id);
    expect([...ids].sort().reverse()).toEqual(ids);

    const refused = await allRows('kind=points&outcome=refused', 10);
    expect(refused.rows.map((r) => r.reason).sort()).toEqual(['no_consent', 'no_consent', 'refused']);
    expect(refused.rows.every((r) => r.outcome === 'refused' && r.status === 'dropped')).toBe(true);
    const dropped = await allRows('outcome=dropped', 10);
    expect(dropped.rows.map((r) => r.reason?.split(':')[0]).sort()).toEqual(['daily_limit', 'invalid_data']);
    const sent = await allRows('outcome=sent', 10);
    expect(sent.rows).toHaveLength(3);
    expect(sent.rows[0]).toMatchObject({ status: 'sent', reason: null, attempts: 1, sentAt: expect.any(String) });
    expect((await allRows('kind=system', 10)).rows).toEqual([]);
    expect((await allRows('outcome=pending', 10)).rows).toEqual([]);
  });

  it('refuses an unknown outcome or a mangled cursor with 400', async () => {
    for (const q of ['outcome=lost', 'cursor=nope', 'limit=0']) {
      const res = await editor.agent.get(`/api/v1/notifications/outbox?${q}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('authorization', () => {
  const others = ROLES.filter((r): r is Exclude<Role, 'editor' | 'admin'> => r !== 'editor' && r !== 'admin');
  const paths = ['/api/v1/notifications/stats', '/api/v1/notifications/outbox'];

  it('answers editors and admins, 401 to anonymous callers and 403 to every other role', async () => {
    const admin = await loginAs(t, 'admin');
    for (const path of paths) {
      expect((await t.request.get(path)).status).toBe(401);
      expect((await admin.agent.get(path)).status).toBe(200);
      expect((await editor.agent.get(path)).status).toBe(200);
    }
    expect(others.length).toBeGreaterThan(5);
    for (const role of others) {
      const who = await loginAs(t, role);
      for (const path of paths) {
        const res = await who.agent.get(path);
        expect({ role, path, status: res.status, code: res.body.error?.code }).toEqual({ role, path, status: 403, code: 'FORBIDDEN' });
      }
    }
  });
});
