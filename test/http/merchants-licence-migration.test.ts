/**
 * Migration 2026-12-07-licence-photos-private (#18) on the real stack: licence photos filed before licences became
 * private files stayed public, reachable by their plain URL by anyone. The migration (run at API start and by
 * `npm run migrate`, through core/migrations) makes each application's photo private: the plain URL answers 404
 * afterwards, while the applicant still opens it through the signed URL the API hands out. It runs once per
 * database (recorded in `migrations`), and running its step again changes nothing.
 */
import { merchantDetailListResponseSchema } from '@shared/schemas/merchants';
import { MIGRATIONS_COLLECTION, runMigrations } from '../../server/src/core/migrations';
import { MIGRATIONS } from '../../server/src/migrations';
import { FileModel } from '../../server/src/modules/storage/storage.model';
import { createTestContext, loginAs, type TestContext } from '../harness';
import { shopBody, uploadPng } from './coupons-fixtures';

let t: TestContext;

beforeAll(async () => {
  t = await createTestContext({ now: '2026-12-07T02:00:00Z' });
});
afterAll(() => t.close());

const pathOf = (url: string) => {
  const u = new URL(url, 'http://api.invalid');
  return `${u.pathname}${u.search}`;
};
const ID = '2026-12-07-licence-photos-private';

describe(`migration ${ID}`, () => {
  it('makes a licence photo filed before #18 unreachable by its plain URL, still readable through the signed one, once', async () => {
    const applicant = await loginAs(t, 'citizen');
    const upload = await uploadPng(applicant);
    await applicant.agent
      .post('/api/v1/merchants/applications')
      .send(shopBody({ name: '迁移前的老店', licencePhotoFileId: upload.id }))
      .expect(201);
    // What an application filed before #18 left behind: its licence photo an ordinary public file.
    await FileModel.updateOne({ _id: upload.id }, { $set: { private: false } });
    const plain = `/api/v1/files/${upload.id}.png`;
    await t.request.get(plain).expect(200);
    // An ordinary photo of the same person, not a licence: must stay public.
    const shopPhoto = await uploadPng(applicant);

    const ran = await runMigrations(t.deps.db, MIGRATIONS, { deps: t.deps, services: t.services }, t.deps.logger);
    expect(ran).toContain(ID);

    expect((await t.request.get(plain).expect(404)).body.error.code).toBe('FILE_NOT_FOUND');
    await t.request.get(`/api/v1/files/${shopPhoto.id}.png`).expect(200);
    const mine = merchantDetailListResponseSchema.parse((await applicant.agent.get('/api/v1/merchants/mine').expect(200)).body).items;
    expect(mine[0]?.licencePhoto?.url).toMatch(/\?exp=\d+&sig=[0-9a-f]{64}$/);
    expect((await t.request.get(pathOf(mine[0]!.licencePhoto!.url)).expect(200)).headers['content-type']).toBe('image/png');

    const record = await t.deps.db.collection<{ _id: string; result: Record<string, number> }>(MIGRATIONS_COLLECTION).findOne({ _id: ID });
    expect(record?.result).toEqual(expect.objectContaining({ applications: 1, madePrivate: 1, notOwned: 0 }));
    // Recorded: a second start runs nothing.
    expect(await runMigrations(t.deps.db, MIGRATIONS, { deps: t.deps, services: t.services }, t.deps.logger)).toEqual([]);
    // The step itself is idempotent (a process stopped before recording it runs it again).
    expect(await t.services.merchants.privatiseLicencePhotos()).toEqual({ applications: 1, madePrivate: 1, notOwned: 0 });
    await t.request.get(plain).expect(404);
  });
});
