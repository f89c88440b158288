/**
 * 商户入驻's licence photo over HTTP: an application needs one (400 naming the field, in Chinese), it must be
 * the applicant's own upload (someone else's file id → FILE_NOT_FOUND, nothing filed), and its URL is shown
 * to the applicant and the reviewing editors only: never to the shop's clerks, on the public shop page or in
 * the directory. A declined applicant sends the same photo again.
 */
import {
  merchantApplicationPageSchema,
  merchantDetailListResponseSchema,
  merchantListResponseSchema,
  merchantResponseSchema,
} from '@shared/schemas/merchants';
import { Types } from 'mongoose';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { applyAs, licencePhotoOf, shopBody, uploadPng } from './coupons-fixtures';

let t: TestContext;
let editor: LoggedIn;

beforeAll(async () => {
  t = await createTestContext({ now: '2026-12-07T02:00:00Z' });
  editor = await loginAs(t, 'editor');
});
afterAll(() => t.close());

const APPLY = '/api/v1/merchants/applications';
/** A licence photo's URL as allowed viewers get it: signed, valid for ten minutes. */
const signedUrlOf = (fileId: string) => new RegExp(`/api/v1/files/${fileId}\\.png\\?exp=\\d+&sig=[0-9a-f]{64}$`);
/** Path and query of a URL the API handed out (absolute or not), for supertest. */
const pathOf = (url: string) => {
  const u = new URL(url, 'http://api.invalid');
  return `${u.pathname}${u.search}`;
};
const issuesOf = (body: { error: { details: { issues: Array<{ path: string; message: string }> } } }) => body.error.details.issues;

describe('the licence photo an application carries', () => {
  it('is required: a missing or malformed one is refused with the field and a Chinese message', async () => {
    const me = await loginAs(t, 'citizen');
    const missing = await me.agent.post(APPLY).send(shopBody()).expect(400);
    expect(missing.body.error.code).toBe('VALIDATION_FAILED');
    expect(issuesOf(missing.body)).toEqual([expect.objectContaining({ path: 'licencePhotoFileId', message: '请上传营业执照照片' })]);
    const malformed = await me.agent
      .post(APPLY)
      .send(shopBody({ licencePhotoFileId: '/api/v1/files/x.png' }))
      .expect(400);
    expect(issuesOf(malformed.body)).toEqual([expect.objectContaining({ path: 'licencePhotoFileId', message: '请上传营业执照照片' })]);
    expect(merchantDetailListResponseSchema.parse((await me.agent.get('/api/v1/merchants/mine').expect(200)).body).items).toEqual([]);
  });

  it("must be the applicant's own upload: someone else's file or an unknown id is FILE_NOT_FOUND and nothing is filed", async () => {
    const me = await loginAs(t, 'citizen');
    const someoneElse = await loginAs(t, 'citizen');
    const theirs = await licencePhotoOf(someoneElse);
    const borrowed = await me.agent
      .post(APPLY)
      .send(shopBody({ licencePhotoFileId: theirs }))
      .expect(404);
    expect(borrowed.body.error).toMatchObject({ code: 'FILE_NOT_FOUND', details: { field: 'licencePhotoFileId' } });
    expect(borrowed.body.error.message).toMatch(/营业执照照片/);
    const unknown = await me.agent
      .post(APPLY)
      .send(shopBody({ licencePhotoFileId: new Types.ObjectId().toHexString() }))
      .expect(404);
    expect(unknown.body.error.code).toBe('FILE_NOT_FOUND');
    expect(merchantDetailListResponseSchema.parse((await me.agent.get('/api/v1/merchants/mine').expect(200)).body).items).toEqual([]);
    // The owner of the file may use it.
    expect((await someoneElse.agent.post(APPLY).send(shopBody({ licencePhotoFileId: theirs }))).status).toBe(201);
  });
});

