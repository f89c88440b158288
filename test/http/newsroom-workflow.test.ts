/**
 * The editorial workflow over HTTP on the real stack: every legal transition (draft → submitted →
 * recommended → in review → returned / rejected / approved → published or scheduled), illegal ones
 * answered 409 with the current state, the timeline the correspondent sees, self-review refused, circle
 * leaders confined to their circle, text safety (pass / review / risky via msgSecCheck at the WeChat
 * fake), concurrent approvals paying once, 选题派发, and correspondent applications.
 */
import { feedResponseSchema, submissionListResponseSchema, submissionResponseSchema, type SubmissionView } from '@shared/schemas/newsroom';
import { runJobSlot } from '../../server/src/jobs';
import { newsroomPublishJob } from '../../server/src/jobs/newsroom-publish.job';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
let admin: LoggedIn;
const START = new Date('2026-11-24T02:00:00Z');

beforeAll(async () => {
  t = await createTestContext({ now: START });
  admin = await loginAs(t, 'admin');
});
afterAll(() => t.close());

let seq = 0;
async function newCircle(): Promise<string> {
  const res = await admin.agent.post('/api/v1/circles').send({ name: `测试圈子${++seq}`, description: '融媒+测试' });
  expect(res.status).toBe(201);
  return res.body.circle.id as string;
}

interface Cast {
  circleId: string;
  writer: LoggedIn;
  leader: LoggedIn;
  editor: LoggedIn;
}
async function cast(): Promise<Cast> {
  const circleId = await newCircle();
  return {
    circleId,
    writer: await loginAs(t, 'correspondent', { type: 'circle', id: circleId }, { nickname: '通讯员小王' }),
    leader: await loginAs(t, 'circle_leader', { type: 'circle', id: circleId }, { nickname: '圈长老李' }),
    editor: await loginAs(t, 'editor', undefined, { nickname: '编辑小陈' }),
  };
}

const piece = (over: Record<string, unknown> = {}) => ({
  title: `青溪镇冬季义诊${++seq}`,
  body: '县人民医院的医生来到青溪镇，为村民免费量血压、测血糖。\n村民们排起了长队。',
  place: '青溪镇',
  campaign: '健康乡村',
  copyright: 'non_exclusive',
  originalityStatement: true,
  ...over,
});

async function draft(c: Cast, over: Record<string, unknown> = {}): Promise<SubmissionView> {
  const res = await c.writer.agent.post('/api/v1/submissions').send(piece(over));
  expect(res.status).toBe(201);
  return submissionResponseSchema.parse(res.body).submission;
}

async function act(who: LoggedIn, id: string, action: string, body: object = {}) {
  return who.agent.post(`/api/v1/submissions/${id}/${action}`).send(body);
}
async function ok(who: LoggedIn, id: string, action: string, body: object = {}): Promise<SubmissionView> {
  const res = await act(who, id, action, body);
  expect({ action, status: res.status, body: res.body }).toMatchObject({ status: 200 });
  return submissionResponseSchema.parse(res.body).submission;
}
/** A valid body for each action, so only the state can be wrong. */
const BODIES: Record<string, object> = { return: { note: '意见' }, reject: { note: '意见' }, approve: { grade: 'A' } };
async function conflict(who: LoggedIn, id: string, action: string, state: string) {
  const res = await act(who, id, action, BODIES[action] ?? {});
  expect({ action, status: res.status, code: res.body.error?.code, state: res.body.error?.details?.state }).toEqual({
    action,
    status: 409,
    code: 'SUBMISSION_STATE_CONFLICT',
    state,
  });
}

