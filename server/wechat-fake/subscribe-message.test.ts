import { useWechatFake } from './test-helpers';

describe('WeChat fake: subscribeMessage.send records messages tests can read back', () => {
  const wx = useWechatFake({ templateIds: ['TPL_REVIEW_RESULT'], pages: ['pages/index/index', 'subpackages/news/pages/detail/index'] });
  let openid: string;
  beforeEach(() => {
    openid = wx.fake.control.mintLoginCode().openid;
    wx.fake.control.recordSubscriptions(openid, { TPL_REVIEW_RESULT: 'accept' });
  });
  const send = (extra: Record<string, unknown> = {}) =>
    wx.call('/cgi-bin/message/subscribe/send', {
      touser: openid,
      template_id: 'TPL_REVIEW_RESULT',
      page: 'subpackages/news/pages/detail/index?id=42',
      data: { thing1: { value: '县城新闻稿件审核通过' }, time2: { value: '2026-11-24 12:30' }, phrase3: { value: '已通过' } },
      miniprogram_state: 'formal',
      ...extra,
    });

  it('accepts a valid message and lists it for the recipient', async () => {
    expect(await send()).toMatchObject({ errcode: 0, errmsg: 'ok' });
    const res = await fetch(`${wx.fake.url}/__fake/subscribe-messages?touser=${openid}`);
    expect(await res.json()).toEqual({
      messages: [
        {
          touser: openid,
          templateId: 'TPL_REVIEW_RESULT',
          page: 'subpackages/news/pages/detail/index?id=42',
          data: { thing1: { value: '县城新闻稿件审核通过' }, time2: { value: '2026-11-24 12:30' }, phrase3: { value: '已通过' } },
          miniprogramState: 'formal',
          sentAt: expect.any(Number),
        },
      ],
    });
    await fetch(`${wx.fake.url}/__fake/subscribe-messages`, { method: 'DELETE' });
    expect(wx.fake.control.listSubscribeMessages()).toEqual([]);
  });

  it('refuses an unknown template (40037), unknown user (40003), unknown page (41030), refused user (43101)', async () => {
    expect(await send({ template_id: 'TPL_OTHER' })).toMatchObject({ errcode: 40037 });
    expect(await send({ touser: 'oNobody000000000000000000001' })).toMatchObject({ errcode: 40003 });
    expect(await send({ page: 'pages/missing/index' })).toMatchObject({ errcode: 41030 });
    wx.fake.control.failSubscribeTo({ openid, errcode: 43101 });
    expect(await send()).toMatchObject({ errcode: 43101 });
    expect(wx.fake.control.listSubscribeMessages()).toEqual([]);
  });

  it.each([
    ['thing over 20 chars', { thing1: { value: '一'.repeat(21) } }],
    ['phrase not Chinese', { phrase1: { value: 'ok' } }],
    ['phrase over 5 chars', { phrase1: { value: '审核已经通过了' } }],
    ['number with letters', { number1: { value: '12a' } }],
    ['time not a date/time', { time1: { value: 'tomorrow' } }],
    ['unknown keyword type', { foo1: { value: 'x' } }],
    ['empty value', { thing1: { value: '' } }],
    ['value not an object', { thing1: 'bare' }],
  ])('answers 47003 for %s', async (_name, data) => {
    const body = await send({ data });
    expect(body).toMatchObject({ errcode: 47003, errmsg: expect.stringContaining('argument invalid!') });
  });

  it('accepts the limits exactly', async () => {
    const data = {
      thing1: { value: '一'.repeat(20) },
      character_string2: { value: 'A'.repeat(32) },
      name3: { value: '欧阳'.repeat(5) },
      date4: { value: '2026年11月24日' },
      phone_number5: { value: '+86 138-0013-8000' },
      amount6: { value: '¥12.50' },
    };
    expect(await send({ data })).toMatchObject({ errcode: 0 });
  });

  it('sends one message per acceptance and answers 43101 without one, as WeChat does', async () => {
    expect(await send()).toMatchObject({ errcode: 0 });
    expect(await send()).toMatchObject({ errcode: 43101 });
    expect(wx.fake.control.listSubscribeMessages(openid)).toHaveLength(1);
  });

  it('records acceptances through /__fake/subscriptions (accept adds one, ban clears, reject changes nothing)', async () => {
    const post = (results: Record<string, string>) =>
      fetch(`${wx.fake.url}/__fake/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ openid, results }),
      });
    expect((await post({ TPL_REVIEW_RESULT: 'accept' })).status).toBe(200);
    expect((await post({ TPL_REVIEW_RESULT: 'reject' })).status).toBe(200);
    const read = async () =>
      ((await (await fetch(`${wx.fake.url}/__fake/subscriptions?openid=${openid}`)).json()) as { subscriptions: object }).subscriptions;
    expect(await read()).toEqual({ TPL_REVIEW_RESULT: 2 });
    expect(await send()).toMatchObject({ errcode: 0 });
    expect((await post({ TPL_REVIEW_RESULT: 'ban' })).status).toBe(200);
    expect(await send()).toMatchObject({ errcode: 43101 });
    expect((await post({ TPL_REVIEW_RESULT: 'maybe' })).status).toBe(400);
  });

  it('does not use an acceptance on a message it refuses for bad data (47003)', async () => {
    expect(await send({ data: { thing1: { value: '一'.repeat(21) } } })).toMatchObject({ errcode: 47003 });
    expect(await send()).toMatchObject({ errcode: 0 });
  });
});
