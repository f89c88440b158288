/**
 * Activity reminders (the volunteers-reminders job) on the real stack: a day and an hour before an activity starts,
 * each confirmed volunteer is told once — in-app always, by subscribe message only with an acceptance — however
 * often the job runs, also with two API processes running the same slot or the work itself at once; a window missed
 * while nothing ran is caught up (once: inside the last hour only the hour's reminder), nothing is sent once the
 * activity has started, and people on the waitlist or who cancelled hear nothing.
 */
import { runJobSlot } from '../../server/src/jobs';
import { volunteersRemindersJob } from '../../server/src/jobs/volunteers-reminders.job';
import { acceptSubscriptions, createTestContext, loginAs, subscribeMessagesTo, type LoggedIn, type TestContext } from '../harness';
import { as } from './contests-helpers';

let t: TestContext;
let leader: LoggedIn;
let teamId: string;
const START = new Date('2026-12-01T00:00:00Z');
const HOUR = 3600_000;
const MINUTE = 60_000;

beforeAll(async () => {
  t = await createTestContext({ now: START });
  const admin = await loginAs(t, 'admin');
  const team = await admin.agent.post('/api/v1/volunteers/teams').send({ name: '提醒测试志愿队', area: '城关街道', description: '' });
  expect(team.status).toBe(201);
  teamId = team.body.team.id as string;
  leader = await loginAs(t, 'team_leader', { type: 'team', id: teamId });
});
afterAll(() => t.close());
beforeEach(() => t.clock.set(START));

let seq = 0;
/** An activity starting `inHours` after START (capacity 2), signed up for by `people` in order. */
async function activity(inHours: number, people: LoggedIn[]): Promise<{ id: string; startAt: Date; title: string }> {
  t.clock.set(START);
  const startAt = new Date(START.getTime() + inHours * HOUR);
  const title = `河道清洁${++seq}`;
  const res = await leader.agent.post('/api/v1/volunteers/activities').send({
    teamId,
    title,
    placeName: '城南河滨公园',
    startAt: startAt.toISOString(),
    endAt: new Date(startAt.getTime() + 2 * HOUR).toISOString(),
    capacity: 2,
    signUpDeadline: new Date(startAt.getTime() - 2 * HOUR).toISOString(),
    audience: 'public',
    points: { mode: 'per_hour', perHour: 10 },
  });
  expect(res.status).toBe(201);
  const id = res.body.activity.id as string;
  for (const who of people) await who.agent.post(`/api/v1/volunteers/activities/${id}/signup`).expect(200);
  return { id, startAt, title };
}

const volunteer = async (accepts = 0) => {
  const who = await loginAs(t, 'citizen');
  if (accepts > 0) await acceptSubscriptions(t, who, ['activityReminder'], accepts);
  return who;
};
/** Runs the job's slot at `at` (the scheduler's whole-minute slot), as one API process would. */
const runAt = async (at: Date, ctx: TestContext = t) => {
  t.clock.set(at);
  return (await runJobSlot(ctx, volunteersRemindersJob, at)).ran;
};
const REMINDER_TITLES = ['志愿活动开始提醒', '志愿活动一小时内开始'];
/** The person's reminders of an activity in the message centre (read with a token issued at the clock's now). */
const reminders = async (who: LoggedIn, activityId: string) => {
  const res = await (await as(t, who)).get('/api/v1/me/messages').expect(200);
  return (res.body.items as Array<{ kind: string; title: string; link: string }>).filter(
    (m) => m.link.endsWith(`id=${activityId}`) && REMINDER_TITLES.includes(m.title),
  );
};
const subscribeReminders = async (who: LoggedIn) =>
  (await subscribeMessagesTo(t, who.openid)).filter((m) => m.templateId === t.deps.config.templates.activityReminder);