describe('the editorial state machine', () => {
  it('takes a piece from draft to the feed, recording every step on the timeline the writer sees', async () => {
    const c = await cast();
    const d = await draft(c);
    expect(d).toMatchObject({ state: 'draft', circleId: c.circleId, authorName: '通讯员小王' });

    expect((await ok(c.writer, d.id, 'submit')).state).toBe('submitted');
    expect((await ok(c.leader, d.id, 'recommend', { note: '现场感强，推荐' })).state).toBe('recommended');
    expect((await ok(c.editor, d.id, 'claim')).state).toBe('in_review');
    const approved = await ok(c.editor, d.id, 'approve', { grade: 'A', column: 'livelihood', note: '好稿' });
    expect(approved).toMatchObject({ state: 'approved', grade: 'A', column: 'livelihood' });
    const published = await ok(c.editor, d.id, 'publish');
    expect(published.state).toBe('published');
    expect(published.articleId).not.toBeNull();

    const feed = feedResponseSchema.parse((await t.request.get('/api/v1/feed').query({ column: 'livelihood' })).body);
    expect(feed.items[0]).toMatchObject({
      id: published.articleId,
      title: d.title,
      circleId: c.circleId,
      author: { kind: 'correspondent', name: '通讯员小王' },
    });
    const article = await t.request.get(`/api/v1/articles/${published.articleId}`);
    expect(article.body.article.body[0]).toEqual({ type: 'paragraph', text: '县人民医院的医生来到青溪镇，为村民免费量血压、测血糖。' });

    const mine = submissionListResponseSchema.parse((await c.writer.agent.get('/api/v1/submissions/mine')).body);
    const timeline = mine.items.find((s) => s.id === d.id)?.timeline ?? [];
    expect(timeline.map((e) => [e.action, e.from, e.to, e.byName, e.note])).toEqual([
      ['save', null, 'draft', '通讯员小王', null],
      ['submit', 'draft', 'submitted', '通讯员小王', null],
      ['recommend', 'submitted', 'recommended', '圈长老李', '现场感强，推荐'],
      ['claim', 'recommended', 'in_review', '编辑小陈', null],
      ['approve', 'in_review', 'approved', '编辑小陈', '好稿'],
      ['publish', 'approved', 'published', '编辑小陈', null],
    ]);
    expect(timeline.every((e) => typeof e.at === 'string' && e.by !== null)).toBe(true);
  });

  it('returns pieces for revision at pre-review and in review, takes resubmissions, and rejects with a reason', async () => {
    const c = await cast();
    const d = await draft(c);
    await ok(c.writer, d.id, 'submit');
    expect((await act(c.leader, d.id, 'return', {})).status).toBe(400); // comments are required
    expect((await ok(c.leader, d.id, 'return', { note: '请补充时间和人数' })).state).toBe('returned');

    const edited = await c.writer.agent
      .patch(`/api/v1/submissions/${d.id}`)
      .send(piece({ title: d.title, body: '11月20日，县人民医院12名医生来到青溪镇义诊。' }));
    expect(edited.status).toBe(200);
    await ok(c.writer, d.id, 'submit');
    await ok(c.editor, d.id, 'claim'); // editors may claim straight from `submitted`
    expect((await ok(c.editor, d.id, 'return', { note: '标题再具体些' })).state).toBe('returned');
    await ok(c.writer, d.id, 'submit');
    await ok(c.editor, d.id, 'claim');
    const rejected = await ok(c.editor, d.id, 'reject', { note: '与已发稿件重复' });
    expect(rejected.state).toBe('rejected');
    expect(rejected.timeline.at(-1)).toMatchObject({ action: 'reject', note: '与已发稿件重复' });

    for (const action of ['submit', 'claim', 'approve', 'publish'])
      await conflict(action === 'submit' ? c.writer : c.editor, d.id, action, 'rejected');
    expect((await c.writer.agent.patch(`/api/v1/submissions/${d.id}`).send(piece())).status).toBe(409);
  });

  it('answers every illegal transition with 409 and the current state', async () => {
    const c = await cast();
    const d = await draft(c);
    for (const action of ['recommend', 'claim', 'reject', 'approve', 'publish']) await conflict(c.editor, d.id, action, 'draft');
    await ok(c.writer, d.id, 'submit');
    await conflict(c.writer, d.id, 'submit', 'submitted');
    for (const action of ['reject', 'approve', 'publish']) await conflict(c.editor, d.id, action, 'submitted');
    await ok(c.leader, d.id, 'recommend');
    await conflict(c.leader, d.id, 'recommend', 'recommended');
    await ok(c.editor, d.id, 'claim');
    await conflict(c.editor, d.id, 'publish', 'in_review');
    await ok(c.editor, d.id, 'approve', { grade: 'C' });
    for (const action of ['claim', 'approve', 'reject', 'recommend']) await conflict(c.editor, d.id, action, 'approved');
    await conflict(c.writer, d.id, 'submit', 'approved');
    await ok(c.editor, d.id, 'publish');
    await conflict(c.editor, d.id, 'publish', 'published');
  });

  it('approves only into an enabled column: an unknown or switched-off one answers 422 COLUMN_UNKNOWN, the piece stays in review', async () => {
    const c = await cast();
    const d = await draft(c);
    await ok(c.writer, d.id, 'submit');
    await ok(c.leader, d.id, 'recommend');
    await ok(c.editor, d.id, 'claim');
    const admin = await loginAs(t, 'admin');
    await admin.agent.post('/api/v1/admin/columns').send({ key: 'paused', name: '暂停栏目', enabled: false }).expect(201);
    for (const column of ['nowhere', 'paused']) {
      const res = await act(c.editor, d.id, 'approve', { grade: 'B', column });
      expect({ column, status: res.status, code: res.body.error?.code }).toEqual({ column, status: 422, code: 'COLUMN_UNKNOWN' });
    }
    const still = await c.editor.agent.get(`/api/v1/submissions/${d.id}`);
    expect(still.body.submission).toMatchObject({ state: 'in_review', column: null, pointsAwarded: 0 });
  });

  it('schedules a publication and lets the job publish it at its time, once', async () => {
    const c = await cast();
    const d = await draft(c, { title: '定时发布的通讯员稿件' });
    await ok(c.writer, d.id, 'submit');
    await ok(c.editor, d.id, 'claim');
    await ok(c.editor, d.id, 'approve', { grade: 'B', column: 'correspondent' });
    const at = new Date(t.clock.now().getTime() + 2 * 3600_000);
    const scheduled = await ok(c.editor, d.id, 'publish', { publishAt: at.toISOString() });
    expect(scheduled).toMatchObject({ state: 'scheduled', publishAt: at.toISOString() });
    const inFeed = async () =>
      feedResponseSchema
        .parse((await t.request.get('/api/v1/feed').query({ column: 'correspondent' })).body)
        .items.some((a) => a.title === '定时发布的通讯员稿件');

    await runJobSlot(t, newsroomPublishJob, new Date(at.getTime() - 60_000));
    expect(await inFeed()).toBe(false);
    expect((await runJobSlot(t, newsroomPublishJob, at)).ran).toBe(true);
    expect((await runJobSlot(t, newsroomPublishJob, at)).ran).toBe(false); // the slot's lock
    expect(await inFeed()).toBe(true);
    const after = submissionResponseSchema.parse((await c.writer.agent.get(`/api/v1/submissions/${d.id}`)).body).submission;
    expect(after.state).toBe('published');
    expect(after.timeline.at(-1)).toMatchObject({ action: 'publish', from: 'scheduled', by: null, byName: '系统' });
  });
});

