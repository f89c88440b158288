/**
 * Image uploads and image safety over HTTP: sizes and real types (magic bytes) checked, files served
 * back, and WeChat's mediaCheckAsync verdict pushed by the WeChat fake to our push URL (signed GET
 * verification, signed POST events): pass lets a piece through, review flags it, risky refuses it or
 * sends it back. This file runs its own WeChat fake (manual push mode) and serves the app on a port so
 * the fake's push reaches it, without touching the shared fake other suites use.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { submissionResponseSchema, uploadResponseSchema } from '@shared/schemas/newsroom';
import { startWechatFake, type RunningWechatFake } from '../../server/wechat-fake';
import { TEST_WECHAT, createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let t: TestContext;
let fake: RunningWechatFake;
let server: Server;
let dataDir: string;
let writer: LoggedIn;
let editor: LoggedIn;
let circleId: string;

beforeAll(async () => {
  fake = await startWechatFake({
    appId: TEST_WECHAT.appId,
    appSecret: TEST_WECHAT.appSecret,
    pushToken: TEST_WECHAT.pushToken,
    mediaPush: { mode: 'manual' },
  });
  dataDir = await mkdtemp(path.join(tmpdir(), 'newsroom-safety-'));
  const ctx = await createTestContext({ env: { WECHAT_API_BASE_URL: fake.url, DATA_DIR: dataDir } });
  t = { ...ctx, wechatUrl: fake.url };
  server = createServer(t.app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.control.setPushTarget({
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/wechat/push`,
    token: TEST_WECHAT.pushToken,
  });

  const admin = await loginAs(t, 'admin');
  circleId = (await admin.agent.post('/api/v1/circles').send({ name: '融媒+图文生产', description: '图片安全测试' })).body.circle.id;
  writer = await loginAs(t, 'correspondent', { type: 'circle', id: circleId });
  editor = await loginAs(t, 'editor');
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
  await fake.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Uploads the PNG; WeChat's verdict for it will be `suggest` (decided when the check starts). */
async function upload(suggest: 'pass' | 'review' | 'risky') {
  fake.control.setMediaOutcomes([{ match: '/api/v1/files/', suggest }]);
  const res = await writer.agent.post('/api/v1/files').attach('file', PNG, { filename: 'photo.png', contentType: 'image/png' });
  expect(res.status).toBe(201);
  const file = uploadResponseSchema.parse(res.body).file;
  const check = fake.control.listMediaChecks().find((c) => c.mediaUrl === file.url);
  if (!check) throw new Error('no media check was started for the upload');
  return { file, traceId: check.traceId };
}

async function push(traceId: string) {
  const [record] = await fake.control.pushMediaResults(traceId);
  expect(record).toMatchObject({ status: 'delivered', pushHttpStatus: 200 });
}

async function filed(imageIds: string[]) {
  const res = await writer.agent
    .post('/api/v1/submissions')
    .send({ title: '云岭红叶', body: '云岭乡的红叶进入最佳观赏期。', imageIds, copyright: 'exclusive', originalityStatement: true });
  expect(res.status).toBe(201);
  return res.body.submission.id as string;
}
const view = async (id: string) => submissionResponseSchema.parse((await writer.agent.get(`/api/v1/submissions/${id}`)).body).submission;

