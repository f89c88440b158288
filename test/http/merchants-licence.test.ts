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
import { applyAs, licencePhotoOf, shopBody } from './coupons-fixtures';

let t: TestContext;
let editor: LoggedIn;

beforeAll(async () => {
  t = await createTestContext({ now: '2026-12-07T02:00:00Z' });
  editor = await loginAs(t, 'editor');
});
afterAll(() => t.close());

const APPLY = '/api/v1/merchants/applications';
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
    expect(mine.licencePhoto).toEqual({ fileId, url: expect.stringMatching(new RegExp(`/api/v1/files/${fileId}\\.png$`)) });
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
