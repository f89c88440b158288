/**
 * Video in articles over HTTP: an editor uploads an MP4 (the seed's own), which is served back whole or by byte
 * range (what phone players ask for); a resident's MP4 is refused (WeChat's check here is for pictures); an
 * article whose body holds the video carries it on its feed card, the cover as poster, and in its body.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { articleResponseSchema, feedResponseSchema, uploadResponseSchema } from '@shared/schemas/newsroom';
import { byteRange } from '../../server/src/modules/storage/storage.routes';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';

const MP4 = readFileSync(path.join(__dirname, '..', '..', 'scripts', 'seed', 'images', 'video-0.mp4'));
const POSTER = readFileSync(path.join(__dirname, '..', '..', 'scripts', 'seed', 'images', 'video-0.png'));

let t: TestContext;
let editor: LoggedIn;

beforeAll(async () => {
  t = await createTestContext();
  editor = await loginAs(t, 'editor');
});
afterAll(() => t.close());

const upload = (who: LoggedIn, data: Buffer, name: string, type: string) =>
  who.agent.post('/api/v1/files').attach('file', data, { filename: name, contentType: type });

describe('video in articles', () => {
  it('takes an editor’s MP4, serves it whole and by byte range, and refuses a resident’s', async () => {
    const res = await upload(editor, MP4, 'clip.mp4', 'video/mp4');
    expect(res.status).toBe(201);
    const { file } = uploadResponseSchema.parse(res.body);
    expect(file.contentType).toBe('video/mp4');
    expect(file.url).toMatch(/\/api\/v1\/files\/[0-9a-f]{24}\.mp4$/);
    const at = new URL(file.url).pathname;

    const whole = await t.request.get(at).buffer(true);
    expect(whole.status).toBe(200);
    expect(whole.headers['content-type']).toBe('video/mp4');
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(Buffer.compare(whole.body as Buffer, MP4)).toBe(0);

    const part = await t.request.get(at).set('Range', 'bytes=0-99').buffer(true);
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-99/${MP4.length}`);
    expect(Buffer.compare(part.body as Buffer, MP4.subarray(0, 100))).toBe(0);
    const tail = await t.request.get(at).set('Range', 'bytes=-10').buffer(true);
    expect(tail.status).toBe(206);
    expect(Buffer.compare(tail.body as Buffer, MP4.subarray(MP4.length - 10))).toBe(0);
    const past = await t.request.get(at).set('Range', `bytes=${MP4.length}-`);
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${MP4.length}`);

    const resident = await loginAs(t, 'citizen');
    const refused = await upload(resident, MP4, 'clip.mp4', 'video/mp4');
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('FILE_TYPE_UNSUPPORTED');
  });

  it('puts the body’s video on the feed card with the cover as its poster', async () => {
    const video = uploadResponseSchema.parse((await upload(editor, MP4, 'clip.mp4', 'video/mp4')).body).file;
    const poster = uploadResponseSchema.parse((await upload(editor, POSTER, 'poster.png', 'image/png')).body).file;
    const videoPath = new URL(video.url).pathname;
    const created = await editor.agent.post('/api/v1/articles').send({
      title: '视频｜云岭红叶层林尽染',
      column: 'culture',
      cover: poster.url,
      body: [
        { type: 'video', url: videoPath },
        { type: 'paragraph', text: '云岭乡的红叶进入最佳观赏期。' },
      ],
    });
    expect(created.status).toBe(201);
    const article = articleResponseSchema.parse(created.body).article;
    expect(article.video).toBe(videoPath);
    expect(article.body[0]).toEqual({ type: 'video', url: videoPath });

    const feed = feedResponseSchema.parse((await t.request.get('/api/v1/feed').query({ column: 'culture' })).body);
    const card = feed.items.find((c) => c.id === article.id)!;
    expect(card).toMatchObject({ video: videoPath, cover: poster.url });
    // An edit of the body moves the card with it: the video taken out, the card has none.
    const edited = await editor.agent
      .patch(`/api/v1/articles/${article.id}`)
      .send({ body: [{ type: 'paragraph', text: '云岭乡的红叶进入最佳观赏期。' }] });
    expect(edited.status).toBe(200);
    const after = feedResponseSchema.parse((await t.request.get('/api/v1/feed').query({ column: 'culture' })).body);
    expect(after.items.find((c) => c.id === article.id)!.video).toBeNull();
    // Articles without a video say so.
    const plain = await editor.agent
      .post('/api/v1/articles')
      .send({ title: '没有视频的文章', column: 'culture', body: [{ type: 'paragraph', text: '只有文字。' }] });
    expect(articleResponseSchema.parse(plain.body).article.video).toBeNull();
    // A video block must point at a file of ours or an https address.
    const bad = await editor.agent
      .post('/api/v1/articles')
      .send({ title: '坏链接', column: 'culture', body: [{ type: 'video', url: 'javascript:alert(1)' }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain('视频链接无效');
  });
});

describe('byteRange', () => {
  it('reads one byte range and leaves anything else to a whole answer', () => {
    expect(byteRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(byteRange('bytes=900-', 1000)).toEqual({ start: 900, end: 999 });
    expect(byteRange('bytes=900-5000', 1000)).toEqual({ start: 900, end: 999 });
    expect(byteRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(byteRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(byteRange('', 1000)).toBeNull();
    expect(byteRange('bytes=0-1,5-9', 1000)).toBeNull();
    expect(byteRange('bytes=9-1', 1000)).toBeNull();
  });
});
