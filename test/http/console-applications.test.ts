/**
 * The console's application queues over HTTP: 商户入驻 and 通讯员 applications and the promotions queue page
 * oldest first with an opaque cursor (`{ items, nextCursor }`), and no application is lost or repeated while new
 * ones arrive between pages; several applications are approved or declined in one request, each row's outcome
 * reported (a decided or unknown one says why, the others go through), and who may decide is checked for the
 * whole batch before any row is touched.
 */
import { merchantApplicationPageSchema, batchDecideMerchantsResponseSchema } from '@shared/schemas/merchants';
import { applicationPageSchema, batchDecideApplicationsResponseSchema } from '@shared/schemas/newsroom';
import { Types } from 'mongoose';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { applyAs } from './coupons-fixtures';

let t: TestContext;
let editor: LoggedIn;
let admin: LoggedIn;

beforeAll(async () => {
  t = await createTestContext({ now: '2026-12-07T02:00:00Z' });
  editor = await loginAs(t, 'editor');
  admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());

async function merchantApplication(): Promise<string> {
  const applicant = await loginAs(t, 'citizen');
  const res = await applyAs(applicant);
  expect(res.status).toBe(201);
  return res.body.merchant.id as string;
}

let phoneSeq = 0;
async function correspondentApplication(circleId: string): Promise<{ id: string; applicant: LoggedIn }> {
  const applicant = await loginAs(t, 'citizen');
  const minted = await fetch(`${t.wechatUrl}/__fake/phone-code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phoneNumber: `137${String(Date.now() + ++phoneSeq).slice(-8)}` }),
  });
  const { code } = (await minted.json()) as { code: string };
  await applicant.agent.post('/api/v1/me/phone').send({ code }).expect(200);
  const res = await applicant.agent
    .post('/api/v1/correspondents/applications')
    .send({
      realName: '周晓东',
      circleId,
      district: '青溪片区',
      system: '卫健',
      domain: '乡村医疗',
      intro: '卫生院医生。',
      samples: ['《山里的家庭医生》'],
    })
    .expect(201);
  return { id: res.body.application.id as string, applicant };
}

async function newCircle(): Promise<string> {
  const res = await admin.agent
    .post('/api/v1/circles')
    .send({ name: `审核圈${Date.now() % 1e6}${++phoneSeq}`, description: '测试' })
    .expect(201);
  return res.body.circle.id as string;
}

/** Walks a queue two at a time, adding `insert()` rows after every page; returns every id seen, in order. */
async function walk(
  path: string,
  parse: (body: unknown) => { items: Array<{ id: string }>; nextCursor: string | null },
  insert: () => Promise<unknown>,
) {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 30; pages++) {
    const res = await editor.agent
      .get(path)
      .query({ limit: 2, ...(cursor ? { cursor } : {}) })
      .expect(200);
    const page = parse(res.body);
    expect(page.items.length).toBeLessThanOrEqual(2);
    seen.push(...page.items.map((i) => i.id));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
    if (pages < 3) await insert();
  }
  return seen;
}

describe('application queues page with a cursor', () => {
  it('merchant applications: oldest first, every one exactly once while new ones arrive', async () => {
    const before = [];
    for (let i = 0; i < 5; i++) before.push(await merchantApplication());
    const added: string[] = [];
    const seen = await walk(
      '/api/v1/merchants/applications',
      (b) => merchantApplicationPageSchema.parse(b),
      async () => {
        added.push(await merchantApplication());
      },
    );
    expect(new Set(seen).size).toBe(seen.length);
    // The ones there before come first, in order; the ones added while paging follow (ids only grow).
    expect(seen.slice(0, 5)).toEqual(before);
    expect(seen.slice(5)).toEqual(added);
    expect(added).toHaveLength(3);
  });

  it('correspondent applications: the same, and a circle leader pages only their circle', async () => {
    const circleId = await newCircle();
    const other = await newCircle();
    const mine: string[] = [];
    for (let i = 0; i < 3; i++) mine.push((await correspondentApplication(circleId)).id);
    const elsewhere = (await correspondentApplication(other)).id;
    const added: string[] = [];
    const seen = await walk(
      `/api/v1/correspondents/applications?circleId=${circleId}`,
      (b) => applicationPageSchema.parse(b),
      async () => added.push((await correspondentApplication(circleId)).id),
    );
    expect(seen).toEqual([...mine, ...added]);
    expect(seen).not.toContain(elsewhere);

    const leader = await loginAs(t, 'circle_leader', { type: 'circle', id: circleId });
    const page = applicationPageSchema.parse(
      (await leader.agent.get('/api/v1/correspondents/applications').query({ limit: 100 }).expect(200)).body,
    );
    expect(page.items.map((a) => a.id)).toEqual([...mine, ...added]);
    expect(page.nextCursor).toBeNull();
  });

  it('refuses a malformed cursor or limit with the Chinese message under the field', async () => {
    const bad = await editor.agent.get('/api/v1/promotions/queue').query({ cursor: 'zzz', limit: 500 }).expect(400);
    expect((bad.body.error.details.issues as Array<{ path: string }>).map((i) => i.path).sort()).toEqual(['cursor', 'limit']);
    const page = (await editor.agent.get('/api/v1/promotions/queue').expect(200)).body;
    expect(page).toEqual({ items: expect.any(Array), nextCursor: null });
  });
});

describe('batch decisions', () => {
  it('approves several merchant applications in one request and reports each row', async () => {
    const [a, b, decided] = [await merchantApplication(), await merchantApplication(), await merchantApplication()];
    await editor.agent.post(`/api/v1/merchants/${decided}/decision`).send({ decision: 'decline', reason: '资料不全' }).expect(200);
    const missing = new Types.ObjectId().toHexString();

    const res = await editor.agent
      .post('/api/v1/merchants/applications/decisions')
      .send({ ids: [a, decided, b, missing], decision: 'approve' })
      .expect(200);
    const { results } = batchDecideMerchantsResponseSchema.parse(res.body);
    expect(results.map((r) => [r.id, r.ok])).toEqual([
      [a, true],
      [decided, false],
      [b, true],
      [missing, false],
    ]);
    expect(results[1]).toMatchObject({ error: { code: 'MERCHANT_STATE_CONFLICT', message: '该申请已处理' } });
    expect(results[3]).toMatchObject({ error: { code: 'MERCHANT_NOT_FOUND' } });
    // What landed: both approved, the declined one unchanged.
    for (const id of [a, b]) expect((await editor.agent.get(`/api/v1/merchants/${id}`).expect(200)).body.merchant.state).toBe('approved');
    expect((await editor.agent.get(`/api/v1/merchants/${decided}`).expect(200)).body.merchant.state).toBe('declined');
  });

  it('declines need a reason; ids are 1–50 and distinct; only editors may', async () => {
    const a = await merchantApplication();
    const noReason = await editor.agent
      .post('/api/v1/merchants/applications/decisions')
      .send({ ids: [a], decision: 'decline' })
      .expect(400);
    expect(noReason.body.error.details.issues[0]).toMatchObject({ path: 'reason', message: '驳回需填写理由' });
    const twice = await editor.agent
      .post('/api/v1/merchants/applications/decisions')
      .send({ ids: [a, a], decision: 'approve' })
      .expect(400);
    expect(twice.body.error.details.issues[0]).toMatchObject({ path: 'ids', message: '列表中有重复的 ID' });
    await editor.agent.post('/api/v1/merchants/applications/decisions').send({ ids: [], decision: 'approve' }).expect(400);
    const citizen = await loginAs(t, 'citizen');
    await citizen.agent
      .post('/api/v1/merchants/applications/decisions')
      .send({ ids: [a], decision: 'approve' })
      .expect(403);
    await t.request
      .post('/api/v1/merchants/applications/decisions')
      .send({ ids: [a], decision: 'approve' })
      .expect(401);
    const declined = await editor.agent
      .post('/api/v1/merchants/applications/decisions')
      .send({ ids: [a], decision: 'decline', reason: '不在本县' })
      .expect(200);
    expect(declined.body.results[0]).toMatchObject({ ok: true, item: { state: 'declined', reason: '不在本县' } });
  });

  it("approves correspondent applications together (each gets the role); a leader's batch with another circle's application is refused whole", async () => {
    const circleId = await newCircle();
    const other = await newCircle();
    const first = await correspondentApplication(circleId);
    const second = await correspondentApplication(circleId);
    const foreign = await correspondentApplication(other);

    const leader = await loginAs(t, 'circle_leader', { type: 'circle', id: circleId });
    const refused = await leader.agent
      .post('/api/v1/correspondents/applications/decisions')
      .send({ ids: [first.id, foreign.id], decision: 'approve' })
      .expect(403);
    expect(refused.body.error.details).toBeUndefined();
    // Nothing was decided by the refused batch.
    const still = applicationPageSchema.parse((await leader.agent.get('/api/v1/correspondents/applications').expect(200)).body);
    expect(still.items.map((a) => a.id)).toEqual([first.id, second.id]);

    const res = await leader.agent
      .post('/api/v1/correspondents/applications/decisions')
      .send({ ids: [first.id, second.id], decision: 'approve' })
      .expect(200);
    const { results } = batchDecideApplicationsResponseSchema.parse(res.body);
    expect(results.map((r) => r.ok && r.item.state)).toEqual(['approved', 'approved']);
    const again = await editor.agent
      .post('/api/v1/correspondents/applications/decisions')
      .send({ ids: [second.id, foreign.id], decision: 'decline', reason: '名额已满' })
      .expect(200);
    expect(again.body.results).toEqual([
      { id: second.id, ok: false, error: { code: 'APPLICATION_DECIDED', message: expect.any(String) } },
      { id: foreign.id, ok: true, item: expect.objectContaining({ state: 'declined', reason: '名额已满' }) },
    ]);
    // Approval granted the scoped role: the applicant's refreshed session carries it.
    const refreshed = await t.request.post('/api/v1/auth/refresh').send({ refreshToken: first.applicant.refreshToken }).expect(200);
    expect(refreshed.body.user.roles).toContainEqual({ role: 'correspondent', scope: { type: 'circle', id: circleId } });
  });
});
