/**
 * The waitlist notice over HTTP on the real stack (WeChat fake): when a cancellation moves someone up from
 * the waitlist they get exactly one "候补成功" subscribe message (everyone here accepted the template twice) — also when several cancellations run at
 * once, and not again on a repeated cancellation; nobody else gets one (the canceller, people still
 * waiting, people who got a seat straight away in their own sign-up, even in a burst of concurrent ones).
 */
import { SignupModel } from '../../server/src/modules/volunteers/volunteers.model';
import { acceptSubscriptions, createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

jest.setTimeout(180_000);

let t: TestContext;
let leader: LoggedIn;
let teamId: string;
const START = new Date('2026-12-01T00:00:00Z');
const HOUR = 3600_000;

beforeAll(async () => {
  t = await createTestContext({ now: START });
  const admin = await loginAs(t, 'admin');
  const team = await admin.agent.post('/api/v1/volunteers/teams').send({ name: '候补测试志愿队', area: '城关街道', description: '' });
  expect(team.status).toBe(201);
  teamId = team.body.team.id as string;
  leader = await loginAs(t, 'team_leader', { type: 'team', id: teamId });
});
afterAll(() => t.close());

let seq = 0;
async function activity(capacity: number): Promise<{ id: string; title: string }> {
  const title = `敬老院陪伴${++seq}`;
  const res = await leader.agent.post('/api/v1/volunteers/activities').send({
    teamId,
    title,
    placeName: '县社会福利院',
    startAt: new Date(START.getTime() + 24 * HOUR).toISOString(),
    endAt: new Date(START.getTime() + 26 * HOUR).toISOString(),
    capacity,
    signUpDeadline: new Date(START.getTime() + 20 * HOUR).toISOString(),
    audience: 'public',
    points: { mode: 'per_hour', perHour: 10 },
  });
  expect(res.status).toBe(201);
  return { id: res.body.activity.id as string, title };
}

interface SentMessage {
  templateId: string;
  page?: string;
  data: Record<string, { value: string }>;
}
async function messagesTo(who: LoggedIn): Promise<SentMessage[]> {
  const res = await fetch(`${t.wechatUrl}/__fake/subscribe-messages?touser=${who.openid}`);
  return ((await res.json()) as { messages: SentMessage[] }).messages.filter(
    (m) => m.templateId === t.deps.config.templates.volunteerWaitlist,
  );
}
/**
 * Citizens who each accepted the 候补成功 template twice when signing up (as the mini-program asks): a second
 * notice, were one sent, would reach WeChat and show here.
 */
const people = (n: number) =>
  Promise.all(
    Array.from({ length: n }, async () => {
      const who = await loginAs(t, 'citizen');
      await acceptSubscriptions(t, who, ['volunteerWaitlist'], 2);
      return who;
    }),
  );
const signUp = async (who: LoggedIn, activityId: string) => {
  const res = await who.agent.post(`/api/v1/volunteers/activities/${activityId}/signup`);
  expect(res.status).toBe(200);
  return res.body.signup.state as string;
};
const cancel = (who: LoggedIn, activityId: string) => who.agent.delete(`/api/v1/volunteers/activities/${activityId}/signup`);

describe('the waitlist notice', () => {
  it('tells the person moved up by a cancellation, once, and nobody else', async () => {
    const a = await activity(1);
    const [first, second, third] = await people(3);
    expect(await signUp(first!, a.id)).toBe('confirmed');
    expect(await signUp(second!, a.id)).toBe('waitlisted');
    expect(await signUp(third!, a.id)).toBe('waitlisted');
    expect(await messagesTo(second!)).toEqual([]);

    expect((await cancel(first!, a.id)).status).toBe(200);
    const sent = await messagesTo(second!);
    expect(sent).toEqual([
      expect.objectContaining({
        templateId: t.deps.config.templates.volunteerWaitlist,
        page: `subpackages/activities/pages/detail/index?id=${a.id}`,
        data: {
          thing1: { value: a.title },
          time2: { value: '2026-12-02 08:00' },
          thing3: { value: '候补成功，你已获得活动名额' },
        },
      }),
    ]);
    expect(await messagesTo(third!)).toEqual([]);
    expect(await messagesTo(first!)).toEqual([]);

    // Cancelling again changes nothing and sends nothing.
    expect((await cancel(first!, a.id)).body.signup.state).toBe('cancelled');
    expect(await messagesTo(second!)).toHaveLength(1);

    // The next cancellation moves the next person up: one message each.
    await cancel(second!, a.id);
    expect(await messagesTo(third!)).toHaveLength(1);
    expect(await messagesTo(second!)).toHaveLength(1);
  });

  it('sends one notice per person moved up when cancellations run at once', async () => {
    const a = await activity(3);
    const seated = await people(3);
    for (const p of seated) expect(await signUp(p, a.id)).toBe('confirmed');
    const waiting = await people(6);
    for (const p of waiting) expect(await signUp(p, a.id)).toBe('waitlisted');

    const answers = await Promise.all(seated.map((p) => cancel(p, a.id)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await SignupModel.countDocuments({ activityId: a.id, state: 'confirmed' })).toBe(3);

    const counts = await Promise.all(waiting.map(async (p) => (await messagesTo(p)).length));
    // The three at the head of the queue got the seats, each told once; the rest are still waiting, told nothing.
    expect(counts).toEqual([1, 1, 1, 0, 0, 0]);
    const states = await Promise.all(
      waiting.map(async (p) => (await p.agent.get(`/api/v1/volunteers/activities/${a.id}`)).body.activity.mySignup.state as string),
    );
    expect(states).toEqual(['confirmed', 'confirmed', 'confirmed', 'waitlisted', 'waitlisted', 'waitlisted']);
    for (const p of seated) expect(await messagesTo(p)).toEqual([]);
  });

  it('sends nothing to people seated in their own sign-up, even in a burst of concurrent sign-ups', async () => {
    const a = await activity(4);
    const crowd = await people(10);
    const answers = await Promise.all(crowd.map((p) => p.agent.post(`/api/v1/volunteers/activities/${a.id}/signup`)));
    const answered = answers.map((r) => r.body.signup.state as string);
    expect(answered.filter((s) => s === 'confirmed').length).toBeGreaterThan(0);

    /** A notice is due exactly to those answered 候补 who hold a seat now: one each, nobody else. */
    const expectNoticesMatchMoves = async () => {
      const now = await Promise.all(
        crowd.map(async (p) => (await p.agent.get(`/api/v1/volunteers/activities/${a.id}`)).body.activity.mySignup.state as string),
      );
      expect(now.filter((s) => s === 'confirmed')).toHaveLength(4);
      const counts = await Promise.all(crowd.map(async (p) => (await messagesTo(p)).length));
      expect(counts).toEqual(crowd.map((_, i) => (answered[i] === 'waitlisted' && now[i] === 'confirmed' ? 1 : 0)));
      return now;
    };
    await expectNoticesMatchMoves();

    // One cancellation: the head of the queue (answered 候补) is told, once.
    const canceller = crowd[answered.indexOf('confirmed')]!;
    const before = await Promise.all(crowd.map(async (p) => (await messagesTo(p)).length));
    await cancel(canceller, a.id);
    answered[crowd.indexOf(canceller)] = 'cancelled';
    const now = await expectNoticesMatchMoves();
    const after = await Promise.all(crowd.map(async (p) => (await messagesTo(p)).length));
    expect(after.reduce((x, y) => x + y, 0) - before.reduce((x, y) => x + y, 0)).toBe(1);
    expect(now[crowd.indexOf(canceller)]).toBe('cancelled');
  });
});
