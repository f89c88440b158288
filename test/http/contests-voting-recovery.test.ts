/**
 * The vote path's crash safety on the real stack. A vote is counted by the Redis gate (limits, tally and
 * a pending-log entry in one Lua step) and its MongoDB record is written afterwards in a batch. These
 * tests stop a vote between the two steps — the way a process dying right after the gate leaves it — and
 * prove that reconciliation (the advance job, under its Redis lock) stores it once, so the tally equals
 * the stored votes; that the freeze at the end of voting writes pending votes before it counts, and then
 * closes the gate for good; that a rebuild during live voting loses no vote; that Redis losing everything
 * is recovered from the stored votes, after a quiet period in which votes, reconciliation and the freeze
 * wait (503 VOTE_GATE_RECOVERING) so a vote still queued in another process is counted; and that a config
 * change made by another process reaches the gate.
 */
import { Types } from 'mongoose';
import { errorBodySchema } from '@shared/errors';
import { entryListResponseSchema, type ContestView, type EntryView } from '@shared/schemas/contests';
import { shanghaiDay } from '../../server/src/core/time';
import { VOTE_GATE_REBUILD_QUIET_MS } from '../../server/src/modules/contests';
import { ContestModel, EntryModel, VoteModel } from '../../server/src/modules/contests/contests.model';
import { createVoteGate, pendingKey, tallyKey } from '../../server/src/modules/contests/vote-gate';
import { buildServices } from '../../server/src/services';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { dieMidInsert } from '../harness/mongo-faults';
import { DAY, HOUR, as, createContest, filePhoto, tick } from './contests-helpers';

let t: TestContext;
let admin: LoggedIn;
const START = new Date('2026-05-01T00:00:00Z');
const VOTING = new Date(START.getTime() + 2 * DAY);
const RESULTS = new Date(START.getTime() + 4 * DAY);

