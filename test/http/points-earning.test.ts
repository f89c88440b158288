/**
 * Points earned through other modules, over HTTP on the real stack: reading an article pays the 'reading'
 * rule (5) once per reader, article and Shanghai day, up to the daily cap (50), with a readable reason;
 * anonymous reads pay nothing; a read whose first answer was lost (its record, or its commit, landed) is
 * finished by the retry — counted once, paid once; an approved submission pays 'contribution' points once, scaled by grade
 * (A ×2, B ×1, C ×½ of the rule), and the submission records what it paid.
 */
import { submissionResponseSchema } from '@shared/schemas/newsroom';
import { ledgerResponseSchema } from '@shared/schemas/points';
import { ArticleModel, ArticleReadModel } from '../../server/src/modules/newsroom/newsroom.model';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { failCommits, loseInsertAnswer } from '../harness/mongo-faults';

let t: TestContext;
let admin: LoggedIn;
let editor: LoggedIn;
const START = new Date('2026-11-24T02:00:00Z');

beforeAll(async () => {
  t = await createTestContext({ now: START });
  admin = await loginAs(t, 'admin');
  editor = await loginAs(t, 'editor', undefined, { nickname: '编辑小陈' });
});
afterAll(() => t.close());

let seq = 0;
async function publish(title = `积分测试文章${++seq}`): Promise<string> {
  const res = await editor.agent.post('/api/v1/articles').send({
    title,
    column: 'culture',
    body: [{ type: 'paragraph', text: `${title}的正文。` }],
    publishAt: new Date(t.clock.now().getTime() - 60_000).toISOString(),
  });
  expect(res.status).toBe(201);
  return res.body.article.id as string;
}

describe('reading points', () => {
  it('pays 5 per article once a day per reader, with the title in the reason; anonymous reads pay nothing', async () => {
    const id = await publish('青溪镇冬季义诊');
    const reader = await loginAs(t, 'citizen');
    const first = await reader.agent.post(`/api/v1/articles/${id}/read`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ counted: true, points: 5 });
    const again = await reader.agent.post(`/api/v1/articles/${id}/read`);
    expect(again.body.points).toBe(0);
    expect((await t.request.post(`/api/v1/articles/${id}/read`)).body.points).toBe(0);
    const ledger = ledgerResponseSchema.parse((await reader.agent.get('/api/v1/me/points/ledger')).body);
    expect(ledger.items).toHaveLength(1);
    expect(ledger.items[0]).toMatchObject({ amount: 5, source: 'reading', reason: '阅读《青溪镇冬季义诊》', ref: { type: 'article', id } });
    expect((await reader.agent.get('/api/v1/me/points')).body.balance).toBe(5);
  });

  it('finishes a read whose record landed but whose answer was lost: the retry counts it and pays 5, once', async () => {
    const id = await publish('县医院开通夜间门诊');
    const reader = await loginAs(t, 'citizen');
    const lost = loseInsertAnswer(ArticleReadModel.collection);
    try {
      expect((await reader.agent.post(`/api/v1/articles/${id}/read`)).status).toBeGreaterThanOrEqual(500);
    } finally {
      lost.restore();
    }
    expect(lost.calls).toBe(1);
    const retry = await reader.agent.post(`/api/v1/articles/${id}/read`).expect(200);
    expect(retry.body).toMatchObject({ counted: true, reads: 1, points: 5 });
    expect(await ArticleReadModel.countDocuments({ articleId: id })).toBe(1);
    expect((await ArticleModel.findById(id).lean())!.reads).toBe(1);
    expect((await reader.agent.get('/api/v1/me/points')).body.balance).toBe(5);
    // The read is settled: reading again today counts and pays nothing more.
    expect((await reader.agent.post(`/api/v1/articles/${id}/read`).expect(200)).body).toMatchObject({
      counted: false,
      points: 0,
      reads: 1,
    });
  });

  it('finishes a read whose commit landed but whose answer was lost: the counter moves once, the points are paid once', async () => {
    const id = await publish('城区冬季供暖时间公布');
    const reader = await loginAs(t, 'citizen');
    const lost = failCommits('answer-lost');
    try {
      expect((await reader.agent.post(`/api/v1/articles/${id}/read`)).status).toBeGreaterThanOrEqual(500);
    } finally {
      lost.restore();
    }
    expect(lost.calls).toBeGreaterThan(0);
    const retry = await reader.agent.post(`/api/v1/articles/${id}/read`).expect(200);
    expect(retry.body).toMatchObject({ counted: true, points: 5 });
    expect((await ArticleModel.findById(id).lean())!.reads).toBe(1);
    const ledger = ledgerResponseSchema.parse((await reader.agent.get('/api/v1/me/points/ledger')).body);
    expect(ledger.items.filter((e) => e.source === 'reading')).toHaveLength(1);
    expect((await reader.agent.get('/api/v1/me/points')).body.balance).toBe(5);
  });

  it('stops at the daily reading cap (50) and says so by paying 0', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await publish());
    const reader = await loginAs(t, 'citizen');
    const paid = [];
    for (const id of ids) paid.push((await reader.agent.post(`/api/v1/articles/${id}/read`)).body.points as number);
    expect(paid.reduce((s, p) => s + p, 0)).toBe(50);
    expect(paid.slice(10)).toEqual([0, 0]);
    expect((await reader.agent.get('/api/v1/me/points')).body.balance).toBe(50);
  });

  it('follows the admin-set reading rule', async () => {
    await admin.agent.put('/api/v1/admin/points/rules/reading').send({ amount: 2 }).expect(200);
    const id = await publish();
    const reader = await loginAs(t, 'citizen');
    expect((await reader.agent.post(`/api/v1/articles/${id}/read`)).body.points).toBe(2);
    await admin.agent.put('/api/v1/admin/points/rules/reading').send({ amount: 5 }).expect(200);
  });
});