describe('who may review', () => {
  it('refuses a correspondent reviewing their own piece, whatever other roles they hold', async () => {
    const circleId = await newCircle();
    const both = await loginAs(
      t,
      'correspondent',
      { type: 'circle', id: circleId },
      { extraRoles: [{ role: 'editor' }, { role: 'circle_leader', scope: { type: 'circle', id: circleId } }] },
    );
    const res = await both.agent.post('/api/v1/submissions').send(piece());
    const id = res.body.submission.id as string;
    await ok(both, id, 'submit');
    for (const action of ['recommend', 'claim']) {
      const r = await act(both, id, action);
      expect({ action, status: r.status, code: r.body.error.code }).toEqual({ action, status: 403, code: 'SELF_REVIEW_FORBIDDEN' });
    }
  });

  it('shows a circle leader only their own circle and lets them act only there', async () => {
    const a = await cast();
    const b = await cast();
    const pa = await draft(a);
    const pb = await draft(b);
    await ok(a.writer, pa.id, 'submit');
    await ok(b.writer, pb.id, 'submit');

    const queue = submissionListResponseSchema.parse((await a.leader.agent.get('/api/v1/editorial/queue')).body);
    expect(queue.items.map((s) => s.id)).toContain(pa.id);
    expect(queue.items.every((s) => s.circleId === a.circleId)).toBe(true);
    expect((await a.leader.agent.get('/api/v1/editorial/queue').query({ circleId: b.circleId })).status).toBe(403);
    expect((await act(a.leader, pb.id, 'recommend')).status).toBe(403);
    expect((await a.leader.agent.get(`/api/v1/submissions/${pb.id}`)).status).toBe(403);
    expect((await act(a.leader, pa.id, 'claim')).status).toBe(403); // claiming is for editors

    const editorQueue = submissionListResponseSchema.parse((await a.editor.agent.get('/api/v1/editorial/queue').query({ limit: 50 })).body);
    expect(editorQueue.items.map((s) => s.id)).toEqual(expect.arrayContaining([pa.id, pb.id]));
    const citizen = await loginAs(t, 'citizen');
    expect((await citizen.agent.get('/api/v1/editorial/queue')).status).toBe(403);
    expect((await citizen.agent.post('/api/v1/submissions').send(piece())).status).toBe(403);
  });

  it('leaves a claimed piece to the editor who claimed it', async () => {
    const c = await cast();
    const other = await loginAs(t, 'editor');
    const d = await draft(c);
    await ok(c.writer, d.id, 'submit');
    await ok(c.editor, d.id, 'claim');
    for (const action of ['claim', 'approve', 'reject']) {
      const r = await act(other, d.id, action, BODIES[action] ?? {});
      expect({ action, status: r.status, code: r.body.error.code }).toEqual({ action, status: 409, code: 'SUBMISSION_CLAIMED' });
    }
  });

  it('approves once when two approvals race: one 200, one 409, one approve on the timeline', async () => {
    const c = await cast();
    const d = await draft(c);
    await ok(c.writer, d.id, 'submit');
    await ok(c.editor, d.id, 'claim');
    const results = await Promise.all([1, 2, 3].map(() => act(c.editor, d.id, 'approve', { grade: 'A' })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const after = submissionResponseSchema.parse((await c.writer.agent.get(`/api/v1/submissions/${d.id}`)).body).submission;
    expect(after.timeline.filter((e) => e.action === 'approve')).toHaveLength(1);
  });
});

describe('text safety (msgSecCheck v2 at the WeChat fake)', () => {
  it('refuses risky text with the reason and keeps the draft', async () => {
    const c = await cast();
    const d = await draft(c, { body: '有人在村口组织赌博，请大家注意。' });
    const res = await act(c.writer, d.id, 'submit');
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'CONTENT_RISKY', details: { part: 'text' } });
    const after = submissionResponseSchema.parse((await c.writer.agent.get(`/api/v1/submissions/${d.id}`)).body).submission;
    expect(after).toMatchObject({ state: 'draft', textSafety: 'risky' });
  });

  it('passes "review" text on but flags it for the editor, and the queue filters by flag', async () => {
    const c = await cast();
    const flagged = await draft(c, { body: '需要报名的村民可以加微信联系村委会。' });
    const clean = await draft(c);
    const f = await ok(c.writer, flagged.id, 'submit');
    expect(f).toMatchObject({ state: 'submitted', textSafety: 'review', flagged: true });
    expect(await ok(c.writer, clean.id, 'submit')).toMatchObject({ textSafety: 'pass', flagged: false });

    const onlyFlagged = submissionListResponseSchema.parse(
      (await c.editor.agent.get('/api/v1/editorial/queue').query({ circleId: c.circleId, flagged: 'true' })).body,
    );
    expect(onlyFlagged.items.map((s) => s.id)).toEqual([flagged.id]);
    const campaign = submissionListResponseSchema.parse(
      (await c.editor.agent.get('/api/v1/editorial/queue').query({ circleId: c.circleId, campaign: '健康乡村' })).body,
    );
    expect(campaign.items).toHaveLength(2);
    const old = submissionListResponseSchema.parse(
      (await c.editor.agent.get('/api/v1/editorial/queue').query({ circleId: c.circleId, minAgeHours: 1 })).body,
    );
    expect(old.items).toHaveLength(0);
  });

  it('refuses incomplete pieces (copyright choice and originality statement) and more than 9 images', async () => {
    const c = await cast();
    const d = await draft(c, { copyright: undefined, originalityStatement: false });
    const res = await act(c.writer, d.id, 'submit');
    expect(res.status).toBe(422);
    expect(res.body.error.details.missing).toEqual(['copyright', 'originalityStatement']);
    const many = Array.from({ length: 10 }, (_, i) => `0123456789abcdef0123456${i}`);
    expect((await c.writer.agent.post('/api/v1/submissions').send(piece({ imageIds: many }))).status).toBe(400);
    expect((await c.writer.agent.post('/api/v1/submissions').send(piece({ $set: { state: 'published' } }))).status).toBe(400);
  });
});