beforeAll(async () => {
  t = await createTestContext({ now: START });
  admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());

const LIMITS = { perUserPerDay: 3, perEntryPerDay: 1, hideTotals: false, newAccountHours: 0, maxUsersPerDevice: 5 };

let contests = 0;
/** A contest in its voting round with `n` shortlisted entries (each at its own second: the job's slot lock is per second). */
async function votingContest(n: number, voting: Partial<typeof LIMITS> = {}): Promise<{ contest: ContestView; entries: EntryView[] }> {
  t.clock.set(START);
  const contest = await createContest(t, admin, {
    rounds: [
      { kind: 'submission', startsAt: new Date(START.getTime() + HOUR).toISOString() },
      { kind: 'voting', startsAt: VOTING.toISOString() },
      { kind: 'results', startsAt: RESULTS.toISOString() },
    ],
    voting: { ...LIMITS, ...voting },
  });
  t.clock.set(new Date(START.getTime() + 2 * HOUR));
  const entries: EntryView[] = [];
  for (let i = 0; i < n; i += 1) entries.push(await filePhoto(t, await loginAs(t, 'citizen'), contest.id, `恢复${i}`));
  contests += 1;
  // 7 s apart: never the slot of another test's later tick (those run whole minutes after their contest's
  // second), which the slot lock would skip, leaving this contest in its open call.
  t.clock.set(new Date(VOTING.getTime() + HOUR + contests * 7_000));
  expect(await tick(t)).toBe(true);
  return { contest, entries };
}

const voteUrl = (contest: ContestView, entry: EntryView) => `/api/v1/contests/${contest.id}/entries/${entry.id}/votes`;
/** Votes stored in MongoDB, once the votes counted so far have left the writer's batch queue (milliseconds). */
const stored = async (contestId: string, filter: Record<string, unknown> = {}) => {
  await t.services.contests.flushVotes();
  return VoteModel.countDocuments({ contestId, ...filter });
};
const tallyOf = async (contestId: string, entryId: string) => Number((await t.deps.redis.hget(tallyKey(contestId), entryId)) ?? 0);

/** What a process that died right after the gate leaves behind: a counted vote, in the pending log, no record. */
async function gateOnly(contest: ContestView, entry: EntryView, voter: LoggedIn, deviceId: string | null = null) {
  const gate = createVoteGate(t.deps.redis);
  const now = t.clock.now();
  const voteId = new Types.ObjectId().toHexString();
  const outcome = await gate.pass({
    contestId: contest.id,
    version: await gate.version(contest.id),
    userId: voter.user.id,
    entryId: entry.id,
    day: shanghaiDay(now),
    now,
    voteId,
    deviceId,
    ip: '10.0.0.9',
    limits: contest.voting,
    requestKey: null,
  });
  expect(outcome.ok).toBe(true);
  return voteId;
}

describe('a crash between the gate and the durable write', () => {
  it('leaves a counted vote pending; reconciliation stores it once and the tally equals the stored votes', async () => {
    const { contest, entries } = await votingContest(2, { newAccountHours: 1 });
    const voter = await loginAs(t, 'citizen');
    const service = t.services.contests;
    await (await as(t, voter)).post(voteUrl(contest, entries[0]!)).expect(201);

    const lost = await gateOnly(contest, entries[1]!, voter, 'device-crash-0001');
    expect(await tallyOf(contest.id, entries[1]!.id)).toBe(1);
    expect(await stored(contest.id)).toBe(1);
    expect(await service.tallyMismatch(contest.id)).toBe(1);
    expect(await t.deps.redis.hexists(pendingKey(contest.id), lost)).toBe(1);
    // The dead process's vote used up the voter's allowance like any other.
    const next = await (await as(t, voter)).post(voteUrl(contest, entries[0]!));
    expect(next.body.error.code).toBe('VOTE_ENTRY_LIMIT');

    // Within the grace period a live writer may still be storing it: the job leaves it alone.
    t.clock.advance(1000);
    expect(await tick(t)).toBe(true);
    expect(await stored(contest.id)).toBe(1);

    t.clock.advance(60_000);
    expect(await tick(t)).toBe(true);
    expect(await stored(contest.id)).toBe(2);
    const record = await VoteModel.findById(lost).lean();
    expect(record).toMatchObject({
      entryId: new Types.ObjectId(entries[1]!.id),
      userId: new Types.ObjectId(voter.user.id),
      status: 'valid',
      deviceId: 'device-crash-0001',
      ip: '10.0.0.9',
      flags: ['new_account'],
    });
    expect(await t.deps.redis.hlen(pendingKey(contest.id))).toBe(0);
    expect(await service.tallyMismatch(contest.id)).toBe(0);

    // Another run finds nothing to do and writes nothing twice.
    t.clock.advance(60_000);
    await tick(t);
    expect(await stored(contest.id)).toBe(2);
  });

  it('after the write but before the pending entry was dropped: reconciliation writes nothing twice', async () => {
    const { contest, entries } = await votingContest(1);
    const voter = await loginAs(t, 'citizen');
    const voteId = await gateOnly(contest, entries[0]!, voter);
    await VoteModel.collection.insertOne({
      _id: new Types.ObjectId(voteId),
      contestId: new Types.ObjectId(contest.id),
      entryId: new Types.ObjectId(entries[0]!.id),
      userId: new Types.ObjectId(voter.user.id),
      day: shanghaiDay(t.clock.now()),
      status: 'valid',
      flags: [],
      createdAt: t.clock.now(),
    });
    t.clock.advance(60_000);
    await tick(t);
    expect(await stored(contest.id)).toBe(1);
    expect(await t.deps.redis.hlen(pendingKey(contest.id))).toBe(0);
    expect(await t.services.contests.tallyMismatch(contest.id)).toBe(0);
  });
});

describe('the freeze at the end of voting', () => {
  it('writes every pending vote before counting, so frozen tallies equal the stored votes, then closes the gate', async () => {
    const { contest, entries } = await votingContest(2);
    const voters: LoggedIn[] = [];
    for (let i = 0; i < 3; i += 1) voters.push(await loginAs(t, 'citizen'));
    for (const v of voters) await (await as(t, v)).post(voteUrl(contest, entries[0]!)).expect(201);
    // Two votes counted just before the boundary whose records were not written yet.
    await gateOnly(contest, entries[1]!, voters[0]!);
    await gateOnly(contest, entries[1]!, voters[1]!);
    expect(await stored(contest.id)).toBe(3);

    t.clock.set(new Date(RESULTS.getTime() + HOUR));
    await tick(t);
    expect(await stored(contest.id)).toBe(5);
    expect(await t.deps.redis.hlen(pendingKey(contest.id))).toBe(0);
    const frozen = await EntryModel.find({ contestId: contest.id }).sort({ _id: 1 }).lean();
    expect(frozen.map((e) => e.frozenVotes)).toEqual([3, 2]);
    const list = entryListResponseSchema.parse((await t.request.get(`/api/v1/contests/${contest.id}/entries`).expect(200)).body);
    expect(list.items.map((e) => e.votes)).toEqual([3, 2]);

    // A process whose clock still says "voting" is refused by the closed gate: nothing changes the frozen count.
    t.clock.set(new Date(VOTING.getTime() + 2 * HOUR));
    const late = await (await as(t, voters[2]!)).post(voteUrl(contest, entries[1]!));
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('CONTEST_PHASE_CLOSED');
    expect(await stored(contest.id)).toBe(5);
    expect(await tallyOf(contest.id, entries[1]!.id)).toBe(2);
  });
});

describe('rebuilds while votes arrive', () => {
  it('pauses the gate instead of refusing: every vote is accepted once and the tally equals the stored votes', async () => {
    const { contest, entries } = await votingContest(3, { perUserPerDay: 3, perEntryPerDay: 1 });
    const voters: Array<Awaited<ReturnType<typeof as>>> = [];
    for (let i = 0; i < 20; i += 1) voters.push(await as(t, await loginAs(t, 'citizen')));
    const adminAgent = await as(t, admin);
    const [votes, rebuilt] = await Promise.all([
      Promise.all(voters.flatMap((v) => entries.map((e) => v.post(voteUrl(contest, e))))),
      (async () => {
        await new Promise((r) => setTimeout(r, 5));
        return adminAgent.post(`/api/v1/contests/${contest.id}/reconcile`);
      })(),
    ]);
    expect(rebuilt.status).toBe(200);
    expect(votes.map((r) => r.status)).toEqual(votes.map(() => 201));
    expect(await stored(contest.id)).toBe(60);
    const service = t.services.contests;
    expect(await service.tallyMismatch(contest.id)).toBe(0);
    for (const e of entries) expect(await tallyOf(contest.id, e.id)).toBe(20);
  });
});

describe('Redis losing everything', () => {
  it('rebuilds the tally and the day counters from the stored votes: the limits still hold', async () => {
    const { contest, entries } = await votingContest(3, { perUserPerDay: 2, perEntryPerDay: 1 });
    const voter = await as(t, await loginAs(t, 'citizen'));
    await voter.post(voteUrl(contest, entries[0]!)).expect(201);
    await voter.post(voteUrl(contest, entries[1]!)).expect(201);
    const other = await as(t, await loginAs(t, 'citizen'));
    await other.post(voteUrl(contest, entries[0]!)).expect(201);

    const keys = await t.deps.redis.keys(`cv:${contest.id}:*`);
    expect(keys.length).toBeGreaterThan(0);
    await t.deps.redis.del(...keys);
    expect((await voter.post(voteUrl(contest, entries[2]!))).body.error.code).toBe('VOTE_GATE_RECOVERING');
    t.clock.advance(VOTE_GATE_REBUILD_QUIET_MS);

    const refused = await voter.post(voteUrl(contest, entries[2]!));
    expect(refused.body.error.code).toBe('VOTE_DAILY_LIMIT');
    const again = await other.post(voteUrl(contest, entries[0]!));
    expect(again.body.error.code).toBe('VOTE_ENTRY_LIMIT');
    const ok = await other.post(voteUrl(contest, entries[2]!)).expect(201);
    expect(ok.body).toMatchObject({ remainingToday: 0, entryVotes: 1 });
    expect(await tallyOf(contest.id, entries[0]!.id)).toBe(2);
    expect(await t.services.contests.tallyMismatch(contest.id)).toBe(0);
  });
});

describe('Redis losing everything under concurrent votes', () => {
  it('one voter rebuilds while the others wait: the limits hold exactly and nothing is counted twice', async () => {
    const { contest, entries } = await votingContest(3, { perUserPerDay: 2, perEntryPerDay: 1 });
    const voter = await as(t, await loginAs(t, 'citizen'));
    await voter.post(voteUrl(contest, entries[0]!)).expect(201);
    await t.services.contests.flushVotes();
    await t.deps.redis.del(...(await t.deps.redis.keys(`cv:${contest.id}:*`)));
    expect((await voter.post(voteUrl(contest, entries[1]!))).status).toBe(503);
    t.clock.advance(VOTE_GATE_REBUILD_QUIET_MS);

    const others = [];
    for (let i = 0; i < 5; i += 1) others.push(await as(t, await loginAs(t, 'citizen')));
    const answers = await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => voter.post(voteUrl(contest, entries[i % 3]!))),
      ...others.map((o) => o.post(voteUrl(contest, entries[1]!))),
    ]);
    // The voter had one vote left today (entries 1 or 2); each other voter one vote for entry 1.
    expect(answers.slice(0, 30).filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of answers.slice(0, 30).filter((x) => x.status !== 201)) expect(r.status).toBe(422);
    expect(answers.slice(30).map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(await stored(contest.id)).toBe(7);
    expect(await t.services.contests.tallyMismatch(contest.id)).toBe(0);
  });
});