describe('who sees the licence photo', () => {
  it('the applicant and the reviewing editor; not clerks, the public shop page or the directory', async () => {
    const applicant = await loginAs(t, 'citizen');
    const fileId = await licencePhotoOf(applicant);
    const applied = await applicant.agent
      .post(APPLY)
      .send(shopBody({ name: '执照可见测试店', licencePhotoFileId: fileId }))
      .expect(201);
    const mine = merchantResponseSchema.parse(applied.body).merchant;
    expect(mine.licencePhoto).toEqual({ fileId, url: expect.stringMatching(signedUrlOf(fileId)) });
    const url = mine.licencePhoto!.url;
    // The stored doc holds the id (the URL is resolved when read).
    const stored = await t.services.merchants.mine({ id: applicant.user.id, roles: [] });
    expect(stored[0]?.licencePhoto?.fileId).toBe(fileId);

    const listed = merchantDetailListResponseSchema.parse((await applicant.agent.get('/api/v1/merchants/mine').expect(200)).body).items;
    expect(listed[0]?.licencePhoto).toEqual({ fileId, url });

    const queue = merchantApplicationPageSchema.parse((await editor.agent.get(`${APPLY}?limit=100`).expect(200)).body).items;
    expect(queue.find((m) => m.id === mine.id)?.licencePhoto).toEqual({ fileId, url });
    // Another citizen can't read the queue at all.
    await (await loginAs(t, 'citizen')).agent.get(APPLY).expect(403);

    const approved = await editor.agent.post(`/api/v1/merchants/${mine.id}/decision`).send({ decision: 'approve' }).expect(200);
    expect(approved.body.merchant.licencePhoto).toEqual({ fileId, url });

    // The public shop page and the directory: no licence, for anyone (the owner and editors included).
    const owner = await loginAs(t, 'citizen', undefined, { openid: applicant.openid });
    for (const who of [t.request, owner.agent, editor.agent, (await loginAs(t, 'citizen')).agent]) {
      const page = (await who.get(`/api/v1/merchants/${mine.id}`).expect(200)).body as { merchant: Record<string, unknown> };
      expect(page.merchant).toMatchObject({ id: mine.id, name: '执照可见测试店' });
      expect(page.merchant).not.toHaveProperty('licencePhoto');
      expect(JSON.stringify(page)).not.toContain(fileId);
    }
    const directory = await t.request.get(`/api/v1/merchants?q=${encodeURIComponent('执照可见测试店')}`).expect(200);
    expect(merchantListResponseSchema.parse(directory.body).items.map((m) => m.id)).toEqual([mine.id]);
    expect(JSON.stringify(directory.body)).not.toContain(fileId);

    // A clerk runs the shop but does not see the owner's licence photo.
    const invite = await owner.agent.post(`/api/v1/merchants/${mine.id}/clerk-invites`).expect(201);
    const clerk = await loginAs(t, 'citizen');
    const joined = await clerk.agent.post('/api/v1/merchants/clerk-invites/accept').send({ code: invite.body.code }).expect(200);
    expect(joined.body.merchant).toMatchObject({ id: mine.id, licenceNo: mine.licenceNo });
    expect(joined.body.merchant).not.toHaveProperty('licencePhoto');
    const clerkAgain = await loginAs(t, 'citizen', undefined, { openid: clerk.openid });
    const clerkMine = merchantDetailListResponseSchema.parse((await clerkAgain.agent.get('/api/v1/merchants/mine').expect(200)).body);
    expect(clerkMine.items.map((m) => m.id)).toEqual([mine.id]);
    expect(clerkMine.items[0]).not.toHaveProperty('licencePhoto');
    // The owner still sees it on their application.
    const ownerMine = merchantDetailListResponseSchema.parse((await owner.agent.get('/api/v1/merchants/mine').expect(200)).body);
    expect(ownerMine.items[0]?.licencePhoto).toEqual({ fileId, url });
  });

  it('a declined applicant applies again with the same photo', async () => {
    const me = await loginAs(t, 'citizen');
    const first = await applyAs(me, { name: '重新申请测试店' });
    expect(first.status).toBe(201);
    const { fileId } = first.body.merchant.licencePhoto as { fileId: string };
    await editor.agent
      .post(`/api/v1/merchants/${first.body.merchant.id}/decision`)
      .send({ decision: 'decline', reason: '营业执照照片不清晰' })
      .expect(200);
    const again = await me.agent
      .post(APPLY)
      .send(shopBody({ name: '重新申请测试店', licencePhotoFileId: fileId }))
      .expect(201);
    expect(again.body.merchant).toMatchObject({ state: 'pending', licencePhoto: { fileId } });
    expect(again.body.merchant.id).not.toBe(first.body.merchant.id);
  });
});

