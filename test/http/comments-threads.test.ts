/**
 * Comments from the reader's side over HTTP on the real stack (Mongo, Redis, the WeChat fake's msgSecCheck):
 * commenting and replying (one level), WeChat's verdicts (risky refused, review held), deleting one's own,
 * paging that loses nothing while others comment, refusals with stable codes, and the write rate limit.
 */
import {
  commentListResponseSchema,
  createCommentResponseSchema,
  replyListResponseSchema,
  type CommentListResponse,
} from '@shared/schemas/comments';
import { articleResponseSchema } from '@shared/schemas/newsroom';
import { Types } from 'mongoose';
import { CommentModel } from '../../server/src/modules/comments/comments.model';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
let editor: LoggedIn;
let reader: LoggedIn;
let other: LoggedIn;

beforeAll(async () => {
  // The shipped budget for checked writes is 10 a minute per person; this suite writes more than that.
  t = await createTestContext({ env: { RATE_LIMIT_CHECKED_WRITES_PER_MINUTE: '1000' } });
  editor = await loginAs(t, 'editor');
  reader = await loginAs(t, 'citizen', undefined, { nickname: '青溪老张' });
  other = await loginAs(t, 'citizen', undefined, { nickname: '河畔小李' });
});
afterAll(() => t.close());

let n = 0;
async function article(): Promise<string> {
  const res = await editor.agent
    .post('/api/v1/articles')
    .send({ title: `评论测试文章${++n}`, column: 'livelihood', body: [{ type: 'paragraph', text: '青溪镇新修的便民桥通车了。' }] });
  expect(res.status).toBe(201);
  return articleResponseSchema.parse(res.body).article.id;
}

async function comment(who: LoggedIn, articleId: string, text: string, parentId?: string) {
  const res = await who.agent.post(`/api/v1/articles/${articleId}/comments`).send({ text, ...(parentId ? { parentId } : {}) });
  expect(res.status).toBe(201);
  return createCommentResponseSchema.parse(res.body);
}

async function list(articleId: string, query: Record<string, string | number> = {}): Promise<CommentListResponse> {
  const res = await t.request.get(`/api/v1/articles/${articleId}/comments`).query(query);
  expect(res.status).toBe(200);
  return commentListResponseSchema.parse(res.body);
}

