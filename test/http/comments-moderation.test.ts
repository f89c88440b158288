/**
 * Comment moderation over HTTP on the real stack: approval required globally or per column (hidden until an
 * editor approves), the editors' queue (cursor paging that loses nothing while comments arrive and are
 * decided), approve and reject with a reason (audited), reports (one per person, also when sent twice at
 * once; N reports hide a comment exactly once), and who may do what.
 */
import {
  commentListResponseSchema,
  commentSettingsResponseSchema,
  createCommentResponseSchema,
  moderationQueueResponseSchema,
  moderationResponseSchema,
  type CommentSettings,
} from '@shared/schemas/comments';
import { articleResponseSchema, type ArticleColumn } from '@shared/schemas/newsroom';
import { AuditLogModel } from '../../server/src/modules/audit/audit.model';
import { CommentModel, CommentReportModel } from '../../server/src/modules/comments/comments.model';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
let editor: LoggedIn;
let reader: LoggedIn;

beforeAll(async () => {
  t = await createTestContext({ env: { RATE_LIMIT_CHECKED_WRITES_PER_MINUTE: '1000' } });
  editor = await loginAs(t, 'editor');
  reader = await loginAs(t, 'citizen', undefined, { nickname: '青溪老张' });
});
afterAll(() => t.close());

let n = 0;
async function article(column: ArticleColumn = 'livelihood'): Promise<string> {
  const res = await editor.agent
    .post('/api/v1/articles')
    .send({ title: `审核测试文章${++n}`, column, body: [{ type: 'paragraph', text: '县里的新图书馆开馆了。' }] });
  expect(res.status).toBe(201);
  return articleResponseSchema.parse(res.body).article.id;
}

async function comment(who: LoggedIn, articleId: string, text: string) {
  const res = await who.agent.post(`/api/v1/articles/${articleId}/comments`).send({ text });
  expect(res.status).toBe(201);
  return createCommentResponseSchema.parse(res.body);
}

async function visible(articleId: string): Promise<string[]> {
  const res = await t.request.get(`/api/v1/articles/${articleId}/comments`);
  return commentListResponseSchema.parse(res.body).items.map((c) => c.id);
}

async function settings(patch: Record<string, unknown>): Promise<CommentSettings> {
  const res = await editor.agent.put('/api/v1/comments/settings').send(patch);
  expect(res.status).toBe(200);
  return commentSettingsResponseSchema.parse(res.body).settings;
}

afterEach(async () => {
  await settings({ requireApproval: false, reportThreshold: 3, columns: { culture: null, livelihood: null } });
});

describe('approval before comments show', () => {
  it('holds every comment when required globally; the editor approves it and it shows', async () => {
    expect(await settings({ requireApproval: true })).toMatchObject({ requireApproval: true });
    const id = await article();
    const held = await comment(reader, id, '图书馆周末开到几点？');
    expect(held).toMatchObject({ held: true, comment: { state: 'pending' } });
    expect(await visible(id)).toEqual([]);

    const queue = moderationQueueResponseSchema.parse(
      (await editor.agent.get('/api/v1/comments/queue').query({ reason: 'approval' })).body,
    );
    expect(queue.items).toContainEqual(
      expect.objectContaining({
        id: held.comment.id,
        holdReason: 'approval',
        article: expect.objectContaining({ id, column: 'livelihood' }),
      }),
    );

    const approved = await editor.agent.post(`/api/v1/comments/${held.comment.id}/approve`);
    expect(approved.status).toBe(200);
    expect(moderationResponseSchema.parse(approved.body).comment).toMatchObject({ state: 'published' });
    expect(await visible(id)).toEqual([held.comment.id]);
    expect(await AuditLogModel.findOne({ action: 'comment.approve', targetId: held.comment.id }).lean()).toMatchObject({
      actorId: expect.anything(),
    });

    const again = await editor.agent.post(`/api/v1/comments/${held.comment.id}/approve`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('COMMENT_STATE_CONFLICT');
  });

  it("follows a column's own setting over the global one, and the global one again when the column is cleared", async () => {
    await settings({ requireApproval: true, columns: { culture: false } });
    expect((await comment(reader, await article('culture'), '文旅的评论直接展示')).held).toBe(false);
    expect((await comment(reader, await article('livelihood'), '民生的评论要审核')).held).toBe(true);

    await settings({ requireApproval: false, columns: { culture: true } });
    expect((await comment(reader, await article('culture'), '文旅这回要审核')).held).toBe(true);
    expect((await comment(reader, await article('livelihood'), '民生这回直接展示')).held).toBe(false);

    const cleared = await settings({ columns: { culture: null } });
    expect(cleared.columns).toEqual({});
    expect((await comment(reader, await article('culture'), '跟随全局')).held).toBe(false);
  });

  it('does not hold editors’ own comments for approval', async () => {
    await settings({ requireApproval: true });
    expect((await comment(editor, await article(), '编辑部：感谢大家关注')).held).toBe(false);
  });
});

describe('reject', () => {
  it('takes a held or a shown comment down with a reason, and needs the reason', async () => {
    const id = await article();
    const shown = await comment(reader, id, '这条先展示');
    const noReason = await editor.agent.post(`/api/v1/comments/${shown.comment.id}/reject`).send({});
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.code).toBe('VALIDATION_FAILED');

    const res = await editor.agent.post(`/api/v1/comments/${shown.comment.id}/reject`).send({ reason: '与报道无关' });
    expect(res.status).toBe(200);
    expect(moderationResponseSchema.parse(res.body).comment).toMatchObject({ state: 'rejected', rejectReason: '与报道无关' });
    expect(await visible(id)).toEqual([]);
    expect(await AuditLogModel.findOne({ action: 'comment.reject', targetId: shown.comment.id }).lean()).toMatchObject({
      details: { reason: '与报道无关' },
    });
    const approveRejected = await editor.agent.post(`/api/v1/comments/${shown.comment.id}/approve`);
    expect(approveRejected.status).toBe(409);
  });
});

