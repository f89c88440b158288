/**
 * The 数据看板's answer cache over HTTP: an answer is reused for a minute (roll-ups change once a day); after that
 * the earlier answer is still served at once while one recomputation runs — no request waits for a cold answer —
 * and the recomputed one replaces it. A roll-up written by this process drops the cached answers at once.
 */
import { dashboardResponseSchema } from '@shared/schemas/stats';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
let editor: LoggedIn;
const DAY = '2026-11-23';

beforeAll(async () => {
  t = await createTestContext({ now: new Date('2026-11-24T01:00:00Z') });
  editor = await loginAs(t, 'editor');
  await t.deps.db.collection('stats_daily').insertOne({
    day: DAY,
    dimension: 'reads',
    key: 'all',
    label: '全县',
    values: { reads: 5, readers: 2 },
    computedAt: new Date(),
    run: 'test',
  });
});
afterAll(() => t.close());

const setReads = (reads: number) =>
  t.deps.db.collection('stats_daily').updateOne({ day: DAY, dimension: 'reads' }, { $set: { 'values.reads': reads } });

async function reads(): Promise<number> {
  const res = await editor.agent.get('/api/v1/console/dashboard').query({ from: DAY, to: DAY });
  expect(res.status).toBe(200);
  return dashboardResponseSchema.parse(res.body).reads!.days[0]!.reads;
}

describe('GET /api/v1/console/dashboard answer cache', () => {
  it('reuses an answer for a minute, then serves it while one recomputation replaces it', async () => {
    expect(await reads()).toBe(5);
    await setReads(9);
    expect(await reads()).toBe(5);
    t.clock.advance(61_000);
    // Stale: the earlier answer at once, the recomputation behind it.
    expect(await reads()).toBe(5);
    let seen = 5;
    for (let i = 0; i < 100 && seen === 5; i += 1) {
      await new Promise((r) => setTimeout(r, 20));
      seen = await reads();
    }
    expect(seen).toBe(9);
  });

  it('drops every cached answer when this process writes a roll-up', async () => {
    await setReads(11);
    expect(await reads()).toBe(9);
    await t.services.stats.rollUp();
    // The job recomputed 2026-11-23 from the (empty) raw collections: the hand-written row is gone.
    const b = dashboardResponseSchema.parse((await editor.agent.get('/api/v1/console/dashboard').query({ from: DAY, to: DAY })).body);
    expect(b.reads!.days[0]!.reads).toBe(0);
  });
});
