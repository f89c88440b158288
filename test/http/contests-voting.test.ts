/**
 * Public voting over HTTP on the real stack: only signed-in WeChat users vote (a console-only staff
 * account is refused), only during the voting round, only for shortlisted entries; the per-user daily
 * limits (total and per entry) hold exactly under 500 concurrent votes from one user and reset at
 * midnight Asia/Shanghai; limits survive Redis losing its counters (rebuilt after a quiet period); an Idempotency-Key retry counts once;
 * totals stay hidden until voting closes; votes from new accounts and from one device shared by several
 * voters are flagged; an admin voids a flagged vote with a reason and the tally (live and frozen)
 * follows; reconciliation rebuilds a corrupted tally from the stored votes.
 */
import supertest from 'supertest';
import {
  contestResponseSchema,
  entryListResponseSchema,
  voteListResponseSchema,
  type ContestView,
  type EntryView,
} from '@shared/schemas/contests';
import { VOTE_GATE_REBUILD_QUIET_MS } from '../../server/src/modules/contests';
import { VoteModel } from '../../server/src/modules/contests/contests.model';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { DAY, HOUR, as, createContest, filePhoto, tick } from './contests-helpers';

let t: TestContext;
let admin: LoggedIn;
let contest: ContestView;
let entries: EntryView[];
/** Accounts created on day 0: older than the 72 h "new account" line by the time voting opens. */
let veterans: LoggedIn[];
const START = new Date('2026-03-01T00:00:00Z');
const VOTING = new Date(START.getTime() + 4 * DAY);
const RESULTS = new Date(START.getTime() + 6 * DAY);

beforeAll(async () => {
  t = await createTestContext({ now: START });
  admin = await loginAs(t, 'admin');
  contest = await createContest(t, admin, {
    rounds: [
      { kind: 'submission', startsAt: new Date(START.getTime() + HOUR).toISOString() },
      { kind: 'voting', startsAt: VOTING.toISOString() },
      { kind: 'results', startsAt: RESULTS.toISOString() },
    ],
    voting: { perUserPerDay: 5, perEntryPerDay: 2, hideTotals: true, newAccountHours: 72, maxUsersPerDevice: 2 },
  });
  veterans = [];
  for (let i = 0; i < 8; i += 1) veterans.push(await loginAs(t, 'citizen', undefined, { nickname: `老用户${i}` }));
  t.clock.set(new Date(START.getTime() + 2 * HOUR));
  entries = [];
  for (let i = 0; i < 3; i += 1) entries.push(await filePhoto(t, veterans[i]!, contest.id, `四季之美${i}`));
});
afterAll(() => t.close());

const voteUrl = (entry: EntryView) => `/api/v1/contests/${contest.id}/entries/${entry.id}/votes`;
/** Votes stored in MongoDB, once the votes counted so far have left the writer's batch queue (milliseconds). */
const storedVotes = async (filter: Record<string, unknown>) => {
  await t.services.contests.flushVotes();
  return VoteModel.countDocuments({ contestId: contest.id, ...filter });
};

describe('before voting opens', () => {
  it('refuses votes outside the voting round', async () => {
    const res = await (await as(t, veterans[5]!)).post(voteUrl(entries[0]!));
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'CONTEST_PHASE_CLOSED', details: { phase: 'submission' } });
  });
});