describe('选题派发', () => {
  it('lets an editor assign a topic that the correspondent accepts and files against', async () => {
    const c = await cast();
    const res = await c.editor.agent
      .post('/api/v1/assignments')
      .send({ title: '双河镇冬季防火', brief: '采访镇应急办和护林员', assigneeId: c.writer.user.id });
    expect(res.status).toBe(201);
    const id = res.body.assignment.id as string;
    expect((await c.writer.agent.post('/api/v1/submissions').send(piece({ assignmentId: id }))).status).toBe(409); // accept first
    expect((await c.writer.agent.post(`/api/v1/assignments/${id}/accept`)).body.assignment.state).toBe('accepted');
    expect((await c.writer.agent.post(`/api/v1/assignments/${id}/accept`)).status).toBe(409);
    const d = await draft(c, { assignmentId: id });
    await ok(c.writer, d.id, 'submit');
    const mine = (await c.writer.agent.get('/api/v1/assignments/mine')).body.items as Array<{
      id: string;
      state: string;
      submissionId: string;
    }>;
    expect(mine.find((a) => a.id === id)).toMatchObject({ state: 'filed', submissionId: d.id });
    const stranger = await loginAs(t, 'correspondent');
    expect((await stranger.agent.post(`/api/v1/assignments/${id}/accept`)).status).toBe(404);
  });
});