describe('config cached in each process', () => {
  it('follows a change made by another process at the next vote (the gate checks the config version)', async () => {
    const { contest, entries } = await votingContest(2, { perUserPerDay: 1, perEntryPerDay: 1 });
    const voter = await as(t, await loginAs(t, 'citizen'));
    await voter.post(voteUrl(contest, entries[0]!)).expect(201);
    expect((await voter.post(voteUrl(contest, entries[1]!))).body.error.code).toBe('VOTE_DAILY_LIMIT');

    // Another process (services of its own) raises both daily limits. (Not the shortlist: without a shortlist
    // round every entry is in the running once entry closes, by the clock.)
    const elsewhere = buildServices(t.deps);
    try {
      await ContestModel.updateOne({ _id: contest.id }, { $set: { 'voting.perUserPerDay': 3, 'voting.perEntryPerDay': 2 } });
      await elsewhere.contests.configChanged(contest.id);
    } finally {
      await elsewhere.close();
    }

    await voter.post(voteUrl(contest, entries[1]!)).expect(201);
    const again = await voter.post(voteUrl(contest, entries[0]!)).expect(201);
    expect(again.body).toMatchObject({ remainingToday: 0, remainingForEntryToday: 0 });
  });
});

describe('the quiet period after Redis loses a contest’s tally and counters', () => {
  /** Redis loses every key of the contest (a restart without persistence, a failover to an empty replica). */
  const loseRedis = async (contestId: string) => t.deps.redis.del(...(await t.deps.redis.keys(`cv:${contestId}:*`)));
  const expectRecovering = (res: { status: number; body: unknown }, retryAfterSeconds: number) => {
    expect(res.status).toBe(503);
    expect(errorBodySchema.parse(res.body).error).toEqual({
      code: 'VOTE_GATE_RECOVERING',
      message: '投票通道正在恢复，请几秒后再试',
      details: { retryAfterSeconds },
    });
  };
  const QUIET_SECONDS = Math.ceil(VOTE_GATE_REBUILD_QUIET_MS / 1000);

  it('counts a vote another process stored late: the rebuilt day counters keep the voter within the daily limit', async () => {
    const { contest, entries } = await votingContest(3, { perUserPerDay: 2, perEntryPerDay: 1 });
    const citizen = await loginAs(t, 'citizen');
    const voter = await as(t, citizen);
    await voter.post(voteUrl(contest, entries[0]!)).expect(201);
    // The voter's second vote, answered by another process and still in its writer's queue when Redis lost its data.
    const queued = await gateOnly(contest, entries[1]!, citizen);
    await t.services.contests.flushVotes();
    await loseRedis(contest.id);

    expectRecovering(await voter.post(voteUrl(contest, entries[2]!)), QUIET_SECONDS);
    // That process's writer stores it now, during the quiet period.
    await VoteModel.collection.insertOne({
      _id: new Types.ObjectId(queued),
      contestId: new Types.ObjectId(contest.id),
      entryId: new Types.ObjectId(entries[1]!.id),
      userId: new Types.ObjectId(citizen.user.id),
      day: shanghaiDay(t.clock.now()),
      status: 'valid',
      flags: [],
      createdAt: t.clock.now(),
    });
    // Counted from the first sighting, not from each refusal.
    t.clock.advance(VOTE_GATE_REBUILD_QUIET_MS - 1000);
    expectRecovering(await voter.post(voteUrl(contest, entries[2]!)), 1);

    t.clock.advance(1000);
    const refused = await voter.post(voteUrl(contest, entries[2]!));
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('VOTE_DAILY_LIMIT');
    expect(await tallyOf(contest.id, entries[1]!.id)).toBe(1);
    expect(await stored(contest.id)).toBe(2);
    expect(await t.services.contests.tallyMismatch(contest.id)).toBe(0);
  });

  it('answers every vote 503 in the error shape meanwhile, then votes are counted again; a later loss waits again', async () => {
    const { contest, entries } = await votingContest(2);
    const voters = [];
    for (let i = 0; i < 4; i += 1) voters.push(await as(t, await loginAs(t, 'citizen')));
    await voters[0]!.post(voteUrl(contest, entries[0]!)).expect(201);
    await t.services.contests.flushVotes();
    await loseRedis(contest.id);

    const meanwhile = await Promise.all(voters.map((v) => v.post(voteUrl(contest, entries[1]!))));
    for (const res of meanwhile) expectRecovering(res, QUIET_SECONDS);
    expect(await stored(contest.id)).toBe(1);

    t.clock.advance(VOTE_GATE_REBUILD_QUIET_MS);
    const after = await Promise.all(voters.map((v) => v.post(voteUrl(contest, entries[1]!))));
    expect(after.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(await tallyOf(contest.id, entries[0]!.id)).toBe(1);
    expect(await tallyOf(contest.id, entries[1]!.id)).toBe(4);
    expect(await t.services.contests.tallyMismatch(contest.id)).toBe(0);

    // The rebuild ended that loss: the next one gets its own quiet period.
    await t.services.contests.flushVotes();
    await loseRedis(contest.id);
    expectRecovering(await voters[0]!.post(voteUrl(contest, entries[1]!)), QUIET_SECONDS);
  });

  it('makes reconciliation wait the same, and it restores the day counters with the tally', async () => {
    const { contest, entries } = await votingContest(2, { perUserPerDay: 1 });
    const voter = await as(t, await loginAs(t, 'citizen'));
    await voter.post(voteUrl(contest, entries[0]!)).expect(201);
    await t.services.contests.flushVotes();
    await loseRedis(contest.id);

    const adminAgent = await as(t, admin);
    expectRecovering(await adminAgent.post(`/api/v1/contests/${contest.id}/reconcile`), QUIET_SECONDS);
    t.clock.advance(VOTE_GATE_REBUILD_QUIET_MS);
    const res = await adminAgent.post(`/api/v1/contests/${contest.id}/reconcile`).expect(200);
    expect(res.body).toEqual({ entries: 1, corrected: 1 });
    const refused = await voter.post(voteUrl(contest, entries[1]!));
    expect(refused.body.error?.code).toBe('VOTE_DAILY_LIMIT');
  });

  it('holds the freeze back meanwhile without holding back other contests; the next run freezes the stored votes', async () => {
    const lost = await votingContest(1);
    const healthy = await votingContest(1);
    for (const c of [lost, healthy]) await (await as(t, await loginAs(t, 'citizen'))).post(voteUrl(c.contest, c.entries[0]!)).expect(201);
    await t.services.contests.flushVotes();
    await loseRedis(lost.contest.id);

    t.clock.set(new Date(RESULTS.getTime() + 2 * HOUR)); // a slot of its own (the freeze test above ran at + 1 h)
    expect(await tick(t)).toBe(true);
    expect(await ContestModel.findById(healthy.contest.id).lean()).toMatchObject({ resultsPublishedAt: expect.any(Date) });
    expect((await ContestModel.findById(lost.contest.id).lean())?.resultsPublishedAt).toBeUndefined();

    t.clock.advance(VOTE_GATE_REBUILD_QUIET_MS);
    expect(await tick(t)).toBe(true);
    expect(await ContestModel.findById(lost.contest.id).lean()).toMatchObject({ resultsPublishedAt: expect.any(Date) });
    expect((await EntryModel.findById(lost.entries[0]!.id).lean())?.frozenVotes).toBe(1);
  });
});

describe('MongoDB dying mid-write', () => {
  it('keeps every vote not proven stored pending; reconciliation stores them: tallies = stored = acknowledged votes', async () => {
    const { contest, entries } = await votingContest(3);
    const voters: Array<Awaited<ReturnType<typeof as>>> = [];
    for (let i = 0; i < 15; i += 1) voters.push(await as(t, await loginAs(t, 'citizen')));
    // Every insert of the burst writes half its batch, then fails with a network error whose writeErrors list is empty.
    const dying = dieMidInsert(VoteModel.collection);
    let acknowledged: string[];
    try {
      const votes = await Promise.all(voters.flatMap((v) => entries.map((e) => v.post(voteUrl(contest, e)))));
      expect(votes.map((r) => r.status)).toEqual(votes.map(() => 201));
      acknowledged = votes.map((r) => r.body.voteId as string);
      await t.services.contests.flushVotes();
      expect(dying.calls).toBeGreaterThan(0);
      const landed = (await VoteModel.find({ contestId: contest.id }, { _id: 1 }).lean()).map((v) => v._id.toHexString());
      expect(landed.length).toBeLessThan(acknowledged.length);
      const pending = await t.deps.redis.hkeys(pendingKey(contest.id));
      expect(pending.sort()).toEqual(acknowledged.filter((id) => !landed.includes(id)).sort());
    } finally {
      dying.restore();
    }

    // MongoDB is back: the admin's reconcile stores the pending votes and rebuilds the tally from the stored ones.
    await (await as(t, admin)).post(`/api/v1/contests/${contest.id}/reconcile`).expect(200);
    const records = await VoteModel.find({ contestId: contest.id }, { _id: 1 }).lean();
    expect(records.map((v) => v._id.toHexString()).sort()).toEqual([...acknowledged].sort());
    expect(await t.deps.redis.hlen(pendingKey(contest.id))).toBe(0);
    for (const e of entries) expect(await tallyOf(contest.id, e.id)).toBe(15);
    expect(await t.services.contests.tallyMismatch(contest.id)).toBe(0);
  });
});

describe('a vote retried with its Idempotency-Key', () => {
  it('gets the counted vote back (Idempotent-Replayed) after the first answer was lost, never a second vote', async () => {
    const { contest, entries } = await votingContest(1, { perEntryPerDay: 3 });
    const user = await loginAs(t, 'citizen');
    const voter = await as(t, user);
    const first = await voter.post(voteUrl(contest, entries[0]!)).set('Idempotency-Key', 'vote-lost-answer-01').expect(201);
    // The answer never reached the phone; the retry comes after any generic in-flight record (60 s) is gone.
    await t.deps.redis.del(`idem:${user.user.id}:vote-lost-answer-01`);
    t.clock.advance(2 * 60_000);
    const retry = await voter.post(voteUrl(contest, entries[0]!)).set('Idempotency-Key', 'vote-lost-answer-01').expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toMatchObject({ voteId: first.body.voteId, remainingForEntryToday: 2 });
    expect(await stored(contest.id)).toBe(1);
    expect(await tallyOf(contest.id, entries[0]!.id)).toBe(1);
    // A new key is a new vote; the same key for another entry is refused.
    await voter.post(voteUrl(contest, entries[0]!)).set('Idempotency-Key', 'vote-lost-answer-02').expect(201);
    expect(await stored(contest.id)).toBe(2);
  });

  it('refuses the same key for another entry (409 IDEMPOTENCY_KEY_REUSED) and counts nothing', async () => {
    const { contest, entries } = await votingContest(2);
    const voter = await as(t, await loginAs(t, 'citizen'));
    await voter.post(voteUrl(contest, entries[0]!)).set('Idempotency-Key', 'vote-other-entry-01').expect(201);
    const res = await voter.post(voteUrl(contest, entries[1]!)).set('Idempotency-Key', 'vote-other-entry-01');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await stored(contest.id)).toBe(1);
    expect(await tallyOf(contest.id, entries[1]!.id)).toBe(0);
  });

  it('is recognised by a gate rebuilt from MongoDB after Redis lost everything (the key is on the record)', async () => {
    const { contest, entries } = await votingContest(1, { perEntryPerDay: 3 });
    const user = await loginAs(t, 'citizen');
    const voter = await as(t, user);
    const first = await voter.post(voteUrl(contest, entries[0]!)).set('Idempotency-Key', 'vote-after-loss-01').expect(201);
    expect(await stored(contest.id)).toBe(1);
    // Everything Redis held about the vote and the request goes.
    const keys = [...(await t.deps.redis.keys(`cv:${contest.id}:*`)), ...(await t.deps.redis.keys(`idem:${user.user.id}:*`))];
    await t.deps.redis.del(...keys);
    expect((await voter.post(voteUrl(contest, entries[0]!)).set('Idempotency-Key', 'vote-after-loss-01')).status).toBe(503);
    t.clock.advance(VOTE_GATE_REBUILD_QUIET_MS);
    const retry = await voter.post(voteUrl(contest, entries[0]!)).set('Idempotency-Key', 'vote-after-loss-01').expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.voteId).toBe(first.body.voteId);
    expect(await stored(contest.id)).toBe(1);
    expect(await tallyOf(contest.id, entries[0]!.id)).toBe(1);
  });

  it('replays a retry racing its first attempt: of 20 concurrent sends with one key, one vote is counted', async () => {
    const { contest, entries } = await votingContest(1, { perEntryPerDay: 5, perUserPerDay: 5 });
    const voter = await as(t, await loginAs(t, 'citizen'));
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => voter.post(voteUrl(contest, entries[0]!)).set('Idempotency-Key', 'vote-racing-00001')),
    );
    expect(answers.map((r) => r.status)).toEqual(answers.map(() => 201));
    expect(new Set(answers.map((r) => r.body.voteId)).size).toBe(1);
    expect(answers.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    expect(await stored(contest.id)).toBe(1);
  });
});