describe('activity reminders', () => {
  it('a day and an hour before: each once, however often the job runs; subscribe messages only with an acceptance', async () => {
    const [consenting, silent] = [await volunteer(2), await volunteer()];
    const a = await activity(30, [consenting, silent]);
    const before = (ms: number) => new Date(a.startAt.getTime() - ms);

    // More than a day ahead: nothing yet.
    expect(await runAt(before(25 * HOUR))).toBe(true);
    expect(await reminders(consenting, a.id)).toEqual([]);

    // The day's window: once, then every later slot (to the hour's window) adds nothing.
    await runAt(before(24 * HOUR));
    await runAt(before(24 * HOUR - 5 * MINUTE));
    await runAt(before(2 * HOUR));
    for (const who of [consenting, silent]) {
      expect(await reminders(who, a.id)).toEqual([
        expect.objectContaining({
          kind: 'volunteers',
          title: '志愿活动开始提醒',
          link: `subpackages/activities/pages/detail/index?id=${a.id}`,
        }),
      ]);
    }

    // The hour's window, run twice.
    await runAt(before(HOUR));
    await runAt(before(HOUR - 5 * MINUTE));
    expect((await reminders(consenting, a.id)).map((m) => m.title)).toEqual(['志愿活动一小时内开始', '志愿活动开始提醒']);
    expect((await reminders(silent, a.id)).map((m) => m.title)).toEqual(['志愿活动一小时内开始', '志愿活动开始提醒']);

    const sent = await subscribeReminders(consenting);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({
      page: `subpackages/activities/pages/detail/index?id=${a.id}`,
      data: { thing1: { value: a.title }, time2: { value: '2026-12-02 14:00' }, thing3: { value: '城南河滨公园' } },
    });
    expect(await subscribeReminders(silent)).toEqual([]);
  });

  it('two API processes running the same slot, or the work itself at once, remind once', async () => {
    const [a1, a2] = [await volunteer(3), await volunteer(3)];
    const a = await activity(31, [a1, a2]);
    const second = await createTestContext({ now: START });
    try {
      const slot = new Date(a.startAt.getTime() - 23 * HOUR);
      t.clock.set(slot);
      second.clock.set(slot);
      const ran = await Promise.all([runJobSlot(t, volunteersRemindersJob, slot), runJobSlot(second, volunteersRemindersJob, slot)]);
      expect(ran.map((r) => r.ran).sort()).toEqual([false, true]);

      // Past the slot lock (a long run overlapping the next slot): the claim on each sign-up still sends once.
      const hour = new Date(a.startAt.getTime() - 30 * MINUTE);
      t.clock.set(hour);
      second.clock.set(hour);
      const results = await Promise.all([t.services.volunteers.remindDue(hour), second.services.volunteers.remindDue(hour)]);
      expect(results.reduce((n, r) => n + r.hour, 0)).toBe(2);
      expect(results.reduce((n, r) => n + r.day, 0)).toBe(0);
    } finally {
      await second.close();
    }
    for (const who of [a1, a2]) {
      expect(await reminders(who, a.id)).toHaveLength(2);
      expect(await subscribeReminders(who)).toHaveLength(2);
    }
  });

  it('after downtime: a missed window is caught up once (inside the last hour, the hour’s reminder only)', async () => {
    const [early, late] = [await volunteer(2), await volunteer(2)];
    const a = await activity(32, [early]);
    const b = await activity(60, [late]);
    // Nothing ran from 25 hours before a's start until 20 hours before: the day's reminder comes at the first run back.
    await runAt(new Date(a.startAt.getTime() - 25 * HOUR));
    await runAt(new Date(a.startAt.getTime() - 20 * HOUR));
    expect((await reminders(early, a.id)).map((m) => m.title)).toEqual(['志愿活动开始提醒']);
    expect(await reminders(late, b.id)).toEqual([]);

    // For b nothing ran from then until 40 minutes before its start: one reminder, the hour's, and no day's after it.
    await runAt(new Date(b.startAt.getTime() - 40 * MINUTE));
    expect((await reminders(late, b.id)).map((m) => m.title)).toEqual(['志愿活动一小时内开始']);
    await runAt(new Date(b.startAt.getTime() - 35 * MINUTE));
    expect(await reminders(late, b.id)).toHaveLength(1);
    expect(await subscribeReminders(late)).toHaveLength(1);
  });

  it('never after the start; never to the waitlist or to people who cancelled', async () => {
    const [seated, cancelled, movedUp, waiting] = [await volunteer(1), await volunteer(1), await volunteer(1), await volunteer(1)];
    const a = await activity(70, [seated, cancelled, movedUp, waiting]);
    await cancelled.agent.delete(`/api/v1/volunteers/activities/${a.id}/signup`).expect(200);
    const states = await Promise.all(
      [movedUp, waiting].map(async (who) => (await who.agent.get('/api/v1/volunteers/me/signups').expect(200)).body.items[0].state),
    );
    expect(states).toEqual(['confirmed', 'waitlisted']);

    // The process was down through both windows and came back after the start: nothing is sent.
    await runAt(new Date(a.startAt.getTime() + MINUTE));
    for (const who of [seated, cancelled, movedUp, waiting]) expect(await reminders(who, a.id)).toEqual([]);
    expect(await subscribeReminders(seated)).toEqual([]);

    // Before the start, only the confirmed are reminded.
    await runAt(new Date(a.startAt.getTime() - 20 * MINUTE));
    expect(await reminders(seated, a.id)).toHaveLength(1);
    expect(await reminders(movedUp, a.id)).toHaveLength(1);
    expect(await reminders(cancelled, a.id)).toEqual([]);
    expect(await reminders(waiting, a.id)).toEqual([]);
  });
});
