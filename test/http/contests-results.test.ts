/**
 * Jury and results over HTTP on the real stack: admin-appointed jurors shortlist during the shortlist
 * round (others refused), score only shortlisted entries during the jury rounds, the public votes only
 * for shortlisted entries; the final score is jury × weight + public × weight with the stated tie-break;
 * results stay unpublished until the results round, then rank the entries, and awards are paid through
 * the points ledger exactly once — also when the job runs again or an award's status was lost after
 * payment.
 */
import { resultsResponseSchema, type ContestView, type EntryView } from '@shared/schemas/contests';
import { EntryModel } from '../../server/src/modules/contests/contests.model';
import { buildServices } from '../../server/src/services';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { DAY, HOUR, as, createContest, filePhoto, fiveRounds, tick } from './contests-helpers';

let t: TestContext;
let admin: LoggedIn;
let jurors: LoggedIn[];
let authors: LoggedIn[];
let contest: ContestView;
let entries: EntryView[];
const START = new Date('2026-09-01T00:00:00Z');
const at = (round: number) => new Date(START.getTime() + HOUR + round * DAY + HOUR);

beforeAll(async () => {
  t = await createTestContext({ now: START });
  admin = await loginAs(t, 'admin');
  contest = await createContest(t, admin, {
    rounds: fiveRounds(new Date(START.getTime() + HOUR)),
    juryWeight: 60,
    publicWeight: 40,
    voting: { perUserPerDay: 10, perEntryPerDay: 1, hideTotals: true, newAccountHours: 0, maxUsersPerDevice: 5 },
    awards: [
      { label: '一等奖', count: 1, points: 300 },
      { label: '二等奖', count: 1, points: 100 },
    ],
  });
  jurors = [await loginAs(t, 'citizen', undefined, { nickname: '评委甲' }), await loginAs(t, 'citizen', undefined, { nickname: '评委乙' })];
  for (const j of jurors) await (await as(t, admin)).post(`/api/v1/contests/${contest.id}/jurors`).send({ userId: j.user.id }).expect(200);
  authors = [];
  for (let i = 0; i < 4; i += 1) authors.push(await loginAs(t, 'citizen', undefined, { nickname: `作者${'ABCD'[i]}` }));
  t.clock.set(at(0));
  await tick(t);
  entries = [];
  for (let i = 0; i < 4; i += 1) entries.push(await filePhoto(t, authors[i]!, contest.id, `作品${'ABCD'[i]}`));
});
afterAll(() => t.close());

const entryUrl = (e: EntryView, tail = '') => `/api/v1/contests/${contest.id}/entries/${e.id}${tail}`;

describe('jury shortlist', () => {
  beforeAll(async () => {
    t.clock.set(at(1));
    await tick(t);
  });

  it('lets jurors (and admins) shortlist, and refuses anyone else', async () => {
    const stranger = await as(t, authors[0]!);
    expect((await stranger.post(entryUrl(entries[0]!, '/shortlist')).send({ shortlisted: true })).status).toBe(403);
    for (const e of entries.slice(0, 2)) {
      const res = await (await as(t, jurors[0]!)).post(entryUrl(e, '/shortlist')).send({ shortlisted: true });
      expect(res.status).toBe(200);
      expect(res.body.entry.shortlisted).toBe(true);
    }
    await (await as(t, admin)).post(entryUrl(entries[2]!, '/shortlist')).send({ shortlisted: true }).expect(200);
  });

  it('only lets appointed jurors score, and only shortlisted entries', async () => {
    const notJuror = await (await as(t, admin)).put(entryUrl(entries[0]!, '/score')).send({ score: 90 });
    expect(notJuror.body.error.code).toBe('NOT_A_JUROR');
    const notShortlisted = await (await as(t, jurors[0]!)).put(entryUrl(entries[3]!, '/score')).send({ score: 90 });
    expect(notShortlisted.status).toBe(409);
    expect(notShortlisted.body.error.code).toBe('ENTRY_NOT_SHORTLISTED');
    expect((await (await as(t, jurors[0]!)).put(entryUrl(entries[0]!, '/score')).send({ score: 101 })).status).toBe(400);
  });
});

