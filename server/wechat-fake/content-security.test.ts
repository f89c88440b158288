import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { useWechatFake } from './test-helpers';

interface Received {
  query: URLSearchParams;
  body: Record<string, unknown>;
}

describe('WeChat fake: msgSecCheck v2 and mediaCheckAsync with pushes to our server', () => {
  const wx = useWechatFake({ pushToken: 'AAAAA' });
  let receiver: Server;
  let received: Received[] = [];
  let receiverStatus = 200;
  let openid: string;

  beforeAll(async () => {
    receiver = createServer((req: IncomingMessage, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => {
        if (req.method === 'GET') {
          const q = new URL(req.url ?? '/', 'http://x').searchParams;
          const signed = sha1Sorted(['AAAAA', q.get('timestamp') ?? '', q.get('nonce') ?? '']) === q.get('signature');
          res.end(signed ? q.get('echostr') : 'bad signature');
          return;
        }
        received.push({ query: new URL(req.url ?? '/', 'http://x').searchParams, body: JSON.parse(raw) as Record<string, unknown> });
        res.statusCode = receiverStatus;
        res.end('success');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });
  beforeEach(async () => {
    received = [];
    receiverStatus = 200;
    openid = wx.fake.control.mintLoginCode().openid;
    await wx.put('/__fake/push-target', { url: pushUrl(), token: 'AAAAA' });
  });

  const pushUrl = () => `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/v1/wechat/push`;
  const check = (content: string, extra: Record<string, unknown> = {}) =>
    wx.call('/wxa/msg_sec_check', { version: 2, openid, scene: 2, content, ...extra });

  it('passes clean text with label 100 and the documented result/detail shape', async () => {
    expect(await check('今天社区组织了义诊活动')).toEqual({
      errcode: 0,
      errmsg: 'ok',
      trace_id: expect.any(String),
      result: { suggest: 'pass', label: 100 },
      detail: [
        { strategy: 'content_model', errcode: 0, suggest: 'pass', label: 100, prob: 0 },
        { strategy: 'keyword', errcode: 0 },
      ],
    });
  });

  it('flags configured risky and review words (also in the title), risky winning over review', async () => {
    await wx.put('/__fake/sec-words', { risky: { 违禁词: 20001 }, review: { 推广: 10001 } });
    expect(await check('欢迎推广')).toMatchObject({ errcode: 0, result: { suggest: 'review', label: 10001 } });
    const risky = await check('推广', { title: '含违禁词的标题' });
    expect(risky).toMatchObject({ errcode: 0, result: { suggest: 'risky', label: 20001 } });
    expect((risky.detail as unknown[])[1]).toMatchObject({ strategy: 'keyword', keyword: '违禁词' });
  });

  it('validates openid (40003), scene (40129), empty content (44002) and version (47001)', async () => {
    expect(await check('x', { openid: 'oNeverSeen000000000000000001' })).toMatchObject({ errcode: 40003 });
    expect(await check('x', { scene: 9 })).toMatchObject({ errcode: 40129 });
    expect(await check('')).toMatchObject({ errcode: 44002 });
    expect(await check('x', { version: 1 })).toMatchObject({ errcode: 47001 });
    expect(await check('长'.repeat(2501))).toMatchObject({ errcode: 47001 });
  });

  const submitMedia = (mediaUrl: string) =>
    wx.call('/wxa/media_check_async', { media_url: mediaUrl, media_type: 2, version: 2, openid, scene: 3 });

  it('answers trace_id, then pushes a signed wxa_media_check event with the configured outcome', async () => {
    await wx.put('/__fake/media-push-mode', { mode: 'manual' });
    await wx.put('/__fake/media-outcomes', {
      rules: [
        { match: 'bad', suggest: 'risky', label: 20002 },
        { match: 'hmm', suggest: 'review', labelAsString: true },
      ],
    });
    const risky = await submitMedia('https://cdn.example.test/bad.jpg');
    expect(risky).toEqual({ errcode: 0, errmsg: 'ok', trace_id: expect.any(String) });
    const review = await submitMedia('https://cdn.example.test/hmm.png');
    const clean = await submitMedia('https://cdn.example.test/ok.png');
    expect(received).toHaveLength(0);

    const pushed = (await (await wx.post('/__fake/media-checks/push', {})).json()) as { pushed: { status: string }[] };
    expect(pushed.pushed.map((p) => p.status)).toEqual(['delivered', 'delivered', 'delivered']);
    const byTrace = new Map(received.map((r) => [r.body.trace_id, r]));
    expect(byTrace.get(risky.trace_id)?.body).toMatchObject({
      MsgType: 'event',
      Event: 'wxa_media_check',
      appid: 'wx_test_appid',
      version: 2,
      result: { suggest: 'risky', label: 20002 },
      detail: [{ strategy: 'content_model', suggest: 'risky', label: 20002 }],
    });
    expect(byTrace.get(review.trace_id)?.body.result).toEqual({ suggest: 'review', label: '21000' });
    expect(byTrace.get(clean.trace_id)?.body.result).toEqual({ suggest: 'pass', label: 100 });

    const { query } = received[0]!;
    expect(query.get('signature')).toBe(sha1Sorted(['AAAAA', query.get('timestamp')!, query.get('nonce')!]));
  });

  it('pushes on its own in immediate mode and records a failed delivery for a later retry', async () => {
    receiverStatus = 500;
    const { trace_id } = await submitMedia('https://cdn.example.test/a.jpg');
    await waitFor(() => wx.fake.control.listMediaChecks().find((c) => c.traceId === trace_id)?.status === 'failed');
    expect(received).toHaveLength(1);
    receiverStatus = 200;
    const [retried] = await wx.fake.control.pushMediaResults(trace_id as string);
    expect(retried).toMatchObject({ status: 'delivered', pushHttpStatus: 200 });
  });

  it('holds a delayed push until its delay, and an explicit push delivers it once', async () => {
    await wx.put('/__fake/media-push-mode', { mode: 'delayed', delayMs: 600_000 });
    const { trace_id } = await submitMedia('https://cdn.example.test/later.jpg');
    expect(wx.fake.control.listMediaChecks()).toEqual([expect.objectContaining({ traceId: trace_id, status: 'pending' })]);
    const listed = (await (await fetch(`${wx.fake.url}/__fake/media-checks`)).json()) as { checks: { traceId: string }[] };
    expect(listed.checks.map((c) => c.traceId)).toEqual([trace_id]);
    const pushed = (await (await wx.post('/__fake/media-checks/push', { traceId: trace_id })).json()) as { pushed: unknown[] };
    expect(pushed.pushed).toEqual([expect.objectContaining({ traceId: trace_id, status: 'delivered' })]);
    expect(await wx.fake.control.pushMediaResults()).toEqual([]);
    expect(received).toHaveLength(1);
  });

  it('verifies the push URL with a signed GET whose echostr must come back', async () => {
    expect(await (await wx.post('/__fake/verify-push-url', {})).json()).toMatchObject({ ok: true, status: 200 });
    await wx.put('/__fake/push-target', { url: `${pushUrl()}`, token: 'OTHER' });
    expect(await wx.fake.control.verifyPushUrl()).toMatchObject({ ok: false, body: 'bad signature' });
  });

  it('validates media_url, media_type, openid and scene', async () => {
    const base = { media_url: 'https://x.test/a.png', media_type: 2, version: 2, openid, scene: 1 };
    expect(await wx.call('/wxa/media_check_async', { ...base, media_url: 'ftp://x' })).toMatchObject({ errcode: 47001 });
    expect(await wx.call('/wxa/media_check_async', { ...base, media_type: 3 })).toMatchObject({ errcode: 47001 });
    expect(await wx.call('/wxa/media_check_async', { ...base, openid: 'oUnknown00000000000000000001' })).toMatchObject({ errcode: 40003 });
    expect(await wx.call('/wxa/media_check_async', { ...base, scene: 0 })).toMatchObject({ errcode: 40129 });
  });
});

const sha1Sorted = (parts: string[]) => createHash('sha1').update(parts.sort().join('')).digest('hex');

/** Polls a condition the fake reaches asynchronously (its push runs after the response). */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}
