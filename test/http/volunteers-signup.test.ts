/**
 * Volunteer teams and sign-ups over HTTP on the real stack: admins create teams and appoint leaders
 * (team_leader scoped to the team), people ask to join and only that team's leader decides (approval
 * grants the team-scoped volunteer role), team-only activities, leaders publishing only for their own
 * team, the sign-up deadline, capacity under 200 concurrent sign-ups for 50 places (50 in, 150 on the
 * waitlist in order), the waitlist moving up on cancellations (also concurrent), and idempotent
 * double sign-ups.
 */
import { activityResponseSchema, signupResponseSchema } from '@shared/schemas/volunteers';
import { ActivityModel, SignupModel } from '../../server/src/modules/volunteers/volunteers.model';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

// The machine running the suite is shared; the capacity test signs in 200 people.
jest.setTimeout(300_000);

let t: TestContext;
let admin: LoggedIn;
const START = new Date('2026-12-01T01:00:00Z');
const HOUR = 3600_000;

beforeAll(async () => {
  t = await createTestContext({ now: START });
  admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());

let seq = 0;
async function newTeam(): Promise<string> {
  const res = await admin.agent
    .post('/api/v1/volunteers/teams')
    .send({ name: `文明实践志愿队${++seq}`, area: '城关街道', description: '' });
  expect(res.status).toBe(201);
  return res.body.team.id as string;
}

const activityBody = (teamId: string, over: Record<string, unknown> = {}) => ({
  teamId,
  title: `敬老院包饺子${++seq}`,
  placeName: '县社会福利院',
  startAt: new Date(START.getTime() + 24 * HOUR).toISOString(),
  endAt: new Date(START.getTime() + 27 * HOUR).toISOString(),
  capacity: 50,
  signUpDeadline: new Date(START.getTime() + 20 * HOUR).toISOString(),
  audience: 'public',
  points: { mode: 'fixed', amount: 30 },
  ...over,
});

async function newActivity(leader: LoggedIn, teamId: string, over: Record<string, unknown> = {}): Promise<string> {
  const res = await leader.agent.post('/api/v1/volunteers/activities').send(activityBody(teamId, over));
  expect(res.status).toBe(201);
  return activityResponseSchema.parse(res.body).activity.id;
}

/** Signs in `n` citizens, a few at a time (each goes through the WeChat fake's login). */
async function citizens(n: number): Promise<LoggedIn[]> {
  const out: LoggedIn[] = [];
  while (out.length < n) {
    const batch = Math.min(20, n - out.length);
    out.push(...(await Promise.all(Array.from({ length: batch }, () => loginAs(t, 'citizen')))));
  }
  return out;
}

describe('teams and join requests', () => {
  it('lets admins create teams and appoint leaders, and only that team’s leader decide who joins', async () => {
    const citizen = await loginAs(t, 'citizen', undefined, { nickname: '热心居民' });
    const refused = await citizen.agent.post('/api/v1/volunteers/teams').send({ name: '无权限队', area: '城关街道' });
    expect(refused.status).toBe(403);

    const teamId = await newTeam();
    const otherTeamId = await newTeam();
    const dup = await admin.agent.post('/api/v1/volunteers/teams').send({ name: `文明实践志愿队${seq}`, area: '城关街道' });
    expect(dup.body.error.code).toBe('TEAM_NAME_TAKEN');

    // Appointing a leader grants team_leader scoped to the team; the leader's next token carries it.
    const leaderUser = await loginAs(t, 'citizen', undefined, { nickname: '队长老黄' });
    const appoint = await admin.agent.post(`/api/v1/volunteers/teams/${teamId}/leaders`).send({ userId: leaderUser.user.id });
    expect(appoint.status).toBe(200);
    expect(appoint.body.team.leaderIds).toEqual([leaderUser.user.id]);
    const view = await t.services.users.getView(leaderUser.user.id);
    expect(view.roles).toContainEqual({ role: 'team_leader', scope: { type: 'team', id: teamId } });
    const session = await t.services.auth.refresh(leaderUser.refreshToken);
    leaderUser.agent.set('Authorization', `Bearer ${session.accessToken}`);

    const ask = await citizen.agent.post(`/api/v1/volunteers/teams/${teamId}/join-requests`).send({ message: '周末有空' });
    expect(ask.status).toBe(201);
    expect(ask.body.request).toMatchObject({ state: 'pending', message: '周末有空', nickname: '热心居民' });
    const again = await citizen.agent.post(`/api/v1/volunteers/teams/${teamId}/join-requests`).send({});
    expect(again.body.error.code).toBe('JOIN_REQUEST_PENDING');

    const otherLeader = await loginAs(t, 'team_leader', { type: 'team', id: otherTeamId });
    expect((await otherLeader.agent.get(`/api/v1/volunteers/teams/${teamId}/join-requests`)).status).toBe(403);
    const wrongLeader = await otherLeader.agent
      .post(`/api/v1/volunteers/join-requests/${ask.body.request.id}/decision`)
      .send({ decision: 'approve' });
    expect(wrongLeader.status).toBe(403);

    const pending = await leaderUser.agent.get(`/api/v1/volunteers/teams/${teamId}/join-requests`);
    expect(pending.body.items.map((r: { id: string }) => r.id)).toEqual([ask.body.request.id]);
    const approve = await leaderUser.agent
      .post(`/api/v1/volunteers/join-requests/${ask.body.request.id}/decision`)
      .send({ decision: 'approve' });
    expect(approve.status).toBe(200);
    expect(approve.body.request.state).toBe('approved');
    const twice = await leaderUser.agent
      .post(`/api/v1/volunteers/join-requests/${ask.body.request.id}/decision`)
      .send({ decision: 'decline' });
    expect(twice.body.error.code).toBe('JOIN_REQUEST_DECIDED');
    expect((await t.services.users.getView(citizen.user.id)).roles).toContainEqual({
      role: 'volunteer',
      scope: { type: 'team', id: teamId },
    });
    const mine = await citizen.agent.get('/api/v1/volunteers/me/teams');
    expect(mine.status).toBe(401); // roles changed: the old access token is retired, the client refreshes
    const fresh = await t.services.auth.refresh(citizen.refreshToken);
    citizen.agent.set('Authorization', `Bearer ${fresh.accessToken}`);
    const mineNow = await citizen.agent.get('/api/v1/volunteers/me/teams');
    expect(mineNow.body.items.map((x: { id: string }) => x.id)).toEqual([teamId]);
    expect((await citizen.agent.post(`/api/v1/volunteers/teams/${teamId}/join-requests`).send({})).body.error.code).toBe(
      'ALREADY_TEAM_MEMBER',
    );

    // A decline carries the reason back.
    const other = await loginAs(t, 'citizen');
    const ask2 = await other.agent.post(`/api/v1/volunteers/teams/${teamId}/join-requests`).send({});
    const decline = await leaderUser.agent
      .post(`/api/v1/volunteers/join-requests/${ask2.body.request.id}/decision`)
      .send({ decision: 'decline', reason: '本队仅招募旴江镇居民' });
    expect(decline.body.request).toMatchObject({ state: 'declined', reason: '本队仅招募旴江镇居民' });

    const members = await leaderUser.agent.get(`/api/v1/volunteers/teams/${teamId}/members`);
    expect(members.body.members).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: leaderUser.user.id, leader: true }),
        expect.objectContaining({ id: citizen.user.id, leader: false }),
      ]),
    );
    expect(members.body.members).toHaveLength(2);
  });

  it('lets a leader publish only for their own team, and keeps team-only activities to members', async () => {
    const teamId = await newTeam();
    const otherTeamId = await newTeam();
    const leader = await loginAs(t, 'team_leader', { type: 'team', id: teamId });
    const foreign = await leader.agent.post('/api/v1/volunteers/activities').send(activityBody(otherTeamId));
    expect(foreign.status).toBe(403);
    const citizen = await loginAs(t, 'citizen');
    expect((await citizen.agent.post('/api/v1/volunteers/activities').send(activityBody(teamId))).status).toBe(403);
    const badTimes = await leader.agent.post('/api/v1/volunteers/activities').send(activityBody(teamId, { endAt: START.toISOString() }));
    expect(badTimes.status).toBe(400);

    const activityId = await newActivity(leader, teamId, { audience: 'team' });
    const outsider = await citizen.agent.post(`/api/v1/volunteers/activities/${activityId}/signup`);
    expect(outsider.status).toBe(403);
    expect(outsider.body.error.code).toBe('ACTIVITY_TEAM_ONLY');

    const ask = await citizen.agent.post(`/api/v1/volunteers/teams/${teamId}/join-requests`).send({});
    await leader.agent.post(`/api/v1/volunteers/join-requests/${ask.body.request.id}/decision`).send({ decision: 'approve' });
    const fresh = await t.services.auth.refresh(citizen.refreshToken);
    citizen.agent.set('Authorization', `Bearer ${fresh.accessToken}`);
    const member = await citizen.agent.post(`/api/v1/volunteers/activities/${activityId}/signup`);
    expect(member.status).toBe(200);
    expect(member.body.signup.state).toBe('confirmed');
  });

  it('closes sign-up at the deadline', async () => {
    const teamId = await newTeam();
    const leader = await loginAs(t, 'team_leader', { type: 'team', id: teamId });
    const activityId = await newActivity(leader, teamId, { signUpDeadline: new Date(START.getTime() + 60_000).toISOString() });
    const citizen = await loginAs(t, 'citizen');
    t.clock.advance(2 * 60_000);
    const res = await citizen.agent.post(`/api/v1/volunteers/activities/${activityId}/signup`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('SIGNUP_CLOSED');
    t.clock.set(START);
  });

  it('tells an outsider a team-only activity is not theirs before whether its sign-up is open (access before state)', async () => {
    const teamId = await newTeam();
    const leader = await loginAs(t, 'team_leader', { type: 'team', id: teamId });
    const activityId = await newActivity(leader, teamId, {
      audience: 'team',
      signUpDeadline: new Date(START.getTime() + 60_000).toISOString(),
    });
    const outsider = await loginAs(t, 'citizen');
    t.clock.advance(2 * 60_000);
    const res = await outsider.agent.post(`/api/v1/volunteers/activities/${activityId}/signup`);
    t.clock.set(START);
    expect({ status: res.status, error: res.body.error }).toEqual({
      status: 403,
      error: { code: 'ACTIVITY_TEAM_ONLY', message: expect.any(String) },
    });
  });
});

