/**
 * The contest lists page with an opaque cursor and answer `{ items, nextCursor }`. GET /api/v1/contests: newest
 * first, `q` on the title; walking every page while contests are created between pages loses none and repeats none.
 * GET /api/v1/contests/:id/entries: in filing order; entries filed while someone pages come after the pages read,
 * each once; `mine` and `shortlisted` filter on the server. Bad cursors and limits are refused with 400.
 */
import { contestListResponseSchema, entryListResponseSchema, type ContestView, type EntryView } from '@shared/schemas/contests';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { as, createContest, DAY, filePhoto, fiveRounds } from './contests-helpers';

let t: TestContext;
let admin: LoggedIn;
const START = new Date('2026-04-01T02:00:00Z');

beforeAll(async () => {
  t = await createTestContext({ now: START });
  admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());

const photoContest = (title: string, over: Record<string, unknown> = {}) =>
  createContest(t, admin, {
    title,
    rounds: fiveRounds(t.clock.now()),
    entryKinds: ['photo'],
    maxEntriesPerPerson: 5,
    voting: { perUserPerDay: 3, perEntryPerDay: 1, hideTotals: false, newAccountHours: 0, maxUsersPerDevice: 50 },
    ...over,
  });

async function contestsPage(query: Record<string, string | number>) {
  const res = await t.request.get('/api/v1/contests').query(query);
  expect(res.status).toBe(200);
  return contestListResponseSchema.parse(res.body);
}

async function entriesPage(contestId: string, query: Record<string, string | number>, who?: LoggedIn) {
  const agent = who ? await as(t, who) : t.request;
  const res = await agent.get(`/api/v1/contests/${contestId}/entries`).query(query);
  expect(res.status).toBe(200);
  return entryListResponseSchema.parse(res.body);
}

describe('GET /api/v1/contests paging', () => {
  it('walks every page newest first with no contest lost or repeated while contests are created between pages', async () => {
    const before: ContestView[] = [];
    for (let i = 0; i < 7; i += 1) before.push(await photoContest(`翻页比赛${i}`));
    await photoContest('别的比赛');
    const seen: ContestView[] = [];
    const createdDuring: ContestView[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p: Awaited<ReturnType<typeof contestsPage>> = await contestsPage({ q: '翻页', limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...p.items);
      cursor = p.nextCursor;
      pages += 1;
      createdDuring.push(await photoContest(`翻页比赛新${pages}`));
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.map((c) => c.id)).toEqual(before.map((c) => c.id).reverse());
    // The contests created meanwhile are on a fresh first page, and the last page says there is no next.
    const fresh = await contestsPage({ q: '翻页', limit: 100 });
    expect(fresh.items.map((c) => c.id)).toEqual([...before, ...createdDuring].map((c) => c.id).reverse());
    expect(fresh.nextCursor).toBeNull();
    // Past the last page of the filter: nothing and no cursor.
    expect(await contestsPage({ q: '翻页', cursor: fresh.items.at(-1)!.id })).toEqual({ items: [], nextCursor: null });
  });
});

describe('GET /api/v1/contests status filter', () => {
  it('tells upcoming, running and ended contests apart by the clock, on the server', async () => {
    const upcoming = await photoContest('状态筛选未开始', { rounds: fiveRounds(new Date(t.clock.now().getTime() + DAY)) });
    const running = await photoContest('状态筛选进行中');
    const ids = async (status: string) => (await contestsPage({ q: '状态筛选', status, limit: 100 })).items.map((c) => c.id);
    expect(await ids('upcoming')).toEqual([upcoming.id]);
    expect(await ids('running')).toEqual([running.id]);
    expect(await ids('ended')).toEqual([]);
    // Four days on the second has reached its results round; a day later the first has too.
    t.clock.advance(4 * DAY + 1);
    expect(await ids('running')).toEqual([upcoming.id]);
    expect(await ids('ended')).toEqual([running.id]);
    t.clock.advance(DAY);
    expect(await ids('ended')).toEqual([running.id, upcoming.id]);
    t.clock.set(START);
  });
});

describe('GET /api/v1/contests/:id/entries paging', () => {
  it('walks entries in filing order; entries filed while paging come after the pages read, each exactly once', async () => {
    const contest = await photoContest('作品翻页');
    const people = await Promise.all(Array.from({ length: 3 }, () => loginAs(t, 'citizen')));
    const before: EntryView[] = [];
    for (let i = 0; i < 8; i += 1) before.push(await filePhoto(t, people[i % 3]!, contest.id, `作品${i}`));
    const seen: EntryView[] = [];
    const filedDuring: EntryView[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof entriesPage>> = await entriesPage(contest.id, { limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items);
      cursor = page.nextCursor;
      // A new entry while someone reads (one per person, within the per-person limit).
      if (cursor && filedDuring.length < 3) {
        filedDuring.push(await filePhoto(t, people[filedDuring.length]!, contest.id, `新作品${filedDuring.length}`));
      }
    } while (cursor);
    const ids = seen.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...before, ...filedDuring].map((e) => e.id));
  });

  it('filters mine and shortlisted on the server, page by page', async () => {
    const contest = await photoContest('筛选翻页');
    const me = await loginAs(t, 'citizen');
    const other = await loginAs(t, 'citizen');
    const mine: EntryView[] = [];
    for (let i = 0; i < 4; i += 1) {
      mine.push(await filePhoto(t, me, contest.id, `我的${i}`));
      await filePhoto(t, other, contest.id, `别人的${i}`);
    }
    const first = await entriesPage(contest.id, { mine: 'true', limit: 3 }, me);
    expect(first.items.map((e) => e.id)).toEqual(mine.slice(0, 3).map((e) => e.id));
    const second = await entriesPage(contest.id, { mine: 'true', limit: 3, cursor: first.nextCursor! }, me);
    expect(second).toMatchObject({ items: [{ id: mine[3]!.id }], nextCursor: null });
    expect((await t.request.get(`/api/v1/contests/${contest.id}/entries`).query({ mine: 'true' })).status).toBe(401);

    // Shortlist round: the juror picks two; the shortlisted filter pages through just those.
    const juror = await loginAs(t, 'citizen');
    await (await as(t, admin)).post(`/api/v1/contests/${contest.id}/jurors`).send({ userId: juror.user.id }).expect(200);
    t.clock.advance(DAY);
    for (const e of [mine[1]!, mine[3]!])
      await (await as(t, juror)).post(`/api/v1/contests/${contest.id}/entries/${e.id}/shortlist`).send({ shortlisted: true }).expect(200);
    const picked = await entriesPage(contest.id, { shortlisted: 'true', limit: 1 });
    expect(picked.items.map((e) => e.id)).toEqual([mine[1]!.id]);
    const rest = await entriesPage(contest.id, { shortlisted: 'true', limit: 1, cursor: picked.nextCursor! });
    expect(rest.items.map((e) => e.id)).toEqual([mine[3]!.id]);
    expect(rest.nextCursor).toBeNull();
    expect((await entriesPage(contest.id, { shortlisted: 'false', limit: 100 })).items).toHaveLength(6);
  });
});

describe('bad paging input', () => {
  it('refuses a malformed cursor and out-of-range limits with VALIDATION_FAILED on both lists', async () => {
    const contest = await photoContest('参数校验');
    for (const path of ['/api/v1/contests', `/api/v1/contests/${contest.id}/entries`]) {
      for (const query of [{ cursor: 'nope' }, { limit: 0 }, { limit: 101 }, { limit: 'many' }, { status: 'open' }]) {
        const res = await t.request.get(path).query(query);
        expect({ path, query, status: res.status, code: res.body.error?.code }).toEqual({
          path,
          query,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
    }
    // Without paging parameters: the first page of up to 50.
    const first = await t.request.get('/api/v1/contests').expect(200);
    expect(first.body.items.length).toBeLessThanOrEqual(50);
    expect(first.body).toHaveProperty('nextCursor');
  });
});
