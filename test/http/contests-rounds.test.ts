/**
 * Contest rounds over HTTP on the real stack, driven by the test clock: an admin configures ordered
 * rounds (bad orders refused), entries are filed only during the open call (photo/video links, or the
 * author's approved submission — once), the per-person entry limit holds under concurrent filings, the
 * advance job moves contests at each boundary (shortlisting everything when there is no jury round),
 * catches up through several boundaries after downtime, and records each transition once when two
 * schedulers (two app instances) race.
 */
import { contestResponseSchema, entryListResponseSchema, type ContestView } from '@shared/schemas/contests';
import { submissionResponseSchema } from '@shared/schemas/newsroom';
import { ContestModel } from '../../server/src/modules/contests/contests.model';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { DAY, HOUR, as, contestOf, createContest, filePhoto, fiveRounds, tick } from './contests-helpers';

let t: TestContext;
let admin: LoggedIn;
const START = new Date('2026-03-01T00:00:00Z');

beforeAll(async () => {
  t = await createTestContext({ now: START });
  admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());

/** A fresh schedule starting one hour from the clock's now. */
const schedule = () => fiveRounds(new Date(t.clock.now().getTime() + HOUR));

async function history(id: string) {
  const doc = await ContestModel.findById(id).lean();
  return doc!.history.map((h) => h.kind);
}

describe('configuring a contest', () => {
  it('refuses non-admins with FORBIDDEN and anonymous callers with AUTH_REQUIRED', async () => {
    const citizen = await loginAs(t, 'citizen');
    const body = { title: 't', description: 'd', rounds: schedule() };
    expect((await citizen.agent.post('/api/v1/contests').send(body)).body.error.code).toBe('FORBIDDEN');
    expect((await t.request.post('/api/v1/contests').send(body)).status).toBe(401);
  });

  it('refuses rounds out of order, repeated, with dates going backwards, or not ending in results', async () => {
    const [s, sl, v, , r] = fiveRounds(new Date('2026-04-01T00:00:00Z'));
    const bad = [
      [v, s, r],
      [s, v, sl, r],
      [s, s, r],
      [s, v],
      [s, { kind: 'voting', startsAt: s!.startsAt }, r],
    ];
    for (const rounds of bad) {
      const res = await admin.agent.post('/api/v1/contests').send({ title: '比赛', description: '简介', rounds });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const weights = await admin.agent
      .post('/api/v1/contests')
      .send({ title: '比赛', description: '简介', rounds: [s, r], juryWeight: 60, publicWeight: 60 });
    expect(weights.status).toBe(400);
  });

  it('creates a contest that is upcoming until its first round starts', async () => {
    const contest = await createContest(t, admin, { rounds: schedule() });
    expect(contest).toMatchObject({ phase: 'upcoming', advancedTo: 'upcoming', resultsPublished: false, totalsVisible: false });
    expect(contest.rounds.map((r) => r.label)).toEqual(['作品征集', '评委初选', '公众投票', '评委打分', '结果公布']);
    expect(contest.rounds[0]!.endsAt).toBe(contest.rounds[1]!.startsAt);
    expect(contest.rounds.at(-1)!.endsAt).toBeNull();
  });
});

describe('entries', () => {
  let contest: ContestView;
  beforeAll(async () => {
    t.clock.set(START);
    contest = await createContest(t, admin, { rounds: schedule(), maxEntriesPerPerson: 2, entryKinds: ['submission', 'photo', 'video'] });
  });

  it('are refused before the open call starts', async () => {
    const user = await loginAs(t, 'citizen');
    const res = await user.agent
      .post(`/api/v1/contests/${contest.id}/entries`)
      .send({ kind: 'photo', title: '早到', imageUrls: ['https://img.example.cn/a.jpg'] });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'CONTEST_PHASE_CLOSED', details: { phase: 'upcoming' } });
  });

  it('hold the per-person limit exactly under 10 concurrent filings', async () => {
    t.clock.set(new Date(Date.parse(contest.rounds[0]!.startsAt) + HOUR));
    const user = await loginAs(t, 'citizen');
    const agent = await as(t, user);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        agent
          .post(`/api/v1/contests/${contest.id}/entries`)
          .send({ kind: 'video', title: `视频${i}`, videoUrl: `https://v.example.cn/${i}.mp4` }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(8);
    for (const r of refused) expect(r.body.error.code).toBe('ENTRY_LIMIT_REACHED');
    const mine = await (await as(t, user)).get(`/api/v1/contests/${contest.id}/entries?mine=true`).expect(200);
    expect(entryListResponseSchema.parse(mine.body).items).toHaveLength(2);
  });

  it("accept the author's approved submission once, and refuse someone else's or an unapproved one", async () => {
    const circle = await (await as(t, admin)).post('/api/v1/circles').send({ name: '古蔺摄影圈', description: '摄影爱好者' });
    const circleId = circle.body.circle.id as string;
    const writer = await loginAs(t, 'correspondent', { type: 'circle', id: circleId }, { nickname: '摄影师老周' });
    const editor = await loginAs(t, 'editor');
    const created = await writer.agent.post('/api/v1/submissions').send({
      title: '春三月的桃花',
      body: '古蔺的桃花开了，满山粉红。',
      place: '古蔺',
      campaign: '春三月',
      copyright: 'non_exclusive',
      originalityStatement: true,
    });
    const piece = submissionResponseSchema.parse(created.body).submission;
    const entryOf = (who: LoggedIn) =>
      who.agent.post(`/api/v1/contests/${contest.id}/entries`).send({ kind: 'submission', submissionId: piece.id });

    expect((await entryOf(writer)).body.error.code).toBe('ENTRY_SUBMISSION_NOT_APPROVED'); // still a draft
    await writer.agent.post(`/api/v1/submissions/${piece.id}/submit`).expect(200);
    await editor.agent.post(`/api/v1/submissions/${piece.id}/claim`).expect(200);
    await editor.agent.post(`/api/v1/submissions/${piece.id}/approve`).send({ grade: 'A' }).expect(200);

    const stranger = await loginAs(t, 'citizen');
    expect((await entryOf(stranger)).status).toBe(403);
    const filed = await entryOf(writer);
    expect(filed.status).toBe(201);
    expect(filed.body.entry).toMatchObject({ kind: 'submission', submissionId: piece.id, title: '春三月的桃花', authorName: '摄影师老周' });
    const again = await entryOf(writer);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ENTRY_DUPLICATE');
  });

  it('refuse a kind the contest does not take', async () => {
    const photosOnly = await createContest(t, admin, { rounds: fiveRounds(t.clock.now()), entryKinds: ['photo'] });
    const user = await loginAs(t, 'citizen');
    const res = await (
      await as(t, user)
    )
      .post(`/api/v1/contests/${photosOnly.id}/entries`)
      .send({ kind: 'video', title: '视频', videoUrl: 'https://v.example.cn/x.mp4' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('ENTRY_KIND_NOT_ALLOWED');
  });
});

describe('the advance job', () => {
  it('moves a contest one round at each boundary, and closes entry when the open call ends', async () => {
    t.clock.set(new Date('2026-05-01T00:00:00Z'));
    const contest = await createContest(t, admin, { rounds: schedule() });
    await tick(t);
    expect((await contestOf(t, contest.id)).advancedTo).toBe('upcoming');

    const expected = ['submission', 'shortlist', 'voting', 'judging', 'results'];
    for (const [i, kind] of expected.entries()) {
      t.clock.set(new Date(Date.parse(contest.rounds[i]!.startsAt) + 1000));
      if (kind === 'submission') await filePhoto(t, await loginAs(t, 'citizen'), contest.id);
      await tick(t);
      const now = await contestOf(t, contest.id);
      expect(now).toMatchObject({ phase: kind, advancedTo: kind });
      if (kind === 'shortlist') {
        const late = await (
          await as(t, await loginAs(t, 'citizen'))
        )
          .post(`/api/v1/contests/${contest.id}/entries`)
          .send({ kind: 'photo', title: '迟到', imageUrls: ['https://img.example.cn/late.jpg'] });
        expect(late.body.error.code).toBe('CONTEST_PHASE_CLOSED');
      }
    }
    expect(await history(contest.id)).toEqual(expected);
    expect((await contestOf(t, contest.id)).resultsPublished).toBe(true);
    // Running again changes nothing.
    t.clock.advance(DAY);
    await tick(t);
    expect(await history(contest.id)).toEqual(expected);
  });

  it('catches up through every boundary that passed while no scheduler ran', async () => {
    t.clock.set(new Date('2026-06-01T00:00:00Z'));
    const contest = await createContest(t, admin, {
      rounds: fiveRounds(new Date('2026-06-01T01:00:00Z')).filter((r) => r.kind !== 'shortlist'),
      awards: [{ label: '一等奖', count: 1, points: 100 }],
    });
    t.clock.set(new Date('2026-06-01T02:00:00Z'));
    const entry = await filePhoto(t, await loginAs(t, 'citizen'), contest.id);
    await tick(t);
    // "Downtime": the next run happens after voting, judging and the results date have all passed.
    t.clock.set(new Date('2026-06-10T00:00:00Z'));
    await tick(t);
    expect(await history(contest.id)).toEqual(['submission', 'voting', 'judging', 'results']);
    const after = await contestOf(t, contest.id);
    expect(after).toMatchObject({ phase: 'results', advancedTo: 'results', resultsPublished: true });
    // No jury round: the entry went forward by itself when entry closed, and was ranked.
    const results = await t.request.get(`/api/v1/contests/${contest.id}/results`).expect(200);
    expect(results.body.rows).toEqual([expect.objectContaining({ entryId: entry.id, rank: 1 })]);
  });

  it('records each transition once and pays each award once when two schedulers race', async () => {
    t.clock.set(new Date('2026-07-01T00:00:00Z'));
    const contest = await createContest(t, admin, {
      rounds: fiveRounds(new Date('2026-07-01T01:00:00Z')).filter((r) => r.kind !== 'shortlist' && r.kind !== 'judging'),
      awards: [{ label: '金奖', count: 1, points: 300 }],
    });
    t.clock.set(new Date('2026-07-01T02:00:00Z'));
    const author = await loginAs(t, 'citizen');
    await filePhoto(t, author, contest.id);

    // A second API process: its own app, Redis client and service caches over the same databases.
    const peer = await createTestContext({ now: t.clock.now() });
    try {
      t.clock.set(new Date('2026-07-09T00:00:00Z'));
      peer.clock.set(t.clock.now());
      // Different slots (clock skew between hosts): the per-slot job lock does not separate them.
      await Promise.all([tick(t), tick(peer, 1000), tick(t, 2000), tick(peer, 3000)]);
    } finally {
      await peer.close();
    }
    expect(await history(contest.id)).toEqual(['submission', 'voting', 'results']);
    const ledger = await (await as(t, author)).get('/api/v1/me/points/ledger').expect(200);
    const awards = (ledger.body.items as Array<{ source: string; amount: number }>).filter((i) => i.source === 'contest');
    expect(awards).toEqual([expect.objectContaining({ amount: 300 })]);
  });

  it('answers the contest view with the round the clock is in even before the job has run', async () => {
    t.clock.set(new Date('2026-08-01T00:00:00Z'));
    const contest = await createContest(t, admin, { rounds: schedule() });
    t.clock.advance(2 * HOUR);
    const view = contestResponseSchema.parse((await t.request.get(`/api/v1/contests/${contest.id}`).expect(200)).body).contest;
    expect(view).toMatchObject({ phase: 'submission', advancedTo: 'upcoming' });
  });
});