describe('during voting', () => {
  beforeAll(async () => {
    t.clock.set(new Date(VOTING.getTime() + HOUR)); // 09:00 in Shanghai
    await tick(t);
  });

  it('refuses anonymous callers and console-only staff accounts; only WeChat users vote', async () => {
    expect((await t.request.post(voteUrl(entries[0]!))).body.error.code).toBe('AUTH_REQUIRED');
    const users = t.services.users;
    const staff = await users.createStaff(null, {
      username: 'contest-staff',
      password: 'Staff-Passw0rd!2026',
      nickname: '后台编辑',
      roles: [{ role: 'editor' }],
    });
    const { accessToken } = t.services.accessTokens.issue(await users.principal(staff.id));
    const res = await supertest(t.app.callback()).post(voteUrl(entries[0]!)).set('Authorization', `Bearer ${accessToken}`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('VOTE_WECHAT_ONLY');
  });

  it('holds the daily limits exactly under 500 concurrent votes from one user', async () => {
    const voter = veterans[3]!;
    const agent = await as(t, voter);
    const results = await Promise.all(Array.from({ length: 500 }, (_, i) => agent.post(voteUrl(entries[i % 3]!))));
    const ok = results.filter((r) => r.status === 201);
    expect(ok).toHaveLength(5);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(422);
      expect(['VOTE_DAILY_LIMIT', 'VOTE_ENTRY_LIMIT']).toContain(r.body.error.code);
    }
    expect(await storedVotes({ userId: voter.user.id })).toBe(5);
    for (const e of entries) expect(await storedVotes({ userId: voter.user.id, entryId: e.id })).toBeLessThanOrEqual(2);
    expect(await t.services.contests.tallyMismatch(contest.id)).toBe(0);

    const next = await agent.post(voteUrl(entries[0]!));
    expect(next.body.error).toMatchObject({ code: 'VOTE_DAILY_LIMIT', details: { limit: 5 } });
    expect(next.body.error.message).toContain('5 票已用完');
  });

  it('holds the per-entry limit under 500 concurrent votes for one entry, then resets at Shanghai midnight', async () => {
    const voter = veterans[4]!;
    const agent = await as(t, voter);
    const results = await Promise.all(Array.from({ length: 500 }, () => agent.post(voteUrl(entries[1]!))));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(results.filter((r) => r.status === 422 && r.body.error.code === 'VOTE_ENTRY_LIMIT')).toHaveLength(498);
    const other = await agent.post(voteUrl(entries[2]!)).expect(201);
    expect(other.body).toMatchObject({ remainingToday: 2, remainingForEntryToday: 1, entryVotes: null });

    // 16:00 UTC is midnight in Shanghai: a new day, a new allowance.
    const clockBefore = t.clock.now();
    t.clock.set(new Date(Date.UTC(2026, 2, 5, 16, 0, 1)));
    const tomorrow = await (await as(t, voter)).post(voteUrl(entries[1]!));
    expect(tomorrow.status).toBe(201);
    expect(tomorrow.body.remainingToday).toBe(4);
    t.clock.set(clockBefore);
  });

  it('keeps the limits when Redis loses its counters (they are rebuilt from the stored votes after the quiet period)', async () => {
    const voter = veterans[3]!; // used all 5 votes today
    // The day's counters (every voter's totals and per-entry counts) live in one hash: drop it.
    const keys = await t.deps.redis.keys(`cv:${contest.id}:d:*`);
    expect(keys.length).toBeGreaterThan(0);
    await t.deps.redis.del(...keys);
    const waiting = await (await as(t, voter)).post(voteUrl(entries[2]!));
    expect(waiting.status).toBe(503);
    expect(waiting.body.error?.code).toBe('VOTE_GATE_RECOVERING');
    t.clock.advance(VOTE_GATE_REBUILD_QUIET_MS);
    const res = await (await as(t, voter)).post(voteUrl(entries[2]!));
    expect(res.body.error?.code).toBe('VOTE_DAILY_LIMIT');
  });

  it('counts a retried vote with the same Idempotency-Key once', async () => {
    const voter = veterans[6]!;
    const agent = await as(t, voter);
    const first = await agent.post(voteUrl(entries[0]!)).set('Idempotency-Key', 'vote-retry-0001');
    const again = await agent.post(voteUrl(entries[0]!)).set('Idempotency-Key', 'vote-retry-0001');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.voteId).toBe(first.body.voteId);
    expect(await storedVotes({ userId: voter.user.id })).toBe(1);
  });

  it('accepts ids in one spelling only: an upper-case contest id is refused (400), so it cannot open a second gate', async () => {
    const voter = veterans[7]!;
    const agent = await as(t, voter);
    const res = await agent.post(`/api/v1/contests/${contest.id.toUpperCase()}/entries/${entries[0]!.id}/votes`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(await storedVotes({ userId: voter.user.id })).toBe(0);
  });

  it('hides totals from everyone while voting is open', async () => {
    const list = entryListResponseSchema.parse((await t.request.get(`/api/v1/contests/${contest.id}/entries`).expect(200)).body);
    expect(list.items.map((e) => e.votes)).toEqual([null, null, null]);
    const one = await t.request.get(`/api/v1/contests/${contest.id}/entries/${entries[0]!.id}`).expect(200);
    expect(one.body.entry.votes).toBeNull();
    const shared = await t.request.get(`/api/v1/contest-entries/${entries[0]!.id}`).expect(200);
    expect(shared.body.entry).toMatchObject({ id: entries[0]!.id, contestId: contest.id, votes: null });
    const view = contestResponseSchema.parse((await t.request.get(`/api/v1/contests/${contest.id}`).expect(200)).body).contest;
    expect(view.totalsVisible).toBe(false);
  });

  it('flags votes from new accounts and from one device used by more voters than allowed', async () => {
    const newcomer = await loginAs(t, 'citizen', undefined, { nickname: '新用户' });
    const fresh = await (await as(t, newcomer)).post(voteUrl(entries[0]!)).expect(201);

    const device = 'device-shared-0001';
    const ids: string[] = [];
    for (const v of [veterans[0]!, veterans[1]!, veterans[2]!]) {
      const res = await (await as(t, v)).post(voteUrl(entries[2]!)).set('X-Device-Id', device);
      expect(res.status).toBe(201);
      ids.push(res.body.voteId as string);
    }
    const solo = await (await as(t, veterans[7]!)).post(voteUrl(entries[2]!)).set('X-Device-Id', 'device-own-00007').expect(201);

    const flagged = voteListResponseSchema.parse(
      (await (await as(t, admin)).get(`/api/v1/contests/${contest.id}/flagged-votes`).expect(200)).body,
    ).items;
    const byId = new Map(flagged.map((v) => [v.id, v]));
    expect(byId.get(fresh.body.voteId as string)?.flags).toEqual(['new_account']);
    // The voter is named (the console shows people, not ids); the id stays for look-ups.
    expect(byId.get(fresh.body.voteId as string)).toMatchObject({ userId: newcomer.user.id, voterName: '新用户' });
    // Each vote names its entry, so the console's page of votes reads without the entries list.
    for (const v of flagged) expect(v.entryTitle).toBe(entries.find((e) => e.id === v.entryId)?.title);
    // The third voter on the device crosses the line, and the device's earlier votes today join the burst.
    for (const id of ids) expect(byId.get(id)?.flags).toEqual(['shared_device']);
    expect(byId.has(solo.body.voteId as string)).toBe(false);

    const citizen = await as(t, veterans[0]!);
    expect((await citizen.get(`/api/v1/contests/${contest.id}/flagged-votes`)).status).toBe(403);
  });

  it('voids a flagged vote with a reason, once, and the live tally follows', async () => {
    const service = t.services.contests;
    const adminAgent = await as(t, admin);
    const [vote] = voteListResponseSchema.parse(
      (await adminAgent.get(`/api/v1/contests/${contest.id}/flagged-votes?status=valid`).expect(200)).body,
    ).items;
    const tallyOf = async () => Number(await t.deps.redis.hget(`cv:${contest.id}:t`, vote!.entryId));
    const before = await tallyOf();

    expect((await adminAgent.post(`/api/v1/contests/${contest.id}/votes/${vote!.id}/void`).send({})).status).toBe(400);
    const voided = await adminAgent.post(`/api/v1/contests/${contest.id}/votes/${vote!.id}/void`).send({ reason: '同一设备多账号刷票' });
    expect(voided.status).toBe(200);
    expect(voided.body).toEqual({ voteId: vote!.id, status: 'void', reason: '同一设备多账号刷票' });
    expect(await tallyOf()).toBe(before - 1);
    expect(await service.tallyMismatch(contest.id)).toBe(0);

    const again = await adminAgent.post(`/api/v1/contests/${contest.id}/votes/${vote!.id}/void`).send({ reason: '再次' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('VOTE_ALREADY_VOID');
    expect(await tallyOf()).toBe(before - 1);
    const stored = await VoteModel.findById(vote!.id).lean();
    expect(stored).toMatchObject({ status: 'void', voidReason: '同一设备多账号刷票' });
  });

  it('rebuilds a corrupted tally from the stored votes on reconciliation', async () => {
    await t.deps.redis.hset(`cv:${contest.id}:t`, entries[0]!.id, 999);
    const service = t.services.contests;
    expect(await service.tallyMismatch(contest.id)).toBe(1);
    const res = await (await as(t, admin)).post(`/api/v1/contests/${contest.id}/reconcile`).expect(200);
    expect(res.body.corrected).toBe(1);
    expect(await service.tallyMismatch(contest.id)).toBe(0);
  });
});

describe('after voting closes', () => {
  beforeAll(async () => {
    t.clock.set(new Date(RESULTS.getTime() + HOUR));
    await tick(t);
  });

  it('shows totals equal to the valid stored votes, and refuses voids once results are final', async () => {
    const list = entryListResponseSchema.parse((await t.request.get(`/api/v1/contests/${contest.id}/entries`).expect(200)).body);
    for (const e of list.items) expect(e.votes).toBe(await storedVotes({ entryId: e.id, status: 'valid' }));
    const results = await t.request.get(`/api/v1/contests/${contest.id}/results`).expect(200);
    expect(results.body.rows.map((r: { votes: number }) => r.votes).reduce((a: number, b: number) => a + b, 0)).toBe(
      await storedVotes({ status: 'valid' }),
    );
    // Results are final: voiding now is refused.
    const vote = await VoteModel.findOne({ contestId: contest.id, status: 'valid' }).lean();
    const res = await (
      await as(t, admin)
    )
      .post(`/api/v1/contests/${contest.id}/votes/${vote!._id.toHexString()}/void`)
      .send({ reason: '迟到的核查' });
    expect(res.body.error.code).toBe('CONTEST_RESULTS_FINAL');
    expect((await t.request.post(voteUrl(entries[0]!))).status).toBe(401);
    expect((await (await as(t, veterans[7]!)).post(voteUrl(entries[0]!))).body.error.code).toBe('CONTEST_PHASE_CLOSED');
  });
});

describe('voiding after voting closed, before results', () => {
  it('lowers the frozen count, and the results count what remains', async () => {
    t.clock.set(new Date('2026-10-01T00:00:00Z'));
    const voters = [];
    for (let i = 0; i < 3; i += 1) voters.push(await loginAs(t, 'citizen'));
    const c = await createContest(t, admin, {
      rounds: [
        { kind: 'submission', startsAt: '2026-10-01T01:00:00Z' },
        { kind: 'voting', startsAt: '2026-10-02T01:00:00Z' },
        { kind: 'judging', startsAt: '2026-10-03T01:00:00Z' },
        { kind: 'results', startsAt: '2026-10-04T01:00:00Z' },
      ],
      voting: { perUserPerDay: 3, perEntryPerDay: 1, hideTotals: true, newAccountHours: 0, maxUsersPerDevice: 5 },
    });
    t.clock.set(new Date('2026-10-01T02:00:00Z'));
    const entry = await filePhoto(t, voters[0]!, c.id, '秋');
    t.clock.set(new Date('2026-10-02T02:00:00Z'));
    await tick(t);
    const voteIds: string[] = [];
    for (const v of voters)
      voteIds.push((await (await as(t, v)).post(`/api/v1/contests/${c.id}/entries/${entry.id}/votes`).expect(201)).body.voteId);

    t.clock.set(new Date('2026-10-03T02:00:00Z'));
    await tick(t);
    const votesNow = async () => (await t.request.get(`/api/v1/contest-entries/${entry.id}`).expect(200)).body.entry.votes as number;
    expect(await votesNow()).toBe(3);
    await (await as(t, admin)).post(`/api/v1/contests/${c.id}/votes/${voteIds[0]}/void`).send({ reason: '核查为刷票' }).expect(200);
    expect(await votesNow()).toBe(2);

    t.clock.set(new Date('2026-10-04T02:00:00Z'));
    await tick(t);
    const results = await t.request.get(`/api/v1/contests/${c.id}/results`).expect(200);
    expect(results.body.rows).toEqual([expect.objectContaining({ entryId: entry.id, votes: 2 })]);
  });
});
