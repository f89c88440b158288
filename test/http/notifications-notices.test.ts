/**
 * The notices the modules raise through the one notifications service, on the real stack (Mongo, Redis, the WeChat
 * fake): a correspondent's and a merchant's application decided (approve / decline with the reason), a submission
 * reviewed (approved / returned / rejected), a promotion reviewed (to the shop's owner), contest results released (to
 * every entrant, once however often the job runs), a reply to someone's comment (to the person it answers, never to
 * the replier; a held reply only when approved). Each is an in-app message opening its page always, and a subscribe
 * message only for a person who accepted its template.
 */
import type { TemplateKey } from '@shared/schemas/notifications';
import { articleResponseSchema } from '@shared/schemas/newsroom';
import { acceptSubscriptions, createTestContext, loginAs, subscribeMessagesTo, type LoggedIn, type TestContext } from '../harness';
import { applyAs } from './coupons-fixtures';
import { DAY, HOUR, as, createContest, filePhoto, tick } from './contests-helpers';

let t: TestContext;
let admin: LoggedIn;
let editor: LoggedIn;
const START = new Date('2026-12-07T02:00:00Z');

beforeAll(async () => {
  // Comments and promotions are checked writes (10 a minute per person by default); this suite writes more.
  t = await createTestContext({ now: START, env: { RATE_LIMIT_CHECKED_WRITES_PER_MINUTE: '1000' } });
  admin = await loginAs(t, 'admin');
  editor = await loginAs(t, 'editor', undefined, { nickname: '编辑小陈' });
});
afterAll(() => t.close());
// The contest moves the clock by a day; everyone else's tokens were issued at START.
beforeEach(() => t.clock.set(START));

interface Inbox {
  kind: string;
  title: string;
  body: string;
  link: string | null;
}
const inbox = async (who: LoggedIn): Promise<Inbox[]> => (await who.agent.get('/api/v1/me/messages').expect(200)).body.items as Inbox[];
/** The subscribe messages of one template that reached `who` (what WeChat delivered, at the fake). */
const sent = async (who: LoggedIn, key: TemplateKey) => {
  const id = t.services.notifications.templateIds()[key];
  return (await subscribeMessagesTo(t, who.openid)).filter((m) => m.templateId === id);
};

let seq = 0;