describe('commenting and replying', () => {
  it('shows a comment at once with its author, and files replies (also to a reply) under the thread', async () => {
    const id = await article();
    const top = await comment(reader, id, '桥修得真结实，点赞！');
    expect(top).toMatchObject({ held: false, comment: { state: 'published', parentId: null, author: { name: '青溪老张' } } });

    const reply = await comment(other, id, '确实，上班近多了。', top.comment.id);
    expect(reply.comment).toMatchObject({ parentId: top.comment.id, replyTo: null });
    const replyToReply = await comment(reader, id, '是啊，早上能多睡十分钟。', reply.comment.id);
    // One level: filed under the top-level comment, naming whom it answers.
    expect(replyToReply.comment).toMatchObject({ parentId: top.comment.id, replyTo: { id: other.user.id, name: '河畔小李' } });

    const page = await list(id);
    expect(page.total).toBe(3);
    expect(page.items.map((c) => c.id)).toEqual([top.comment.id]);
    expect(page.items[0]).toMatchObject({ replyCount: 2, replies: [{ id: reply.comment.id }, { id: replyToReply.comment.id }] });
  });

  it('pages a long thread of replies oldest first through its own list', async () => {
    const id = await article();
    const top = await comment(reader, id, '大家说说桥的事');
    const replyIds: string[] = [];
    for (let i = 0; i < 7; i++) replyIds.push((await comment(other, id, `第${i + 1}条回复`, top.comment.id)).comment.id);

    const thread = (await list(id)).items[0]!;
    expect(thread.replyCount).toBe(7);
    expect(thread.replies.map((r) => r.id)).toEqual(replyIds.slice(0, 3));

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.request.get(`/api/v1/comments/${top.comment.id}/replies`).query({ limit: 3, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      const body = replyListResponseSchema.parse(res.body);
      seen.push(...body.items.map((r) => r.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(replyIds);
  });

  it('loses and repeats no comment while people keep commenting between pages', async () => {
    const id = await article();
    const before: string[] = [];
    for (let i = 0; i < 12; i++) before.push((await comment(i % 2 ? reader : other, id, `评论${i}`)).comment.id);

    const seen: string[] = [];
    const during: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(id, { limit: 5, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
      during.push((await comment(reader, id, `翻页时的新评论${during.length}`)).comment.id);
    } while (cursor);

    expect(new Set(seen).size).toBe(seen.length);
    // Everything there when paging started is seen, newest first; what came during shows on a fresh first page.
    expect(seen).toEqual([...before].reverse());
    const fresh = await list(id, { limit: 50 });
    expect(fresh.items.map((c) => c.id)).toEqual([...during.reverse(), ...[...before].reverse()]);
  });
});

describe("WeChat's text check", () => {
  it('refuses risky text (422 CONTENT_RISKY) and stores nothing', async () => {
    const id = await article();
    const res = await reader.agent.post(`/api/v1/articles/${id}/comments`).send({ text: '来玩网络赌博，稳赚' });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'CONTENT_RISKY', message: expect.stringMatching(/安全检测/), details: { part: 'text' } });
    expect(await CommentModel.countDocuments({ articleId: id })).toBe(0);
  });

  it('holds text WeChat wants a person to look at, out of the list, in the queue', async () => {
    const id = await article();
    const res = await comment(reader, id, '有需要的加微信详聊');
    expect(res).toMatchObject({ held: true, comment: { state: 'pending' } });
    expect((await list(id)).items).toEqual([]);
    const queue = await editor.agent.get('/api/v1/comments/queue').query({ reason: 'content_review' });
    expect(queue.status).toBe(200);
    expect(queue.body.items).toContainEqual(
      expect.objectContaining({ id: res.comment.id, holdReason: 'content_review', safetyLabel: 10001 }),
    );
  });
});

describe('deleting', () => {
  it('lets the author delete their own comment, and refuses anyone else (editors included: they reject)', async () => {
    const id = await article();
    const mine = await comment(reader, id, '我先说两句');
    await comment(other, id, '我来回一句', mine.comment.id);
    expect((await list(id)).total).toBe(2);

    for (const who of [other, editor]) {
      const res = await who.agent.delete(`/api/v1/comments/${mine.comment.id}`);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: { code: 'FORBIDDEN', message: expect.any(String) } });
    }
    expect((await t.request.delete(`/api/v1/comments/${mine.comment.id}`)).status).toBe(401);

    expect((await reader.agent.delete(`/api/v1/comments/${mine.comment.id}`)).status).toBe(204);
    // The thread goes with its replies.
    expect(await list(id)).toMatchObject({ items: [], total: 0 });
    expect(await CommentModel.findById(mine.comment.id).lean()).toMatchObject({ state: 'deleted' });
    const again = await reader.agent.delete(`/api/v1/comments/${mine.comment.id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('COMMENT_NOT_FOUND');
  });
});

describe('bad input and missing things', () => {
  it('answers 4xx with stable codes and Chinese messages', async () => {
    const id = await article();
    const elsewhere = await comment(reader, await article(), '别处的评论');
    const post = (body: unknown, articleId = id) => reader.agent.post(`/api/v1/articles/${articleId}/comments`).send(body as object);
    const cases: Array<[string, Promise<{ status: number; body: { error: { code: string; message: string } } }>, number, string]> = [
      ['anonymous', t.request.post(`/api/v1/articles/${id}/comments`).send({ text: '匿名' }), 401, 'AUTH_REQUIRED'],
      ['empty text', post({ text: '   ' }), 400, 'VALIDATION_FAILED'],
      ['text too long', post({ text: '长'.repeat(501) }), 400, 'VALIDATION_FAILED'],
      ['unknown key', post({ text: '好', pinned: true }), 400, 'VALIDATION_FAILED'],
      ['operator injection', post({ text: { $gt: '' } }), 400, 'VALIDATION_FAILED'],
      ['malformed article id', post({ text: '好' }, 'not-an-id'), 400, 'VALIDATION_FAILED'],
      ['missing article', post({ text: '好' }, new Types.ObjectId().toHexString()), 404, 'ARTICLE_NOT_FOUND'],
      ['parent on another article', post({ text: '好', parentId: elsewhere.comment.id }), 404, 'COMMENT_NOT_FOUND'],
      ['malformed cursor', t.request.get(`/api/v1/articles/${id}/comments`).query({ cursor: 'abc' }), 400, 'VALIDATION_FAILED'],
      ['limit too big', t.request.get(`/api/v1/articles/${id}/comments`).query({ limit: 500 }), 400, 'VALIDATION_FAILED'],
      [
        'replies of a missing comment',
        t.request.get(`/api/v1/comments/${new Types.ObjectId().toHexString()}/replies`),
        404,
        'COMMENT_NOT_FOUND',
      ],
      ['report without reason', reader.agent.post(`/api/v1/comments/${elsewhere.comment.id}/reports`).send({}), 400, 'VALIDATION_FAILED'],
      [
        'report reason unknown',
        other.agent.post(`/api/v1/comments/${elsewhere.comment.id}/reports`).send({ reason: 'meh' }),
        400,
        'VALIDATION_FAILED',
      ],
    ];
    for (const [what, call, status, code] of cases) {
      const res = await call;
      expect({ what, status: res.status, code: res.body.error?.code }).toEqual({ what, status, code });
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('rate limit', () => {
  it('refuses a burst of comments past the checked-write budget with 429 RATE_LIMITED', async () => {
    const limited = await createTestContext({ env: { RATE_LIMIT_CHECKED_WRITES_PER_MINUTE: '2' } });
    try {
      const writer = await loginAs(limited, 'editor');
      const created = await writer.agent
        .post('/api/v1/articles')
        .send({ title: '限流', column: 'livelihood', body: [{ type: 'paragraph', text: '正文' }] });
      const id = articleResponseSchema.parse(created.body).article.id;
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await writer.agent.post(`/api/v1/articles/${id}/comments`).send({ text: `第${i}条` })).status);
      expect(statuses).toEqual([201, 201, 429]);
    } finally {
      await limited.close();
    }
  });
});