describe('capacity and the waitlist', () => {
  it('never exceeds capacity under 200 concurrent sign-ups for 50 places, and moves the waitlist up on cancellations', async () => {
    const teamId = await newTeam();
    const leader = await loginAs(t, 'team_leader', { type: 'team', id: teamId });
    const activityId = await newActivity(leader, teamId, { capacity: 50 });
    const people = await citizens(200);

    const answers = await Promise.all(people.map((p) => p.agent.post(`/api/v1/volunteers/activities/${activityId}/signup`)));
    expect(answers.map((r) => r.status)).toEqual(Array(200).fill(200));
    const signups = answers.map((r) => signupResponseSchema.parse(r.body).signup);
    expect(signups.filter((s) => s.state === 'confirmed')).toHaveLength(50);
    expect(signups.filter((s) => s.state === 'waitlisted')).toHaveLength(150);
    expect(await SignupModel.countDocuments({ activityId, state: 'confirmed' })).toBe(50);
    expect(await SignupModel.countDocuments({ activityId, state: 'waitlisted' })).toBe(150);
    expect((await ActivityModel.findById(activityId).lean())?.seatsLeft).toBe(0);

    const detail = await people[0]!.agent.get(`/api/v1/volunteers/activities/${activityId}`);
    expect(detail.body.activity).toMatchObject({ capacity: 50, seatsLeft: 0, waitlisted: 150 });

    // The waitlist, in order, as the leader's roster shows it: positions run on across pages of 40.
    const queue: Array<{ userId: string; state: string; waitlistPosition: number | null }> = [];
    let cursor: string | null = null;
    do {
      const roster = await leader.agent
        .get(`/api/v1/volunteers/activities/${activityId}/roster`)
        .query({ state: 'waitlisted', limit: 40, ...(cursor ? { cursor } : {}) });
      expect(roster.body.counts).toMatchObject({ signedUp: 50, waitlisted: 150 });
      queue.push(...roster.body.items);
      cursor = roster.body.nextCursor;
    } while (cursor);
    expect(queue.every((e) => e.state === 'waitlisted')).toBe(true);
    expect(queue.map((e) => e.waitlistPosition)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    const byId = new Map(people.map((p) => [p.user.id, p]));
    const head = byId.get(queue[0]!.userId)!;
    const second = byId.get(queue[1]!.userId)!;
    const secondView = await second.agent.get(`/api/v1/volunteers/activities/${activityId}`);
    expect(secondView.body.activity.mySignup).toMatchObject({ state: 'waitlisted', waitlistPosition: 2 });

    // One cancellation: the head of the waitlist gets the seat.
    const confirmed = people.filter((_, i) => signups[i]!.state === 'confirmed');
    const cancel = await confirmed[0]!.agent.delete(`/api/v1/volunteers/activities/${activityId}/signup`);
    expect(cancel.status).toBe(200);
    expect(cancel.body.signup.state).toBe('cancelled');
    const promoted = await head.agent.get(`/api/v1/volunteers/activities/${activityId}`);
    expect(promoted.body.activity.mySignup.state).toBe('confirmed');
    expect((await second.agent.get(`/api/v1/volunteers/activities/${activityId}`)).body.activity.mySignup.waitlistPosition).toBe(1);
    const again = await confirmed[0]!.agent.delete(`/api/v1/volunteers/activities/${activityId}/signup`);
    expect(again.body.signup.state).toBe('cancelled');

    // Ten cancellations at once, plus ten fresh sign-ups racing them: still exactly 50 in.
    const late = await citizens(10);
    await Promise.all([
      ...confirmed.slice(1, 11).map((p) => p.agent.delete(`/api/v1/volunteers/activities/${activityId}/signup`)),
      ...late.map((p) => p.agent.post(`/api/v1/volunteers/activities/${activityId}/signup`)),
    ]);
    expect(await SignupModel.countDocuments({ activityId, state: 'confirmed' })).toBe(50);
    expect(await SignupModel.countDocuments({ activityId, state: 'waitlisted' })).toBe(149 - 10 + 10);
    expect((await ActivityModel.findById(activityId).lean())?.seatsLeft).toBe(0);
    // The newcomers queue behind everyone who was waiting: none of them got in ahead.
    expect(await SignupModel.countDocuments({ activityId, state: 'confirmed', userId: { $in: late.map((p) => p.user.id) } })).toBe(0);
  });

  it('answers concurrent double sign-ups by one person with one sign-up', async () => {
    const teamId = await newTeam();
    const leader = await loginAs(t, 'team_leader', { type: 'team', id: teamId });
    const activityId = await newActivity(leader, teamId, { capacity: 3 });
    const p = await loginAs(t, 'citizen');
    const answers = await Promise.all(Array.from({ length: 6 }, () => p.agent.post(`/api/v1/volunteers/activities/${activityId}/signup`)));
    expect(answers.every((r) => r.status === 200 && r.body.signup.state === 'confirmed')).toBe(true);
    expect(await SignupModel.countDocuments({ activityId })).toBe(1);
    expect((await ActivityModel.findById(activityId).lean())?.seatsLeft).toBe(2);
  });
});
