/**
 * Topic campaigns over HTTP on the real stack: only admins launch (bad dates, unknown circles and a
 * taken tag refused); launch raises one notice per correspondent of the target circles (in-app for all, a
 * subscribe message through the WeChat fake to those who accepted one) and none to other circles, counting those
 * with no subscription; the campaign
 * page lists approved pieces carrying the tag with live figures (pieces, participants, reads); the bonus
 * job pays each approved piece's bonus through the ledger once.
 */
import { campaignPageResponseSchema, launchCampaignResponseSchema } from '@shared/schemas/campaigns';
import { submissionResponseSchema } from '@shared/schemas/newsroom';
import { runJobSlot } from '../../server/src/jobs';
import { campaignsBonusJob } from '../../server/src/jobs/campaigns-bonus.job';
import { acceptSubscriptions, createTestContext, failSubscribeSends, loginAs, type LoggedIn, type TestContext } from '../harness';

let t: TestContext;
let admin: LoggedIn;
let editor: LoggedIn;
const START = new Date('2026-03-01T02:00:00Z');
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestContext({ now: START });
  admin = await loginAs(t, 'admin');
  editor = await loginAs(t, 'editor');
});
afterAll(() => t.close());

let seq = 0;
async function circle(): Promise<string> {
  const res = await admin.agent.post('/api/v1/circles').send({ name: `专题测试圈${++seq}`, description: '融媒+' });
  expect(res.status).toBe(201);
  return res.body.circle.id as string;
}
const correspondent = (circleId: string, nickname = `通讯员${++seq}`) =>
  loginAs(t, 'correspondent', { type: 'circle', id: circleId }, { nickname });

async function messagesTo(openid: string): Promise<Array<{ templateId: string; page?: string; data: Record<string, { value: string }> }>> {
  const res = await fetch(`${t.wechatUrl}/__fake/subscribe-messages?touser=${openid}`);
  return ((await res.json()) as { messages: Array<{ templateId: string; page?: string; data: Record<string, { value: string }> }> })
    .messages;
}

const launchBody = (over: Record<string, unknown> = {}) => ({
  title: '春三月',
  description: '记录古蔺的春天：花、茶、农忙。',
  tag: `春三月${++seq}`,
  startsAt: START.toISOString(),
  endsAt: new Date(START.getTime() + 30 * DAY).toISOString(),
  bonusPoints: 15,
  ...over,
});