describe('correspondent applications and circles', () => {
  async function bindPhone(who: LoggedIn, phone: string) {
    const res = await fetch(`${t.wechatUrl}/__fake/phone-code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phoneNumber: phone }),
    });
    const { code } = (await res.json()) as { code: string };
    expect((await who.agent.post('/api/v1/me/phone').send({ code })).status).toBe(200);
  }
  const application = (circleId: string) => ({
    realName: '周晓东',
    circleId,
    district: '青溪片区',
    system: '卫健',
    domain: '乡村医疗',
    intro: '青溪镇卫生院医生，业余写作。',
    samples: ['《山里的家庭医生》'],
  });

  it('needs a bound phone, then a leader of THAT circle (or an editor) decides; approval grants the scoped correspondent role', async () => {
    const circleId = await newCircle();
    const otherLeader = await loginAs(t, 'circle_leader');
    const leader = await loginAs(t, 'circle_leader', { type: 'circle', id: circleId });
    let applicant = await loginAs(t, 'citizen');

    const noPhone = await applicant.agent.post('/api/v1/correspondents/applications').send(application(circleId));
    expect(noPhone.body.error.code).toBe('PHONE_REQUIRED');
    await bindPhone(applicant, `139${String(Date.now()).slice(-8)}`);
    const res = await applicant.agent.post('/api/v1/correspondents/applications').send(application(circleId));
    expect(res.status).toBe(201);
    expect(res.body.application).toMatchObject({ state: 'pending', phone: expect.stringMatching(/^139\*{4}\d{4}$/) });
    expect((await applicant.agent.post('/api/v1/correspondents/applications').send(application(circleId))).body.error.code).toBe(
      'APPLICATION_PENDING',
    );
    const id = res.body.application.id as string;

    const pending = await leader.agent.get('/api/v1/correspondents/applications');
    expect(pending.body.items.map((a: { id: string }) => a.id)).toEqual([id]);
    expect((await otherLeader.agent.post(`/api/v1/correspondents/applications/${id}/decision`).send({ decision: 'approve' })).status).toBe(
      403,
    );
    expect((await leader.agent.post(`/api/v1/correspondents/applications/${id}/decision`).send({ decision: 'decline' })).status).toBe(400);
    const approved = await leader.agent.post(`/api/v1/correspondents/applications/${id}/decision`).send({ decision: 'approve' });
    expect(approved.body.application).toMatchObject({ state: 'approved', decidedBy: leader.user.id });
    expect(
      (await leader.agent.post(`/api/v1/correspondents/applications/${id}/decision`).send({ decision: 'decline', reason: '晚了' })).body
        .error.code,
    ).toBe('APPLICATION_DECIDED');

    applicant = await loginAs(t, 'citizen', undefined, { openid: applicant.openid });
    expect(applicant.user.roles).toContainEqual({ role: 'correspondent', scope: { type: 'circle', id: circleId } });
    const circle = await t.request.get(`/api/v1/circles/${circleId}`);
    expect(circle.body.circle.memberCount).toBe(1);

    // Their published story is signed with the real name they applied with, not their WeChat nickname.
    expect(applicant.user.nickname).not.toBe('周晓东');
    const filed = await applicant.agent.post('/api/v1/submissions').send(piece());
    expect(filed.status).toBe(201);
    const pieceId = filed.body.submission.id as string;
    const editor = await loginAs(t, 'editor');
    await ok(applicant, pieceId, 'submit');
    await ok(leader, pieceId, 'recommend');
    await ok(editor, pieceId, 'claim');
    await ok(editor, pieceId, 'approve', { grade: 'B' });
    const published = await ok(editor, pieceId, 'publish');
    const article = await t.request.get(`/api/v1/articles/${published.articleId}`).expect(200);
    expect(article.body.article.author).toEqual({ kind: 'correspondent', userId: applicant.user.id, name: '周晓东' });
  });

  it('lets admins create circles and appoint leaders who post announcements; the circle page lists recent work', async () => {
    const circleId = await newCircle();
    const someone = await loginAs(t, 'citizen');
    expect((await someone.agent.post('/api/v1/circles').send({ name: '不该建成', description: 'x' })).status).toBe(403);
    const appointed = await admin.agent.post(`/api/v1/circles/${circleId}/leaders`).send({ userId: someone.user.id });
    expect(appointed.body.circle.leaderIds).toEqual([someone.user.id]);
    const leader = await loginAs(t, 'citizen', undefined, { openid: someone.openid });
    const ann = await leader.agent.post(`/api/v1/circles/${circleId}/announcements`).send({ text: '本周选题会周五下午三点' });
    expect(ann.status).toBe(200);
    const page = await t.request.get(`/api/v1/circles/${circleId}`);
    expect(page.body).toMatchObject({ circle: { announcements: [{ text: '本周选题会周五下午三点' }] }, recent: [] });
  });

  it('sends a unit channel admin’s pieces to the lighter lane, skipping the circle leader', async () => {
    const channel = await admin.agent.post('/api/v1/channels').send({ name: `县教育局分端${++seq}`, kind: 'government' });
    expect(channel.status).toBe(201);
    const unitAdmin = await loginAs(t, 'citizen');
    await admin.agent.post(`/api/v1/channels/${channel.body.channel.id}/admins`).send({ userId: unitAdmin.user.id }).expect(200);
    const res = await unitAdmin.agent.post('/api/v1/submissions').send(piece());
    expect(res.status).toBe(201);
    const submitted = await ok(unitAdmin, res.body.submission.id, 'submit');
    expect(submitted).toMatchObject({ state: 'recommended', channelId: channel.body.channel.id });
    const editor = await loginAs(t, 'editor');
    const lane = submissionListResponseSchema.parse((await editor.agent.get('/api/v1/editorial/queue').query({ lane: 'channel' })).body);
    expect(lane.items.map((s) => s.id)).toContain(submitted.id);
  });
});