describe('correspondent applications', () => {
  async function apply(circleId: string): Promise<{ id: string; applicant: LoggedIn }> {
    const applicant = await loginAs(t, 'citizen');
    const minted = await fetch(`${t.wechatUrl}/__fake/phone-code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phoneNumber: `136${String(Date.now() + ++seq).slice(-8)}` }),
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

  it('approved: the applicant is told in-app (opening the desk) and, having accepted, by one subscribe message', async () => {
    const circle = await admin.agent
      .post('/api/v1/circles')
      .send({ name: `通知圈${++seq}`, description: '测试' })
      .expect(201);
    const { id, applicant } = await apply(circle.body.circle.id);
    await acceptSubscriptions(t, applicant, ['applicationResult']);
    await editor.agent.post(`/api/v1/correspondents/applications/${id}/decision`).send({ decision: 'approve' }).expect(200);

    // The new role refuses the old token: signed in again, as the app would.
    expect(await inbox(await loginAs(t, 'citizen', undefined, { openid: applicant.openid }))).toEqual([
      expect.objectContaining({ kind: 'newsroom', title: '通讯员申请已通过', link: 'subpackages/newsroom/pages/desk/index' }),
    ]);
    const messages = await sent(applicant, 'applicationResult');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.data).toMatchObject({ thing1: { value: '通讯员申请' }, phrase2: { value: '已通过' } });
  });

  it('declined without consent: the reason in-app, and WeChat never asked', async () => {
    const circle = await admin.agent
      .post('/api/v1/circles')
      .send({ name: `通知圈${++seq}`, description: '测试' })
      .expect(201);
    const { id, applicant } = await apply(circle.body.circle.id);
    await editor.agent
      .post(`/api/v1/correspondents/applications/${id}/decision`)
      .send({ decision: 'decline', reason: '请补充近期作品' })
      .expect(200);
    const [message] = await inbox(applicant);
    expect(message).toMatchObject({ title: '通讯员申请未通过', link: 'subpackages/newsroom/pages/apply/index' });
    expect(message!.body).toContain('请补充近期作品');
    expect(await subscribeMessagesTo(t, applicant.openid)).toEqual([]);
  });
});

describe('merchant applications and promotions', () => {
  it('a declined application carries the reason; an approved one opens the shop console', async () => {
    const [declined, approved] = [await loginAs(t, 'citizen'), await loginAs(t, 'citizen')];
    await acceptSubscriptions(t, declined, ['applicationResult']);
    const a = (await applyAs(declined, { name: `青溪茶馆${++seq}` })).body.merchant.id as string;
    const b = (await applyAs(approved, { name: `旴江照相馆${++seq}` })).body.merchant.id as string;
    await editor.agent.post(`/api/v1/merchants/${a}/decision`).send({ decision: 'decline', reason: '营业执照不清晰' }).expect(200);
    await editor.agent.post(`/api/v1/merchants/${b}/decision`).send({ decision: 'approve' }).expect(200);

    expect(await inbox(declined)).toEqual([
      expect.objectContaining({ kind: 'merchants', title: '商户入驻申请未通过', link: 'subpackages/merchants/pages/apply/index' }),
    ]);
    expect((await inbox(declined))[0]!.body).toContain('营业执照不清晰');
    const [message] = await sent(declined, 'applicationResult');
    expect(message!.data).toMatchObject({ phrase2: { value: '未通过' }, thing3: { value: '营业执照不清晰' } });

    // Approval changed the owner's roles: their old token is refused, so they sign in again.
    const owner = await loginAs(t, 'citizen', undefined, { openid: approved.openid });
    expect(await inbox(owner)).toEqual([
      expect.objectContaining({ title: '商户入驻申请已通过', link: 'subpackages/merchant/pages/index/index' }),
    ]);
    expect(await subscribeMessagesTo(t, approved.openid)).toEqual([]);
  });

  it("a promotion's review reaches the shop's owner, with the reason when rejected", async () => {
    const applicant = await loginAs(t, 'citizen');
    const merchantId = (await applyAs(applicant, { name: `城关书店${++seq}` })).body.merchant.id as string;
    await editor.agent.post(`/api/v1/merchants/${merchantId}/decision`).send({ decision: 'approve' }).expect(200);
    const owner = await loginAs(t, 'citizen', undefined, { openid: applicant.openid });
    await acceptSubscriptions(t, owner, ['reviewResult']);
    const promote = async (title: string) =>
      (await owner.agent.post(`/api/v1/merchants/${merchantId}/promotions`).send({ kind: '促销', title, body: '全场八折' }).expect(201))
        .body.promotion.id as string;
    const [good, bad] = [await promote('周末特惠'), await promote('转发有奖')];
    await editor.agent.post(`/api/v1/promotions/${good}/review`).send({ decision: 'publish' }).expect(200);
    await editor.agent.post(`/api/v1/promotions/${bad}/review`).send({ decision: 'reject', reason: '不得以转发作为领奖条件' }).expect(200);

    const link = `subpackages/merchant/pages/promotion/index?merchantId=${merchantId}`;
    const messages = (await inbox(owner)).filter((m) => m.link === link);
    expect(messages.map((m) => m.title)).toEqual(['推广未通过审核', '推广已发布']);
    expect(messages[0]!.body).toContain('不得以转发作为领奖条件');
    // One acceptance, one subscribe message: the first review used it.
    expect((await sent(owner, 'reviewResult')).map((m) => m.data.phrase2?.value)).toEqual(['已发布']);
  });
});

describe('submission reviews', () => {
  it('tells the author each time a piece is returned, and when it is rejected or approved', async () => {
    const circle = await admin.agent
      .post('/api/v1/circles')
      .send({ name: `稿件圈${++seq}`, description: '测试' })
      .expect(201);
    const circleId = circle.body.circle.id as string;
    const writer = await loginAs(t, 'correspondent', { type: 'circle', id: circleId });
    await acceptSubscriptions(t, writer, ['reviewResult'], 2);
    const piece = { body: '县人民医院的医生来到青溪镇义诊。', place: '青溪镇', copyright: 'non_exclusive', originalityStatement: true };
    const file = async (title: string) => {
      const res = await writer.agent
        .post('/api/v1/submissions')
        .send({ ...piece, title })
        .expect(201);
      const id = res.body.submission.id as string;
      await writer.agent.post(`/api/v1/submissions/${id}/submit`).send({}).expect(200);
      await editor.agent.post(`/api/v1/submissions/${id}/claim`).send({}).expect(200);
      return id;
    };
    const act = (id: string, action: string, body: object) =>
      editor.agent.post(`/api/v1/submissions/${id}/${action}`).send(body).expect(200);

    const a = await file('青溪镇冬季义诊');
    await act(a, 'return', { note: '请补充时间和人数' });
    await writer.agent.post(`/api/v1/submissions/${a}/submit`).send({}).expect(200);
    await editor.agent.post(`/api/v1/submissions/${a}/claim`).send({}).expect(200);
    await act(a, 'return', { note: '标题再具体些' });
    const b = await file('便民桥通车');
    await act(b, 'reject', { note: '与已发稿件重复' });
    const c = await file('敬老院的冬至');
    await act(c, 'approve', { grade: 'A', note: '好稿' });

    const messages = await inbox(writer);
    expect(messages.map((m) => [m.title, m.link])).toEqual([
      ['稿件已通过审核', `subpackages/newsroom/pages/piece/index?id=${c}`],
      ['稿件未被采用', `subpackages/newsroom/pages/piece/index?id=${b}`],
      ['稿件被退回修改', `subpackages/newsroom/pages/piece/index?id=${a}`],
      ['稿件被退回修改', `subpackages/newsroom/pages/piece/index?id=${a}`],
    ]);
    expect(messages[3]!.body).toContain('请补充时间和人数');
    expect(messages[2]!.body).toContain('标题再具体些');
    // Two acceptances: the first two reviews went to WeChat too, the rest in-app only.
    expect((await sent(writer, 'reviewResult')).map((m) => [m.data.phrase2?.value, m.data.thing3?.value])).toEqual([
      ['已退回', '请补充时间和人数'],
      ['已退回', '标题再具体些'],
    ]);
  });
});

describe('contest results', () => {
  it('every entrant hears once, with their placing, however often the job runs', async () => {
    const start = new Date(START.getTime() + HOUR);
    t.clock.set(START);
    const contest = await createContest(t, admin, {
      title: `四季之美${++seq}`,
      rounds: [
        { kind: 'submission', startsAt: start.toISOString() },
        { kind: 'results', startsAt: new Date(start.getTime() + DAY).toISOString() },
      ],
      awards: [{ label: '一等奖', count: 1, points: 100 }],
      maxEntriesPerPerson: 2,
    });
    const [first, second] = [await loginAs(t, 'citizen'), await loginAs(t, 'citizen')];
    await acceptSubscriptions(t, first, ['contestResult'], 2);
    t.clock.set(new Date(start.getTime() + 60_000));
    await tick(t);
    await filePhoto(t, first, contest.id, '晨雾');
    await filePhoto(t, first, contest.id, '秋收');
    await filePhoto(t, second, contest.id, '雪夜');
    t.clock.set(new Date(start.getTime() + DAY + 60_000));
    expect(await tick(t)).toBe(true);
    expect(await tick(t, 60_000)).toBe(true);

    const link = `subpackages/contests/pages/results/index?id=${contest.id}`;
    for (const who of [first, second]) {
      const messages = (await (await as(t, who)).get('/api/v1/me/messages').expect(200)).body.items as Inbox[];
      expect(messages).toEqual([expect.objectContaining({ kind: 'contests', title: `「${contest.title}」结果已公布`, link })]);
    }
    expect(await sent(first, 'contestResult')).toHaveLength(1);
    expect(await sent(second, 'contestResult')).toEqual([]);
  });
});

describe('comment replies', () => {
  async function article(): Promise<string> {
    const res = await editor.agent
      .post('/api/v1/articles')
      .send({ title: `评论通知文章${++seq}`, column: 'livelihood', body: [{ type: 'paragraph', text: '青溪镇新修的便民桥通车了。' }] });
    expect(res.status).toBe(201);
    return articleResponseSchema.parse(res.body).article.id;
  }
  const comment = async (who: LoggedIn, articleId: string, text: string, parentId?: string) =>
    (
      await who.agent
        .post(`/api/v1/articles/${articleId}/comments`)
        .send({ text, ...(parentId ? { parentId } : {}) })
        .expect(201)
    ).body.comment.id as string;

  it('tells the person a reply answers (a reply to a reply: its author), never the replier themself', async () => {
    const id = await article();
    const zhang = await loginAs(t, 'citizen', undefined, { nickname: '青溪老张' });
    const li = await loginAs(t, 'citizen', undefined, { nickname: '河畔小李' });
    await acceptSubscriptions(t, zhang, ['commentReply']);
    const top = await comment(zhang, id, '桥修得真结实！');
    await comment(zhang, id, '补充一句：晚上有路灯。', top); // to oneself: nothing
    const reply = await comment(li, id, '确实，上班近多了。', top);
    await comment(zhang, id, '是啊，早上能多睡十分钟。', reply);

    const link = `subpackages/news/pages/article/index?id=${id}`;
    expect(await inbox(zhang)).toEqual([
      expect.objectContaining({ kind: 'comments', title: '河畔小李 回复了你的评论', body: '确实，上班近多了。', link }),
    ]);
    expect(await inbox(li)).toEqual([expect.objectContaining({ title: '青溪老张 回复了你的评论', link })]);
    expect((await sent(zhang, 'commentReply')).map((m) => m.data.thing2?.value)).toEqual(['确实，上班近多了。']);
    expect(await subscribeMessagesTo(t, li.openid)).toEqual([]);
  });

  it('a held reply is announced when an editor approves it, not before', async () => {
    const id = await article();
    const zhang = await loginAs(t, 'citizen');
    const li = await loginAs(t, 'citizen', undefined, { nickname: '河畔小李' });
    const top = await comment(zhang, id, '桥修得真结实！');
    await admin.agent.put('/api/v1/comments/settings').send({ requireApproval: true }).expect(200);
    try {
      const reply = await comment(li, id, '确实，上班近多了。', top);
      expect(await inbox(zhang)).toEqual([]);
      await editor.agent.post(`/api/v1/comments/${reply}/approve`).send({}).expect(200);
      expect((await inbox(zhang)).map((m) => m.title)).toEqual(['河畔小李 回复了你的评论']);
    } finally {
      await admin.agent.put('/api/v1/comments/settings').send({ requireApproval: false }).expect(200);
    }
  });
});
