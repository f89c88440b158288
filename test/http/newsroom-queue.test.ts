/**
 * The editors' queue over HTTP: filters by circle, campaign, waiting time (on the business clock),
 * flag and state, alone and combined; page by page without repeats; circle leaders confined to their
 * circle's submitted pieces; bad filter values refused with VALIDATION_FAILED; citizens refused.
 */
import { submissionListResponseSchema } from '@shared/schemas/newsroom';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
let editor: LoggedIn;
let leaderA: LoggedIn;
let circleA: string;
let circleB: string;
const ids: Record<'a1' | 'a2' | 'b1', string> = { a1: '', a2: '', b1: '' };

/** Moving the clock by hours expires 15-minute access tokens: sign the same person in again. */
const again = (who: LoggedIn) => loginAs(t, 'citizen', undefined, { openid: who.openid });

async function file(writer: LoggedIn, title: string, campaign: string | null) {
  const res = await writer.agent
    .post('/api/v1/submissions')
    .send({ title, body: '正文。', campaign, copyright: 'non_exclusive', originalityStatement: true });
  expect(res.status).toBe(201);
  const id = res.body.submission.id as string;
  expect((await writer.agent.post(`/api/v1/submissions/${id}/submit`).send({})).status).toBe(200);
  return id;
}

beforeAll(async () => {
  t = await createTestContext({ now: new Date('2026-11-24T01:00:00Z') });
  const admin = await loginAs(t, 'admin');
  circleA = (await admin.agent.post('/api/v1/circles').send({ name: '融媒+教育', description: 'A' })).body.circle.id;
  circleB = (await admin.agent.post('/api/v1/circles').send({ name: '融媒+党建', description: 'B' })).body.circle.id;
  editor = await loginAs(t, 'editor');
  leaderA = await loginAs(t, 'circle_leader', { type: 'circle', id: circleA });
  const writerA = await loginAs(t, 'correspondent', { type: 'circle', id: circleA });
  const writerB = await loginAs(t, 'correspondent', { type: 'circle', id: circleB });

  ids.a1 = await file(writerA, '城关小学的冬季运动会', '健康乡村');
  t.clock.advance(3 * 3600_000);
  ids.a2 = await file(await again(writerA), '青溪镇中学开展防溺水教育', '冬季安全');
  ids.b1 = await file(await again(writerB), '白石镇党员冬训', null);
  editor = await again(editor);
  leaderA = await again(leaderA);
});
afterAll(() => t.close());

async function queue(who: LoggedIn, query: Record<string, string | number> = {}) {
  const res = await who.agent.get('/api/v1/editorial/queue').query(query);
  expect({ query, status: res.status }).toEqual({ query, status: 200 });
  return submissionListResponseSchema.parse(res.body);
}
const idsOf = async (who: LoggedIn, query: Record<string, string | number> = {}) => (await queue(who, query)).items.map((s) => s.id).sort();
const sorted = (...xs: string[]) => [...xs].sort();

describe('GET /api/v1/editorial/queue', () => {
  it('shows editors every circle, and filters by circle, campaign, waiting time, flag and state', async () => {
    expect(await idsOf(editor)).toEqual(sorted(ids.a1, ids.a2, ids.b1));
    expect(await idsOf(editor, { circleId: circleA })).toEqual(sorted(ids.a1, ids.a2));
    expect(await idsOf(editor, { circleId: circleB })).toEqual([ids.b1]);
    expect(await idsOf(editor, { campaign: '健康乡村' })).toEqual([ids.a1]);
    expect(await idsOf(editor, { campaign: '没有的活动' })).toEqual([]);
    // a1 has waited 3 hours; a2 and b1 were just submitted.
    expect(await idsOf(editor, { minAgeHours: 2 })).toEqual([ids.a1]);
    expect(await idsOf(editor, { minAgeHours: 4 })).toEqual([]);
    expect(await idsOf(editor, { minAgeHours: 0 })).toEqual(sorted(ids.a1, ids.a2, ids.b1));
    expect(await idsOf(editor, { flagged: 'false' })).toEqual(sorted(ids.a1, ids.a2, ids.b1));
    expect(await idsOf(editor, { flagged: 'true' })).toEqual([]);
    expect(await idsOf(editor, { state: 'recommended' })).toEqual([]);
    expect(await idsOf(editor, { circleId: circleA, campaign: '冬季安全', minAgeHours: 0 })).toEqual([ids.a2]);
  });

  it('ages pieces on the business clock: two hours later the newer ones qualify too', async () => {
    t.clock.advance(2 * 3600_000);
    editor = await again(editor);
    leaderA = await again(leaderA);
    expect(await idsOf(editor, { minAgeHours: 2 })).toEqual(sorted(ids.a1, ids.a2, ids.b1));
    expect(await idsOf(editor, { minAgeHours: 4 })).toEqual([ids.a1]);
  });

  it('pages newest first by cursor without repeats', async () => {
    const first = await queue(editor, { limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await queue(editor, { limit: 2, cursor: first.nextCursor! });
    const all = [...first.items, ...second.items].map((s) => s.id);
    expect(all.sort()).toEqual(sorted(ids.a1, ids.a2, ids.b1));
    expect(second.nextCursor).toBeNull();
  });

  it('keeps a circle leader to their own circle’s submitted pieces', async () => {
    expect(await idsOf(leaderA)).toEqual(sorted(ids.a1, ids.a2));
    expect(await idsOf(leaderA, { campaign: '健康乡村' })).toEqual([ids.a1]);
    const refused = await leaderA.agent.get('/api/v1/editorial/queue').query({ circleId: circleB });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
  });

  it('refuses bad filter values and unknown keys (400) and people who review nothing (403)', async () => {
    for (const query of [{ minAgeHours: -1 }, { minAgeHours: 'old' }, { flagged: 'maybe' }, { circleId: 'abc' }, { sort: 'age' }]) {
      const res = await editor.agent.get('/api/v1/editorial/queue').query(query);
      expect({ query, status: res.status, code: res.body.error?.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
    }
    const citizen = await loginAs(t, 'citizen');
    expect((await citizen.agent.get('/api/v1/editorial/queue')).status).toBe(403);
    expect((await t.request.get('/api/v1/editorial/queue')).status).toBe(401);
  });
});