describe('launching a campaign', () => {
  it('is for admins only and refuses bad dates, unknown circles and a taken tag', async () => {
    const writer = await loginAs(t, 'correspondent');
    expect((await writer.agent.post('/api/v1/campaigns').send(launchBody())).status).toBe(403);
    const backwards = await admin.agent
      .post('/api/v1/campaigns')
      .send(launchBody({ endsAt: new Date(START.getTime() - DAY).toISOString() }));
    expect(backwards.status).toBe(400);
    // A blank tag is refused in words the console shows under the field.
    const blankTag = await admin.agent.post('/api/v1/campaigns').send(launchBody({ tag: '  ' }));
    expect(blankTag.status).toBe(400);
    expect(blankTag.body.error.details.issues).toEqual([expect.objectContaining({ path: 'tag', message: '投稿话题不能为空' })]);
    const unknown = await admin.agent.post('/api/v1/campaigns').send(launchBody({ targetCircleIds: ['65f000000000000000000009'] }));
    expect(unknown.status).toBe(404);
    const body = launchBody();
    await admin.agent.post('/api/v1/campaigns').send(body).expect(201);
    const again = await admin.agent.post('/api/v1/campaigns').send({ ...body, title: '另一个' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CAMPAIGN_TAG_TAKEN');
  });

  it("notifies the target circles' correspondents once each, and nobody else", async () => {
    const [a, b, other] = [await circle(), await circle(), await circle()];
    const inA = [await correspondent(a), await correspondent(a)];
    const inB = await correspondent(b);
    const outsider = await correspondent(other);
    const refusing = await correspondent(b);
    const unasked = await correspondent(b);
    for (const who of [...inA, inB, outsider, refusing]) await acceptSubscriptions(t, who, ['campaignLaunch']);
    // WeChat no longer holds this one's acceptance: its send answers 43101 (per openid, so no other suite sees it).
    await failSubscribeSends(t, refusing.openid, 43101);
    const res = await admin.agent.post('/api/v1/campaigns').send(launchBody({ targetCircleIds: [a, b] }));
    expect(res.status).toBe(201);
    const launched = launchCampaignResponseSchema.parse(res.body);
    // The refusing one (WeChat says 43101) and the one who never accepted get no subscribe message.
    expect(launched).toMatchObject({ notified: 3, notSubscribed: 2 });
    for (const who of [...inA, inB]) {
      const msgs = await messagesTo(who.openid);
      expect(msgs).toHaveLength(1);
      expect(msgs[0]).toMatchObject({
        templateId: t.deps.config.templates.campaignLaunch,
        page: `subpackages/campaigns/pages/detail/index?id=${launched.campaign.id}`,
        data: { thing1: { value: '春三月' } },
      });
    }
    expect(await messagesTo(outsider.openid)).toEqual([]);
    expect(await messagesTo(refusing.openid)).toEqual([]);
    expect(await messagesTo(unasked.openid)).toEqual([]);
    // Everyone in the target circles finds the launch in the message centre, with the campaign's link.
    for (const who of [...inA, inB, refusing, unasked]) {
      const inbox = await who.agent.get('/api/v1/me/messages').expect(200);
      expect(inbox.body.items).toEqual([
        expect.objectContaining({ kind: 'campaigns', link: `subpackages/campaigns/pages/detail/index?id=${launched.campaign.id}` }),
      ]);
    }
    expect((await outsider.agent.get('/api/v1/me/messages').expect(200)).body.items).toEqual([]);
  });
});

describe('the campaign page and bonuses', () => {
  it('shows approved pieces with the tag and live figures, and pays each bonus once', async () => {
    const circleId = await circle();
    const launched = launchCampaignResponseSchema.parse(
      (
        await admin.agent
          .post('/api/v1/campaigns')
          .send(launchBody({ targetCircleIds: [circleId], bonusPoints: 15 }))
          .expect(201)
      ).body,
    );
    const { id, tag } = launched.campaign;
    const [w1, w2] = [await correspondent(circleId, '写手甲'), await correspondent(circleId, '写手乙')];

    async function piece(writer: LoggedIn, title: string, campaign: string, approve: boolean) {
      const created = await writer.agent.post('/api/v1/submissions').send({
        title,
        body: '古蔺的春天，茶山一片新绿。',
        campaign,
        copyright: 'non_exclusive',
        originalityStatement: true,
      });
      const s = submissionResponseSchema.parse(created.body).submission;
      await writer.agent.post(`/api/v1/submissions/${s.id}/submit`).expect(200);
      if (approve) {
        await editor.agent.post(`/api/v1/submissions/${s.id}/claim`).expect(200);
        await editor.agent.post(`/api/v1/submissions/${s.id}/approve`).send({ grade: 'B' }).expect(200);
      }
      return s.id;
    }
    const p1 = await piece(w1, '茶山新绿', tag, true);
    const p2 = await piece(w2, '油菜花开', tag, true);
    await piece(w1, '还在审核', tag, false);
    await piece(w2, '别的话题', '别的话题', true);

    // One piece is published and read three times.
    const published = await editor.agent.post(`/api/v1/submissions/${p1}/publish`).send({}).expect(200);
    const articleId = published.body.submission.articleId as string;
    for (let i = 0; i < 3; i += 1) await (await loginAs(t, 'citizen')).agent.post(`/api/v1/articles/${articleId}/read`).expect(200);

    const page = campaignPageResponseSchema.parse((await t.request.get(`/api/v1/campaigns/${id}`).expect(200)).body);
    expect(page.figures).toEqual({ pieces: 2, participants: 2, reads: 3 });
    expect(page.pieces.map((p) => p.id).sort()).toEqual([p1, p2].sort());
    expect(page.pieces.find((p) => p.id === p1)).toMatchObject({ title: '茶山新绿', authorName: '写手甲', articleId });
    expect(page.campaign.status).toBe('running');

    const bonusOf = async (who: LoggedIn) => {
      const res = await who.agent.get('/api/v1/me/points/ledger').expect(200);
      return (res.body.items as Array<{ reason: string; amount: number }>).filter((i) => i.reason.includes('稿件加分'));
    };
    await runJobSlot(t, campaignsBonusJob, t.clock.now());
    await runJobSlot(t, campaignsBonusJob, new Date(t.clock.now().getTime() + 300_000));
    expect(await bonusOf(w1)).toEqual([expect.objectContaining({ amount: 15, reason: expect.stringContaining('茶山新绿') })]);
    expect(await bonusOf(w2)).toEqual([expect.objectContaining({ amount: 15 })]);
  });

  it('answers CAMPAIGN_NOT_FOUND for an unknown campaign', async () => {
    const res = await t.request.get('/api/v1/campaigns/65f000000000000000000009');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('CAMPAIGN_NOT_FOUND');
  });
});
