/**
 * What a request may do follows the clock, not the advance job's last run. Nothing here runs the job until
 * the end (its progress, `advancedTo`, stays behind on purpose): right after the voting boundary votes are
 * accepted — for every entry in a contest without a shortlist round, only for the jury's picks in one with —,
 * also in a process that cached the contest before the boundary; one second after voting ends votes are
 * refused; jurors score entries that went forward by the clock; results are computed at the first request
 * after the results boundary, and the job running afterwards pays nothing twice.
 */
import {
  contestResponseSchema,
  entryListResponseSchema,
  entryResponseSchema,
  resultsResponseSchema,
  type ContestView,
  type EntryView,
} from '@shared/schemas/contests';
import { VoteModel } from '../../server/src/modules/contests/contests.model';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { DAY, HOUR, as, contestOf, createContest, filePhoto, tick } from './contests-helpers';

let t: TestContext;
let admin: LoggedIn;
const LIMITS = { perUserPerDay: 3, perEntryPerDay: 1, hideTotals: false, newAccountHours: 0, maxUsersPerDevice: 5 };

beforeAll(async () => {
  t = await createTestContext({ now: new Date('2026-09-01T00:00:00Z') });
  admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());

const voteUrl = (contest: ContestView, entry: EntryView) => `/api/v1/contests/${contest.id}/entries/${entry.id}/votes`;
const entriesOf = async (contest: ContestView, shortlisted: 'true' | 'false') =>
  entryListResponseSchema.parse((await t.request.get(`/api/v1/contests/${contest.id}/entries?shortlisted=${shortlisted}`).expect(200)).body)
    .items;
const entryOf = async (contest: ContestView, entry: EntryView) =>
  entryResponseSchema.parse((await t.request.get(`/api/v1/contests/${contest.id}/entries/${entry.id}`).expect(200)).body).entry;

describe('a contest without a shortlist round, the job never running until the end', () => {
  const START = new Date('2026-09-01T00:00:00Z');
  const VOTING = new Date(START.getTime() + DAY);
  const JUDGING = new Date(START.getTime() + 2 * DAY);
  const RESULTS = new Date(START.getTime() + 3 * DAY);
  let contest: ContestView;
  let entries: EntryView[];
  let authors: LoggedIn[];
  let juror: LoggedIn;
  let voter: LoggedIn;

  beforeAll(async () => {
    t.clock.set(START);
    contest = await createContest(t, admin, {
      rounds: [
        { kind: 'submission', startsAt: new Date(START.getTime() + HOUR).toISOString() },
        { kind: 'voting', startsAt: VOTING.toISOString() },
        { kind: 'judging', startsAt: JUDGING.toISOString() },
        { kind: 'results', startsAt: RESULTS.toISOString() },
      ],
      voting: LIMITS,
      juryWeight: 50,
      publicWeight: 50,
      awards: [{ label: '一等奖', count: 1, points: 200 }],
    });
    juror = await loginAs(t, 'citizen', undefined, { nickname: '评委' });
    await (await as(t, admin)).post(`/api/v1/contests/${contest.id}/jurors`).send({ userId: juror.user.id }).expect(200);
    voter = await loginAs(t, 'citizen');
    t.clock.set(new Date(START.getTime() + 2 * HOUR));
    authors = [await loginAs(t, 'citizen'), await loginAs(t, 'citizen')];
    entries = [await filePhoto(t, authors[0]!, contest.id, '春'), await filePhoto(t, authors[1]!, contest.id, '秋')];
  });

  it('accepts the first vote one second after voting opens, though the job has not run and the config was cached before', async () => {
    // During the open call: refused, and this process now holds the contest in its vote config cache.
    const early = await (await as(t, voter)).post(voteUrl(contest, entries[0]!));
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'CONTEST_PHASE_CLOSED', details: { phase: 'submission' } });
    expect(await entriesOf(contest, 'true')).toEqual([]);

    t.clock.set(new Date(VOTING.getTime() + 1000));
    expect(await contestOf(t, contest.id)).toMatchObject({ phase: 'voting', advancedTo: 'upcoming' });
    const res = await (await as(t, voter)).post(voteUrl(contest, entries[0]!));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ remainingToday: 2, entryVotes: 1 });
    // Every entry went forward when entry closed, whatever the job recorded.
    expect(await entryOf(contest, entries[1]!)).toMatchObject({ shortlisted: true });
    expect((await entriesOf(contest, 'true')).map((e) => e.id)).toEqual(entries.map((e) => e.id));
    expect(await entriesOf(contest, 'false')).toEqual([]);
    await (await as(t, await loginAs(t, 'citizen'))).post(voteUrl(contest, entries[1]!)).expect(201);
  });

  it('refuses a vote one second after voting ends, though the job has not run', async () => {
    t.clock.set(new Date(JUDGING.getTime() + 1000));
    expect(await contestOf(t, contest.id)).toMatchObject({ phase: 'judging', advancedTo: 'upcoming' });
    const late = await (await as(t, voter)).post(voteUrl(contest, entries[1]!));
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'CONTEST_PHASE_CLOSED', details: { phase: 'judging' } });
    await t.services.contests.flushVotes();
    expect(await VoteModel.countDocuments({ contestId: contest.id })).toBe(2);
  });

  it('lets a juror score an entry that went forward by the clock', async () => {
    for (const [i, score] of [90, 60].entries()) {
      const res = await (await as(t, juror)).put(`/api/v1/contests/${contest.id}/entries/${entries[i]!.id}/score`).send({ score });
      expect(res.status).toBe(200);
    }
  });

  it('publishes the results at the first request after the results boundary; the job afterwards pays nothing twice', async () => {
    t.clock.set(new Date(RESULTS.getTime() + 1000));
    expect(await contestOf(t, contest.id)).toMatchObject({ phase: 'results', advancedTo: 'upcoming', resultsPublished: true });
    const res = await t.request.get(`/api/v1/contests/${contest.id}/results`);
    expect(res.status).toBe(200);
    const results = resultsResponseSchema.parse(res.body);
    expect(results.rows.map((r) => [r.entryId, r.rank, r.votes, r.juryScore])).toEqual([
      [entries[0]!.id, 1, 1, 90],
      [entries[1]!.id, 2, 1, 60],
    ]);
    expect(results.rows[0]!.award).toMatchObject({ label: '一等奖', points: 200, status: 'paid' });

    await tick(t);
    expect(await contestOf(t, contest.id)).toMatchObject({ phase: 'results', advancedTo: 'results' });
    const again = resultsResponseSchema.parse((await t.request.get(`/api/v1/contests/${contest.id}/results`).expect(200)).body);
    expect(again.rows).toEqual(results.rows);
    const ledger = await (await as(t, authors[0]!)).get('/api/v1/me/points/ledger').expect(200);
    const awards = (ledger.body.items as Array<{ source: string; amount: number }>).filter((i) => i.source === 'contest');
    expect(awards).toEqual([expect.objectContaining({ amount: 200 })]);
  });
});

