/** Shared set-up for the contests suites: a contest on a five-round schedule and approved submissions. */
import { contestResponseSchema, entryResponseSchema, type ContestView, type EntryView } from '@shared/schemas/contests';
import { runJobSlot } from '../../server/src/jobs';
import { contestsAdvanceJob } from '../../server/src/jobs/contests-advance.job';
import supertest from 'supertest';
import { loginAs, type LoggedIn, type TestContext } from '../harness';

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

/** submission → shortlist → voting → judging → results, one day each, from `start`. */
export function fiveRounds(start: Date) {
  const at = (days: number) => new Date(start.getTime() + days * DAY).toISOString();
  return [
    { kind: 'submission', startsAt: at(0) },
    { kind: 'shortlist', startsAt: at(1) },
    { kind: 'voting', startsAt: at(2) },
    { kind: 'judging', startsAt: at(3) },
    { kind: 'results', startsAt: at(4) },
  ];
}

/**
 * An agent for `who` holding an access token issued at the test clock's now: these suites move the
 * clock by days, far past a 15-minute token, the way a real user would simply be signed in again.
 */
export async function as(t: TestContext, who: LoggedIn) {
  const principal = await t.services.users.principal(who.user.id);
  const { accessToken } = t.services.accessTokens.issue(principal);
  const agent = supertest.agent(t.app.callback());
  agent.set('Authorization', `Bearer ${accessToken}`);
  return agent;
}

export async function createContest(t: TestContext, admin: LoggedIn, body: Record<string, unknown>): Promise<ContestView> {
  const res = await (await as(t, admin)).post('/api/v1/contests').send({ title: '寻找古蔺四季之美', description: '摄影大赛', ...body });
  if (res.status !== 201) throw new Error(`contest not created: ${res.status} ${JSON.stringify(res.body)}`);
  return contestResponseSchema.parse(res.body).contest;
}

let seq = 0;
export async function filePhoto(t: TestContext, user: LoggedIn, contestId: string, title = `作品${++seq}`): Promise<EntryView> {
  const res = await (
    await as(t, user)
  )
    .post(`/api/v1/contests/${contestId}/entries`)
    .send({ kind: 'photo', title, imageUrls: [`https://img.example.cn/${seq}.jpg`] });
  if (res.status !== 201) throw new Error(`entry not filed: ${res.status} ${JSON.stringify(res.body)}`);
  return entryResponseSchema.parse(res.body).entry;
}

/** Runs the cron job's slot at the test clock's now (as the scheduler would, under its Redis lock). */
export async function tick(t: TestContext, offsetMs = 0): Promise<boolean> {
  const slot = new Date(Math.floor((t.clock.now().getTime() + offsetMs) / 1000) * 1000);
  return (await runJobSlot(t, contestsAdvanceJob, slot)).ran;
}

export async function contestOf(t: TestContext, id: string): Promise<ContestView> {
  return contestResponseSchema.parse((await t.request.get(`/api/v1/contests/${id}`).expect(200)).body).contest;
}

/**
 * A contest in its voting round at the real clock, with three photo entries (for suites whose API processes run
 * on the wall clock: the rounds are set up on the context's clock three hours back, then the clock is set to now).
 */
export async function votingContestNow(
  t: TestContext,
  admin: LoggedIn,
  label: string,
): Promise<{ contest: ContestView; entries: EntryView[] }> {
  const now = Date.now();
  t.clock.set(new Date(now - 3 * HOUR));
  const contest = await createContest(t, admin, {
    rounds: [
      { kind: 'submission', startsAt: new Date(now - 3 * HOUR + 60_000).toISOString() },
      { kind: 'voting', startsAt: new Date(now - HOUR).toISOString() },
      { kind: 'results', startsAt: new Date(now + DAY).toISOString() },
    ],
    voting: { perUserPerDay: 3, perEntryPerDay: 1, hideTotals: false, newAccountHours: 0, maxUsersPerDevice: 50 },
  });
  t.clock.set(new Date(now - 2 * HOUR));
  const entries: EntryView[] = [];
  for (let i = 0; i < 3; i += 1) entries.push(await filePhoto(t, await loginAs(t, 'citizen'), contest.id, `${label}${i}`));
  t.clock.set(new Date());
  expect(await tick(t)).toBe(true);
  return { contest, entries };
}