describe('the licence file itself: private, read through a short-lived signed URL', () => {
  it("the plain file URL is 404 for anyone; the signed URL in the applicant's and editor's views serves it", async () => {
    const applicant = await loginAs(t, 'citizen');
    const upload = await uploadPng(applicant, '?purpose=licence');
    // The upload answers a signed URL (the form's preview) and the file is private from the start.
    expect(upload.url).toMatch(signedUrlOf(upload.id));
    const plain = `/api/v1/files/${upload.id}.png`;
    for (const who of [t.request, applicant.agent, editor.agent]) {
      const res = await who.get(plain).expect(404);
      expect(res.body.error.code).toBe('FILE_NOT_FOUND');
    }
    const preview = await t.request.get(pathOf(upload.url)).expect(200);
    expect(preview.headers['content-type']).toBe('image/png');

    const applied = await applicant.agent
      .post(APPLY)
      .send(shopBody({ name: '执照私有测试店', licencePhotoFileId: upload.id }))
      .expect(201);
    const merchantId = merchantResponseSchema.parse(applied.body).merchant.id;
    const mine = merchantDetailListResponseSchema.parse((await applicant.agent.get('/api/v1/merchants/mine').expect(200)).body).items;
    const queue = merchantApplicationPageSchema.parse((await editor.agent.get(`${APPLY}?limit=100`).expect(200)).body).items;
    const urls = [mine[0]!.licencePhoto!.url, queue.find((m) => m.id === merchantId)!.licencePhoto!.url];
    for (const url of urls) {
      expect(url).toMatch(signedUrlOf(upload.id));
      // Whoever holds the link reads it (it goes into an <img>), for ten minutes at most, cached privately.
      const res = await t.request.get(pathOf(url)).expect(200);
      expect(res.headers['content-type']).toBe('image/png');
      const maxAge = Number(/^private, max-age=(\d+)$/.exec(res.headers['cache-control'] as string)?.[1]);
      expect(maxAge).toBeGreaterThan(0);
      expect(maxAge).toBeLessThanOrEqual(600);
      expect(Number(new URL(url, 'http://api.invalid').searchParams.get('exp'))).toBe(Math.floor(t.clock.now().getTime() / 1000) + 600);
    }
    await t.request.get(plain).expect(404);
  });

  it('a tampered signature, a signature of another file, a changed exp or a missing part is refused (404)', async () => {
    const applicant = await loginAs(t, 'citizen');
    const first = await uploadPng(applicant, '?purpose=licence');
    const other = await uploadPng(applicant, '?purpose=licence');
    const u = new URL(first.url, 'http://api.invalid');
    const exp = u.searchParams.get('exp')!;
    const sig = u.searchParams.get('sig')!;
    const otherSig = new URL(other.url, 'http://api.invalid').searchParams.get('sig')!;
    const flipped = `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`;
    await t.request.get(`${u.pathname}?exp=${exp}&sig=${sig}`).expect(200);
    for (const query of [
      `exp=${exp}&sig=${flipped}`,
      `exp=${exp}&sig=${otherSig}`,
      `exp=${Number(exp) + 3600}&sig=${sig}`,
      `sig=${sig}`,
      `exp=${exp}`,
    ]) {
      const res = await t.request.get(`${u.pathname}?${query}`).expect(404);
      expect(res.body.error.code).toBe('FILE_NOT_FOUND');
    }
    // Not a signature at all: bad input, in Chinese.
    const malformed = await t.request.get(`${u.pathname}?exp=${exp}&sig=nothex`).expect(400);
    expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('a licence uploaded without purpose (an older app) is public until filed, private from filing on', async () => {
    const applicant = await loginAs(t, 'citizen');
    const upload = await uploadPng(applicant);
    const plain = `/api/v1/files/${upload.id}.png`;
    expect(upload.url).toMatch(new RegExp(`${plain.replace('.', '\\.')}$`));
    await t.request.get(plain).expect(200);
    await applicant.agent
      .post(APPLY)
      .send(shopBody({ name: '旧版执照测试店', licencePhotoFileId: upload.id }))
      .expect(201);
    await t.request.get(plain).expect(404);
    const mine = merchantDetailListResponseSchema.parse((await applicant.agent.get('/api/v1/merchants/mine').expect(200)).body).items;
    expect(mine[0]?.licencePhoto?.url).toMatch(signedUrlOf(upload.id));
    expect((await t.request.get(pathOf(mine[0]!.licencePhoto!.url)).expect(200)).headers['content-type']).toBe('image/png');
  });

  it('an unknown purpose is bad input; an ordinary (shop) photo is still served publicly', async () => {
    const me = await loginAs(t, 'citizen');
    const bad = await me.agent.post('/api/v1/files?purpose=avatar').attach('file', Buffer.from('x'), 'x.png').expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const photo = await uploadPng(me);
    const res = await t.request.get(pathOf(photo.url)).expect(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('expires: ten minutes after it was handed out, the signed URL is refused', async () => {
    const applicant = await loginAs(t, 'citizen');
    const fileId = await licencePhotoOf(applicant);
    await applicant.agent
      .post(APPLY)
      .send(shopBody({ name: '执照过期测试店', licencePhotoFileId: fileId }))
      .expect(201);
    const mine = merchantDetailListResponseSchema.parse((await applicant.agent.get('/api/v1/merchants/mine').expect(200)).body).items;
    const url = pathOf(mine[0]!.licencePhoto!.url);
    t.clock.advance(9 * 60 * 1000);
    const late = await t.request.get(url).expect(200);
    expect(late.headers['cache-control']).toBe('private, max-age=60');
    t.clock.advance(60 * 1000);
    expect((await t.request.get(url).expect(404)).body.error.code).toBe('FILE_NOT_FOUND');
    // Reading the application again hands out a fresh link.
    const again = merchantDetailListResponseSchema.parse((await applicant.agent.get('/api/v1/merchants/mine').expect(200)).body).items;
    expect((await t.request.get(pathOf(again[0]!.licencePhoto!.url)).expect(200)).headers['content-type']).toBe('image/png');
  });
});