describe('a contest with a shortlist round, voting opening before the job runs', () => {
  const START = new Date('2026-10-01T00:00:00Z');
  const SHORTLIST = new Date(START.getTime() + DAY);
  const VOTING = new Date(START.getTime() + 2 * DAY);
  let contest: ContestView;
  let entries: EntryView[];

  beforeAll(async () => {
    t.clock.set(START);
    contest = await createContest(t, admin, {
      rounds: [
        { kind: 'submission', startsAt: new Date(START.getTime() + HOUR).toISOString() },
        { kind: 'shortlist', startsAt: SHORTLIST.toISOString() },
        { kind: 'voting', startsAt: VOTING.toISOString() },
        { kind: 'results', startsAt: new Date(START.getTime() + 3 * DAY).toISOString() },
      ],
      voting: LIMITS,
    });
    t.clock.set(new Date(START.getTime() + 2 * HOUR));
    entries = [
      await filePhoto(t, await loginAs(t, 'citizen'), contest.id, '入围'),
      await filePhoto(t, await loginAs(t, 'citizen'), contest.id, '落选'),
    ];
  });

  it('takes votes right at the boundary for the jury picks only: the picks are made in the shortlist round, so they are final', async () => {
    t.clock.set(new Date(SHORTLIST.getTime() + HOUR));
    await (
      await as(t, admin)
    )
      .post(`/api/v1/contests/${contest.id}/entries/${entries[0]!.id}/shortlist`)
      .send({ shortlisted: true })
      .expect(200);
    const citizen = await loginAs(t, 'citizen');
    // Cached in this process before the boundary.
    expect((await (await as(t, citizen)).post(voteUrl(contest, entries[0]!))).body.error.details).toEqual({ phase: 'shortlist' });

    t.clock.set(new Date(VOTING.getTime() + 1000));
    expect(contestResponseSchema.parse((await t.request.get(`/api/v1/contests/${contest.id}`).expect(200)).body).contest).toMatchObject({
      phase: 'voting',
      advancedTo: 'upcoming',
    });
    const voter = await as(t, citizen);
    await voter.post(voteUrl(contest, entries[0]!)).expect(201);
    const refused = await voter.post(voteUrl(contest, entries[1]!));
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('ENTRY_NOT_SHORTLISTED');
    expect(await entryOf(contest, entries[1]!)).toMatchObject({ shortlisted: false });
    expect((await entriesOf(contest, 'true')).map((e) => e.id)).toEqual([entries[0]!.id]);
    // A late pick is refused: the shortlist round is over by the clock.
    const pick = await (
      await as(t, admin)
    )
      .post(`/api/v1/contests/${contest.id}/entries/${entries[1]!.id}/shortlist`)
      .send({ shortlisted: true });
    expect(pick.body.error).toMatchObject({ code: 'CONTEST_PHASE_CLOSED', details: { phase: 'voting' } });
  });
});