describe('uploads', () => {
  it('stores an image checked by its bytes and serves it back with its type', async () => {
    const { file } = await upload('pass');
    expect(file).toMatchObject({ contentType: 'image/png', size: PNG.length, safety: 'pending' });
    const res = await t.request.get(new URL(file.url).pathname);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(res.body as Buffer, PNG)).toBe(0);
    const raw = await writer.agent.post('/api/v1/files').set('content-type', 'image/png').send(PNG);
    expect(raw.status).toBe(201);
  });

  it('refuses files that are not images whatever they claim, oversized files, and anonymous uploads', async () => {
    const fakePng = await writer.agent
      .post('/api/v1/files')
      .attach('file', Buffer.from('<script>alert(1)</script>'), { filename: 'x.png', contentType: 'image/png' });
    expect(fakePng.status).toBe(400);
    expect(fakePng.body.error.code).toBe('FILE_TYPE_UNSUPPORTED');
    const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]);
    const tooBig = await writer.agent.post('/api/v1/files').attach('file', big, { filename: 'big.png', contentType: 'image/png' });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('FILE_TOO_LARGE');
    expect((await t.request.post('/api/v1/files').attach('file', PNG, 'a.png')).status).toBe(401);
    expect((await t.request.get('/api/v1/files/..%2F..%2Fetc%2Fpasswd')).status).toBe(400);
  });

  it('answers 400 to a multipart body cut off inside the file, and keeps serving (the unheard stream error crashed the process)', async () => {
    const cut = await writer.agent
      .post('/api/v1/files')
      .set('content-type', 'multipart/form-data; boundary=zz')
      .send('--zz\r\nContent-Disposition: form-data; name="file"; filename="x.png"\r\nContent-Type: image/png\r\n\r\nGIF89a');
    expect(cut.status).toBe(400);
    expect(cut.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: '上传内容格式有误' });
    expect((await t.request.get('/healthz')).status).toBe(200);
  });

  it('refuses someone else’s images in a piece', async () => {
    const { file } = await upload('pass');
    const other = await loginAs(t, 'correspondent', { type: 'circle', id: circleId });
    const res = await other.agent.post('/api/v1/submissions').send({ title: '借图', imageIds: [file.id] });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('FILE_NOT_FOUND');
  });
});

describe('the push URL', () => {
  it('passes the console’s signed verification and refuses unsigned or wrongly signed pushes', async () => {
    expect(await fake.control.verifyPushUrl()).toMatchObject({ ok: true });
    const bad = await t.request
      .post('/api/v1/wechat/push')
      .query({ signature: '0'.repeat(40), timestamp: '1700000000', nonce: '12345' })
      .send({ Event: 'wxa_media_check' });
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('PUSH_SIGNATURE_INVALID');
    expect((await t.request.post('/api/v1/wechat/push').send({})).status).toBe(400);
  });
});

describe('image verdicts pushed by WeChat', () => {
  it('pass: the piece waits for the verdict, then can be approved', async () => {
    const { file, traceId } = await upload('pass');
    const id = await filed([file.id]);
    await writer.agent.post(`/api/v1/submissions/${id}/submit`).expect(200);
    await editor.agent.post(`/api/v1/submissions/${id}/claim`).expect(200);
    const early = await editor.agent.post(`/api/v1/submissions/${id}/approve`).send({ grade: 'B' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('CONTENT_CHECK_PENDING');
    await push(traceId);
    expect((await view(id)).images[0]).toMatchObject({ id: file.id, safety: 'pass' });
    await editor.agent.post(`/api/v1/submissions/${id}/approve`).send({ grade: 'B' }).expect(200);
  });

  it('review: the piece under review is flagged for the editor', async () => {
    const { file, traceId } = await upload('review');
    const id = await filed([file.id]);
    await writer.agent.post(`/api/v1/submissions/${id}/submit`).expect(200);
    expect((await view(id)).flagged).toBe(false);
    await push(traceId);
    const after = await view(id);
    expect(after).toMatchObject({ state: 'submitted', flagged: true });
    expect(after.images[0]?.safety).toBe('review');
  });

  it('risky after submitting: the piece goes back to its author with the reason, and the image is no longer served', async () => {
    const { file, traceId } = await upload('risky');
    const id = await filed([file.id]);
    await writer.agent.post(`/api/v1/submissions/${id}/submit`).expect(200);
    await push(traceId);
    const after = await view(id);
    expect(after.state).toBe('returned');
    expect(after.timeline.at(-1)).toMatchObject({
      action: 'return',
      by: null,
      byName: '内容安全检测',
      note: expect.stringContaining('图片未通过安全检测'),
    });
    expect((await t.request.get(new URL(file.url).pathname)).status).toBe(404);
  });

  it('risky before submitting: the submission is refused with the offending image', async () => {
    const { file, traceId } = await upload('risky');
    await push(traceId);
    const id = await filed([file.id]);
    const res = await writer.agent.post(`/api/v1/submissions/${id}/submit`);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'CONTENT_RISKY', details: { part: 'images', imageIds: [file.id] } });
    expect((await view(id)).state).toBe('draft');
  });
});