describe('voting and jury scores', () => {
  beforeAll(async () => {
    t.clock.set(at(2));
    await tick(t);
  });

  it('takes public votes for shortlisted entries only', async () => {
    const voters = [];
    for (let i = 0; i < 4; i += 1) voters.push(await as(t, await loginAs(t, 'citizen')));
    // A: 4 votes, B: 2 votes, C: none.
    for (const v of voters) await v.post(entryUrl(entries[0]!, '/votes')).expect(201);
    for (const v of voters.slice(0, 2)) await v.post(entryUrl(entries[1]!, '/votes')).expect(201);
    const res = await voters[0]!.post(entryUrl(entries[3]!, '/votes'));
    expect(res.body.error.code).toBe('ENTRY_NOT_SHORTLISTED');
  });

  it('keeps results unpublished until the results round', async () => {
    const res = await t.request.get(`/api/v1/contests/${contest.id}/results`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('RESULTS_NOT_PUBLISHED');
  });

  it('records jurors’ scores during judging; a juror may revise a score', async () => {
    t.clock.set(at(3));
    await tick(t);
    const [j1, j2] = [await as(t, jurors[0]!), await as(t, jurors[1]!)];
    const scores: Array<[number, number, number]> = [
      [0, 50, 60],
      [1, 90, 100],
      [2, 80, 80],
    ];
    for (const [i, a, b] of scores) {
      await j1.put(entryUrl(entries[i]!, '/score')).send({ score: 1 }).expect(200);
      await j1.put(entryUrl(entries[i]!, '/score')).send({ score: a }).expect(200);
      await j2.put(entryUrl(entries[i]!, '/score')).send({ score: b }).expect(200);
    }
    // Revised: A's jury mean becomes (70 + 60) / 2 = 65.
    await j1.put(entryUrl(entries[0]!, '/score')).send({ score: 70 }).expect(200);
  });
});

describe('results', () => {
  beforeAll(async () => {
    t.clock.set(at(4));
    await tick(t);
  });

  it('ranks shortlisted entries by the weighted formula and states the tie-break rule', async () => {
    const body = resultsResponseSchema.parse((await t.request.get(`/api/v1/contests/${contest.id}/results`).expect(200)).body);
    // A: 65×0.6 + 100×0.4 = 79; B: 95×0.6 + 50×0.4 = 77; C: 80×0.6 + 0 = 48.
    expect(body.rows.map((r) => [r.title, r.rank, r.juryScore, r.votes, r.publicScore, r.finalScore])).toEqual([
      ['作品A', 1, 65, 4, 100, 79],
      ['作品B', 2, 95, 2, 50, 77],
      ['作品C', 3, 80, 0, 0, 48],
    ]);
    expect(body.rows.map((r) => r.award)).toEqual([
      { label: '一等奖', points: 300, status: 'paid' },
      { label: '二等奖', points: 100, status: 'paid' },
      null,
    ]);
    expect(body.tieBreakRule).toContain('评委平均分高者在前');
    expect(body.contest).toMatchObject({ phase: 'results', resultsPublished: true, totalsVisible: true });
  });

  it('pays each award once through the ledger, even when the job runs again or a paid status was lost', async () => {
    const contestPoints = async (who: LoggedIn) => {
      const res = await (await as(t, who)).get('/api/v1/me/points/ledger').expect(200);
      return (res.body.items as Array<{ source: string; amount: number; reason: string }>).filter((i) => i.source === 'contest');
    };
    expect(await contestPoints(authors[0]!)).toEqual([expect.objectContaining({ amount: 300, reason: expect.stringContaining('一等奖') })]);
    expect(await contestPoints(authors[1]!)).toEqual([expect.objectContaining({ amount: 100 })]);
    expect(await contestPoints(authors[2]!)).toEqual([]);

    // A crash between the ledger credit and our status write leaves the award "pending": the retry is a no-op.
    await EntryModel.updateMany({ contestId: contest.id, award: { $exists: true } }, { $set: { 'award.status': 'pending' } });
    t.clock.advance(HOUR);
    await tick(t);
    // Two schedulers at once (this process and another one, with services of its own).
    const elsewhere = buildServices(t.deps);
    try {
      await Promise.all([t.services.contests.advanceDue(), elsewhere.contests.advanceDue()]);
    } finally {
      await elsewhere.close();
    }
    expect(await contestPoints(authors[0]!)).toHaveLength(1);
    expect(await contestPoints(authors[1]!)).toHaveLength(1);
    const rows = resultsResponseSchema.parse((await t.request.get(`/api/v1/contests/${contest.id}/results`).expect(200)).body).rows;
    expect(rows.map((r) => r.award?.status ?? null)).toEqual(['paid', 'paid', null]);
  });

  it('refuses scores once results are out', async () => {
    const res = await (await as(t, jurors[0]!)).put(entryUrl(entries[0]!, '/score')).send({ score: 10 });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CONTEST_PHASE_CLOSED');
  });
});

describe('a contest that breaks ties by votes first', () => {
  it('ranks two entries with equal final scores by their votes and states that rule', async () => {
    const start = new Date(t.clock.now().getTime() + HOUR);
    const day = (n: number) => new Date(start.getTime() + n * DAY);
    const rounds = [
      { kind: 'submission', startsAt: day(0).toISOString() },
      { kind: 'voting', startsAt: day(1).toISOString() },
      { kind: 'judging', startsAt: day(2).toISOString() },
      { kind: 'results', startsAt: day(3).toISOString() },
    ];
    const bad = await (await as(t, admin)).post('/api/v1/contests').send({ title: '比赛', description: '简介', rounds, tieBreak: 'coin' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');

    const votesFirst = await createContest(t, admin, {
      rounds,
      juryWeight: 50,
      publicWeight: 50,
      tieBreak: 'votes',
      voting: { perUserPerDay: 10, perEntryPerDay: 1, hideTotals: true, newAccountHours: 0, maxUsersPerDevice: 5 },
    });
    expect(votesFirst).toMatchObject({ tieBreak: 'votes', tieBreakRule: expect.stringContaining('公众票数多者在前；评委平均分高者在前') });
    expect(contest.tieBreak).toBe('jury');
    await (await as(t, admin)).post(`/api/v1/contests/${votesFirst.id}/jurors`).send({ userId: jurors[0]!.user.id }).expect(200);

    t.clock.set(new Date(day(0).getTime() + HOUR));
    await tick(t);
    // X: filed first, jury 100, 1 vote (public 50) → 75. Y: jury 50, 2 votes (public 100) → 75.
    const x = await filePhoto(t, authors[0]!, votesFirst.id, '作品X');
    const y = await filePhoto(t, authors[1]!, votesFirst.id, '作品Y');
    const url = (e: EntryView, tail: string) => `/api/v1/contests/${votesFirst.id}/entries/${e.id}${tail}`;

    t.clock.set(new Date(day(1).getTime() + HOUR));
    await tick(t);
    const voters = [await as(t, await loginAs(t, 'citizen')), await as(t, await loginAs(t, 'citizen'))];
    await voters[0]!.post(url(x, '/votes')).expect(201);
    for (const v of voters) await v.post(url(y, '/votes')).expect(201);

    t.clock.set(new Date(day(2).getTime() + HOUR));
    await tick(t);
    await (await as(t, jurors[0]!)).put(url(x, '/score')).send({ score: 100 }).expect(200);
    await (await as(t, jurors[0]!)).put(url(y, '/score')).send({ score: 50 }).expect(200);

    t.clock.set(new Date(day(3).getTime() + HOUR));
    await tick(t);
    const body = resultsResponseSchema.parse((await t.request.get(`/api/v1/contests/${votesFirst.id}/results`).expect(200)).body);
    expect(body.rows.map((r) => [r.title, r.rank, r.juryScore, r.votes, r.finalScore])).toEqual([
      ['作品Y', 1, 50, 2, 75],
      ['作品X', 2, 100, 1, 75],
    ]);
    expect(body.tieBreakRule).toBe(body.contest.tieBreakRule);
    expect(body.tieBreakRule).toContain('公众票数多者在前；评委平均分高者在前');
  });
});
