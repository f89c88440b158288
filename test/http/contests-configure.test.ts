/**
 * Changing a contest's configuration over HTTP (PUT /api/v1/contests/:id) on the real stack: an admin
 * replaces the rounds, rules, weights, tie-break and awards of a contest that has not started (jurors stay,
 * cover and campaign tag can be dropped); invalid configurations are refused like at creation; non-admins
 * are refused; once the first round has begun the configuration is frozen (CONTEST_PHASE_CLOSED), and the
 * advance job then follows the new dates.
 */
import { contestResponseSchema } from '@shared/schemas/contests';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { DAY, HOUR, as, contestOf, createContest, fiveRounds, tick } from './contests-helpers';

let t: TestContext;
let admin: LoggedIn;
const START = new Date('2026-05-01T00:00:00Z');

beforeAll(async () => {
  t = await createTestContext({ now: START });
  admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());

describe('reconfiguring a contest before it starts', () => {
  it('replaces rounds, limits, weights, tie-break and awards; keeps jurors; drops cover and tag when left out', async () => {
    const contest = await createContest(t, admin, {
      rounds: fiveRounds(new Date(START.getTime() + DAY)),
      cover: 'https://img.example.cn/cover.jpg',
      campaign: '春三月',
      awards: [{ label: '一等奖', count: 1, points: 100 }],
    });
    const juror = await loginAs(t, 'citizen', undefined, { nickname: '评委丙' });
    await (await as(t, admin)).post(`/api/v1/contests/${contest.id}/jurors`).send({ userId: juror.user.id }).expect(200);

    const later = new Date(START.getTime() + 3 * DAY);
    const rounds = [
      { kind: 'submission', startsAt: later.toISOString() },
      { kind: 'voting', startsAt: new Date(later.getTime() + 2 * DAY).toISOString() },
      { kind: 'results', startsAt: new Date(later.getTime() + 4 * DAY).toISOString() },
    ];
    const res = await (await as(t, admin)).put(`/api/v1/contests/${contest.id}`).send({
      title: '寻找古蔺四季之美（改期）',
      description: '新的简介',
      rounds,
      entryKinds: ['photo'],
      maxEntriesPerPerson: 3,
      voting: { perUserPerDay: 6, perEntryPerDay: 2, hideTotals: false, newAccountHours: 24, maxUsersPerDevice: 3 },
      juryWeight: 0,
      publicWeight: 100,
      tieBreak: 'earliest',
      awards: [{ label: '人气奖', count: 2, points: 50 }],
    });
    expect(res.status).toBe(200);
    const updated = contestResponseSchema.parse(res.body).contest;
    expect(updated).toMatchObject({
      id: contest.id,
      title: '寻找古蔺四季之美（改期）',
      cover: null,
      campaign: null,
      entryKinds: ['photo'],
      maxEntriesPerPerson: 3,
      voting: { perUserPerDay: 6, perEntryPerDay: 2, hideTotals: false, newAccountHours: 24, maxUsersPerDevice: 3 },
      juryWeight: 0,
      publicWeight: 100,
      tieBreak: 'earliest',
      awards: [{ label: '人气奖', count: 2, points: 50 }],
      jurorIds: [juror.user.id],
      phase: 'upcoming',
    });
    expect(updated.rounds.map((r) => [r.kind, r.startsAt])).toEqual(rounds.map((r) => [r.kind, r.startsAt]));
    expect(await contestOf(t, contest.id)).toMatchObject({ title: '寻找古蔺四季之美（改期）', tieBreak: 'earliest' });
  });

  it('refuses invalid configurations, non-admins and unknown contests', async () => {
    const contest = await createContest(t, admin, { rounds: fiveRounds(new Date(START.getTime() + DAY)) });
    const [s, , v] = fiveRounds(new Date(START.getTime() + DAY));
    const bad = await (
      await as(t, admin)
    )
      .put(`/api/v1/contests/${contest.id}`)
      .send({ title: '比赛', description: '简介', rounds: [v, s] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const citizen = await loginAs(t, 'citizen');
    const body = { title: '比赛', description: '简介', rounds: fiveRounds(new Date(START.getTime() + DAY)) };
    expect((await citizen.agent.put(`/api/v1/contests/${contest.id}`).send(body)).body.error.code).toBe('FORBIDDEN');
    const missing = await (await as(t, admin)).put('/api/v1/contests/64b7f0c2a1b2c3d4e5f60718').send(body);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('CONTEST_NOT_FOUND');
  });

  it('freezes the configuration once the first round has begun, and the job follows the new dates', async () => {
    const contest = await createContest(t, admin, { rounds: fiveRounds(new Date(t.clock.now().getTime() + HOUR)) });
    // Moved a day later: at the old start nothing happens, at the new one the open call begins.
    const moved = fiveRounds(new Date(t.clock.now().getTime() + DAY));
    await (
      await as(t, admin)
    )
      .put(`/api/v1/contests/${contest.id}`)
      .send({ title: '比赛', description: '简介', rounds: moved })
      .expect(200);
    t.clock.advance(2 * HOUR);
    await tick(t);
    expect(await contestOf(t, contest.id)).toMatchObject({ phase: 'upcoming', advancedTo: 'upcoming' });

    t.clock.set(new Date(Date.parse(moved[0]!.startsAt) + 1000));
    // By the clock alone (before the job runs) the contest has started: frozen.
    const early = await (
      await as(t, admin)
    )
      .put(`/api/v1/contests/${contest.id}`)
      .send({ title: '比赛', description: '简介', rounds: moved });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('CONTEST_PHASE_CLOSED');
    expect(early.body.error.message).toContain('不能修改配置');
    await tick(t);
    expect(await contestOf(t, contest.id)).toMatchObject({ phase: 'submission', advancedTo: 'submission' });
    const after = await (
      await as(t, admin)
    )
      .put(`/api/v1/contests/${contest.id}`)
      .send({ title: '比赛', description: '简介', rounds: moved });
    expect(after.status).toBe(409);
  });
});