describe('contribution points', () => {
  async function approved(grade: 'A' | 'B' | 'C') {
    const circle = await admin.agent.post('/api/v1/circles').send({ name: `积分圈子${++seq}`, description: '融媒+测试' });
    expect(circle.status).toBe(201);
    const writer = await loginAs(t, 'correspondent', { type: 'circle', id: circle.body.circle.id }, { nickname: '通讯员小王' });
    const draft = await writer.agent.post('/api/v1/submissions').send({
      title: `青溪镇冬季义诊${++seq}`,
      body: '县人民医院的医生来到青溪镇，为村民免费量血压、测血糖。\n村民们排起了长队。',
      place: '青溪镇',
      campaign: '健康乡村',
      copyright: 'non_exclusive',
      originalityStatement: true,
    });
    expect(draft.status).toBe(201);
    const id = draft.body.submission.id as string;
    expect((await writer.agent.post(`/api/v1/submissions/${id}/submit`).send({})).status).toBe(200);
    expect((await editor.agent.post(`/api/v1/submissions/${id}/claim`).send({})).status).toBe(200);
    const results = await Promise.all([1, 2].map(() => editor.agent.post(`/api/v1/submissions/${id}/approve`).send({ grade })));
    const ok = results.find((r) => r.status === 200)!;
    return { writer, id, submission: submissionResponseSchema.parse(ok.body).submission };
  }

  it('pays once on approval, scaled by grade, and records it on the submission', async () => {
    const a = await approved('A');
    expect(a.submission.pointsAwarded).toBe(40);
    const ledger = ledgerResponseSchema.parse((await a.writer.agent.get('/api/v1/me/points/ledger')).body);
    expect(ledger.items).toHaveLength(1);
    expect(ledger.items[0]).toMatchObject({ amount: 40, source: 'contribution', ref: { type: 'submission', id: a.id } });
    expect(ledger.items[0]!.reason).toContain('被采用（A 级）');
    const c = await approved('C');
    expect(c.submission.pointsAwarded).toBe(10);
    expect((await c.writer.agent.get('/api/v1/me/points')).body.balance).toBe(10);
  });
});
