/**
 * GET /api/v1/campaigns pages with an opaque cursor and answers `{ items, nextCursor }`, newest launched first:
 * walking every page while campaigns are launched between pages loses none and repeats none; `status` filters
 * upcoming / running / ended on the server by the campaign's dates; bad cursors, limits and statuses → 400.
 */
import { campaignListResponseSchema, type CampaignView } from '@shared/schemas/campaigns';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
let admin: LoggedIn;
const START = new Date('2026-05-01T02:00:00Z');
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestContext({ now: START });
  admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());

let seq = 0;
async function launch(fromDays = -1, toDays = 10): Promise<CampaignView> {
  seq += 1;
  const res = await admin.agent.post('/api/v1/campaigns').send({
    title: `专题${seq}`,
    description: '翻页测试',
    tag: `翻页${seq}`,
    startsAt: new Date(START.getTime() + fromDays * DAY).toISOString(),
    endsAt: new Date(START.getTime() + toDays * DAY).toISOString(),
  });
  expect(res.status).toBe(201);
  return res.body.campaign as CampaignView;
}

async function page(query: Record<string, string | number>) {
  const res = await t.request.get('/api/v1/campaigns').query(query);
  expect(res.status).toBe(200);
  return campaignListResponseSchema.parse(res.body);
}

describe('GET /api/v1/campaigns paging', () => {
  it('walks every page newest first with no campaign lost or repeated while campaigns are launched between pages', async () => {
    const before: CampaignView[] = [];
    for (let i = 0; i < 8; i += 1) before.push(await launch());
    const seen: CampaignView[] = [];
    const launchedDuring: CampaignView[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p: Awaited<ReturnType<typeof page>> = await page({ limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...p.items);
      cursor = p.nextCursor;
      pages += 1;
      launchedDuring.push(await launch());
    } while (cursor);
    expect(pages).toBe(3);
    const ids = seen.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(before.map((c) => c.id).reverse());
    const fresh = await page({ limit: 100 });
    expect(fresh.items.map((c) => c.id)).toEqual([...before, ...launchedDuring].map((c) => c.id).reverse());
    expect(fresh.nextCursor).toBeNull();
  });

  it('filters by status on the server, the same boundaries as the view', async () => {
    const upcoming = await launch(2, 9);
    const ended = await launch(-9, -2);
    const running = await launch(-1, 1);
    const byStatus = async (status: string) => (await page({ status, limit: 100 })).items;
    expect((await byStatus('upcoming')).map((c) => c.id)).toEqual([upcoming.id]);
    expect((await byStatus('ended')).map((c) => c.id)).toEqual([ended.id]);
    const live = await byStatus('running');
    expect(live.map((c) => c.id)).toContain(running.id);
    expect(live.every((c) => c.status === 'running')).toBe(true);
    // A day later the running one has ended: the filter follows the clock.
    t.clock.advance(DAY);
    expect((await byStatus('ended')).map((c) => c.id)).toEqual(expect.arrayContaining([ended.id, running.id]));
    t.clock.set(START);
  });

  it('refuses a malformed cursor, an out-of-range limit and an unknown status with VALIDATION_FAILED', async () => {
    for (const query of [{ cursor: 'nope' }, { limit: 0 }, { limit: 101 }, { status: 'soon' }, { sort: 'startsAt' }]) {
      const res = await t.request.get('/api/v1/campaigns').query(query);
      expect({ query, status: res.status, code: res.body.error?.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
    }
  });
});