describe('the queue', () => {
  it('pages newest first without losing or repeating a comment while new ones arrive and others are decided', async () => {
    await settings({ requireApproval: true });
    const id = await article();
    const before: string[] = [];
    for (let i = 0; i < 11; i++) before.push((await comment(reader, id, `待审评论${i}`)).comment.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let arrivals = 0;
    do {
      const res = await editor.agent.get('/api/v1/comments/queue').query({ limit: 4, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      const page = moderationQueueResponseSchema.parse(res.body);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
      await comment(reader, id, `翻页时新来的${++arrivals}`);
      // An editor working the same queue approves the first item of this page meanwhile.
      if (page.items[0]) await editor.agent.post(`/api/v1/comments/${page.items[0].id}/approve`).expect(200);
    } while (cursor);

    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((s) => before.includes(s))).toEqual([...before].reverse());
  });

  it('is for editors: citizens get 403, anonymous callers 401', async () => {
    const id = await article();
    const c = await comment(reader, id, '普通评论');
    const calls = [
      (who: LoggedIn) => who.agent.get('/api/v1/comments/queue'),
      (who: LoggedIn) => who.agent.post(`/api/v1/comments/${c.comment.id}/approve`),
      (who: LoggedIn) => who.agent.post(`/api/v1/comments/${c.comment.id}/reject`).send({ reason: '自己删' }),
      (who: LoggedIn) => who.agent.get('/api/v1/comments/settings'),
      (who: LoggedIn) => who.agent.put('/api/v1/comments/settings').send({ requireApproval: true }),
    ];
    for (const call of calls) {
      const res = await call(reader);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect((await t.request.get('/api/v1/comments/queue')).status).toBe(401);
    expect(await CommentModel.findById(c.comment.id).lean()).toMatchObject({ state: 'published' });
  });

  it('refuses malformed settings', async () => {
    for (const body of [{}, { reportThreshold: 0 }, { columns: { 'Sports!': true } }, { requireApproval: 'yes' }]) {
      const res = await editor.agent.put('/api/v1/comments/settings').send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    // Well formed, but no admin configured such a column.
    const unknown = await editor.agent.put('/api/v1/comments/settings').send({ columns: { sports: true } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('COLUMN_UNKNOWN');
  });

  it("holds comments in a column an admin added when that column's setting says so", async () => {
    const admin = await loginAs(t, 'admin');
    await admin.agent.post('/api/v1/admin/columns').send({ key: 'county-talk', name: '县城话题' }).expect(201);
    await editor.agent
      .put('/api/v1/comments/settings')
      .send({ columns: { 'county-talk': true } })
      .expect(200);
    const held = await comment(reader, await article('county-talk'), '新栏目里的评论');
    expect(held.comment.state).toBe('pending');
    await editor.agent
      .put('/api/v1/comments/settings')
      .send({ columns: { 'county-talk': null } })
      .expect(200);
  });
});

describe('reports', () => {
  it('counts one report per person, even when the same person reports twice at once', async () => {
    const c = await comment(reader, await article(), '被举报的评论');
    const reporter = await loginAs(t, 'citizen');
    const answers = await Promise.all(
      [1, 2].map(() => reporter.agent.post(`/api/v1/comments/${c.comment.id}/reports`).send({ reason: 'spam' })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(answers.find((a) => a.status === 409)?.body.error.code).toBe('COMMENT_ALREADY_REPORTED');
    expect(await CommentReportModel.countDocuments({ commentId: c.comment.id })).toBe(1);
    expect(await CommentModel.findById(c.comment.id).lean()).toMatchObject({ reportCount: 1, state: 'published' });
  });

  it('hides a comment exactly once when the threshold of reports arrives at once, until an editor approves it', async () => {
    await settings({ reportThreshold: 3 });
    const id = await article();
    const c = await comment(reader, id, '有争议的评论');
    const reporters = await Promise.all([1, 2, 3, 4].map(() => loginAs(t, 'citizen')));
    const answers = await Promise.all(
      reporters.map((r) => r.agent.post(`/api/v1/comments/${c.comment.id}/reports`).send({ reason: 'abuse' })),
    );
    // The 4th may arrive after the comment left the page (404) or be counted (201); exactly one report hid it.
    expect(answers.filter((a) => a.status === 201 && a.body.hidden === true)).toHaveLength(1);
    expect(await visible(id)).toEqual([]);
    const queue = moderationQueueResponseSchema.parse((await editor.agent.get('/api/v1/comments/queue').query({ reason: 'reports' })).body);
    expect(queue.items).toContainEqual(expect.objectContaining({ id: c.comment.id, holdReason: 'reports' }));

    // A hidden comment can't be reported any more.
    const late = await (await loginAs(t, 'citizen')).agent.post(`/api/v1/comments/${c.comment.id}/reports`).send({ reason: 'abuse' });
    expect(late.status).toBe(404);

    await editor.agent.post(`/api/v1/comments/${c.comment.id}/approve`).expect(200);
    expect(await visible(id)).toEqual([c.comment.id]);
    // Reports before the approval no longer count: one more does not hide it again.
    const after = await (await loginAs(t, 'citizen')).agent.post(`/api/v1/comments/${c.comment.id}/reports`).send({ reason: 'abuse' });
    expect(after.body).toEqual({ reported: true, hidden: false });
    expect(await visible(id)).toEqual([c.comment.id]);
  });
});
