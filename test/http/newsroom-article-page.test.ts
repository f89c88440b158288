/**
 * What the article page needs beyond the article itself, over HTTP on the real stack: 相关阅读 (newest stories
 * of the same circle or column, never itself, never a withdrawn one) and the byline of a correspondent's piece
 * (their real name from the approved application, and the editor who approved it).
 */
import { articleResponseSchema, relatedResponseSchema, type ArticleColumn } from '@shared/schemas/newsroom';
import { Types } from 'mongoose';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
let admin: LoggedIn;
let editor: LoggedIn;

beforeAll(async () => {
  t = await createTestContext();
  admin = await loginAs(t, 'admin');
  editor = await loginAs(t, 'editor', undefined, { nickname: '编辑小陈' });
});
afterAll(() => t.close());

let n = 0;
async function publish(column: ArticleColumn, hoursAgo: number): Promise<string> {
  const res = await editor.agent.post('/api/v1/articles').send({
    title: `相关阅读测试${++n}`,
    column,
    body: [{ type: 'paragraph', text: '正文。' }],
    publishAt: new Date(t.clock.now().getTime() - hoursAgo * 3600_000).toISOString(),
  });
  expect(res.status).toBe(201);
  return articleResponseSchema.parse(res.body).article.id;
}

async function related(id: string, query: Record<string, number> = {}) {
  const res = await t.request.get(`/api/v1/articles/${id}/related`).query(query);
  expect(res.status).toBe(200);
  return relatedResponseSchema.parse(res.body).items;
}

describe('GET /api/v1/articles/:id/related', () => {
  it('lists the newest stories of the same column, without the article itself or withdrawn ones', async () => {
    const older = await publish('culture', 30);
    const withdrawn = await publish('culture', 20);
    const self = await publish('culture', 10);
    const newer = await publish('culture', 5);
    await publish('enterprise', 1);
    await editor.agent.delete(`/api/v1/articles/${withdrawn}`).expect(204);

    const items = await related(self);
    expect(items.map((a) => a.id)).toEqual([newer, older]);
    expect(items.every((a) => a.column === 'culture')).toBe(true);
    expect((await related(self, { limit: 1 })).map((a) => a.id)).toEqual([newer]);
  });

  it('answers 404 for a missing article and 400 for a bad limit', async () => {
    const missing = await t.request.get(`/api/v1/articles/${new Types.ObjectId().toHexString()}/related`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('ARTICLE_NOT_FOUND');
    const self = await publish('culture', 2);
    for (const limit of ['0', '11', 'x']) {
      const res = await t.request.get(`/api/v1/articles/${self}/related`).query({ limit });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('the byline of a correspondent piece', () => {
  it("shows the correspondent's real name and the editor who approved it, and 相关阅读 keeps to its column or circle", async () => {
    const circle = await admin.agent.post('/api/v1/circles').send({ name: '青溪通讯员圈', description: '青溪镇' });
    const circleId = circle.body.circle.id as string;
    const leader = await loginAs(t, 'circle_leader', { type: 'circle', id: circleId }, { nickname: '圈长老李' });
    let writer = await loginAs(t, 'citizen', undefined, { nickname: '微信用户kgPP' });

    const code = (await (
      await fetch(`${t.wechatUrl}/__fake/phone-code`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ phoneNumber: `138${String(Date.now()).slice(-8)}` }),
      })
    ).json()) as { code: string };
    await writer.agent.post('/api/v1/me/phone').send({ code: code.code }).expect(200);
    const applied = await writer.agent.post('/api/v1/correspondents/applications').send({
      realName: '周晓东',
      circleId,
      district: '青溪片区',
      system: '卫健',
      domain: '乡村医疗',
      intro: '青溪镇卫生院医生。',
      samples: ['《山里的家庭医生》'],
    });
    expect(applied.status).toBe(201);
    await leader.agent
      .post(`/api/v1/correspondents/applications/${applied.body.application.id}/decision`)
      .send({ decision: 'approve' })
      .expect(200);
    // Signed in again: the correspondent role comes with the new token.
    writer = await loginAs(t, 'citizen', undefined, { openid: writer.openid });

    const filed = await writer.agent
      .post('/api/v1/submissions')
      .send({ title: '山里的义诊', body: '县医院的医生来到青溪镇义诊。', copyright: 'exclusive', originalityStatement: true });
    expect(filed.status).toBe(201);
    const id = filed.body.submission.id as string;
    const step = async (who: LoggedIn, action: string, body: object = {}) =>
      expect((await who.agent.post(`/api/v1/submissions/${id}/${action}`).send(body)).status).toBe(200);
    await step(writer, 'submit');
    await step(leader, 'recommend');
    await step(editor, 'claim');
    await step(editor, 'approve', { grade: 'A', column: 'livelihood' });
    const published = await writer.agent.get(`/api/v1/submissions/${id}`);
    expect(published.body.submission.state).toBe('approved');
    await step(editor, 'publish');
    const articleId = (await writer.agent.get(`/api/v1/submissions/${id}`)).body.submission.articleId as string;

    const { article } = articleResponseSchema.parse((await t.request.get(`/api/v1/articles/${articleId}`)).body);
    expect(article.author).toMatchObject({ kind: 'correspondent', name: '周晓东', userId: writer.user.id });
    expect(article.editor).toEqual({ name: '编辑小陈' });

    const sibling = await publish('culture', 1);
    expect((await related(articleId)).map((a) => a.id)).not.toContain(sibling);
  });
});
