/**
 * Uploads with STORAGE_DRIVER=s3: the same upload endpoint stores the checked image in an
 * S3-compatible bucket (a signed PUT to a loopback fake that verifies SigV4), serves it back through
 * the API, and a piece can carry it. The local-disk driver is covered by newsroom-safety.test.ts.
 */
import { uploadResponseSchema } from '@shared/schemas/newsroom';
import { createTestContext, loginAs, startS3Fake, type RunningS3Fake, type TestContext } from '../harness';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let t: TestContext;
let s3: RunningS3Fake;

beforeAll(async () => {
  s3 = await startS3Fake();
  t = await createTestContext({
    env: {
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: s3.url,
      S3_BUCKET: s3.bucket,
      S3_REGION: s3.region,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    },
  });
});
afterAll(async () => {
  await t.close();
  await s3.stop();
});

describe('uploads on the S3-compatible driver', () => {
  it('stores the image in the bucket, serves it back through the API, and lets a piece use it', async () => {
    const admin = await loginAs(t, 'admin');
    const circleId = (await admin.agent.post('/api/v1/circles').send({ name: '融媒+图文生产', description: '对象存储' })).body.circle.id;
    const writer = await loginAs(t, 'correspondent', { type: 'circle', id: circleId });

    const res = await writer.agent.post('/api/v1/files').attach('file', PNG, { filename: 'photo.png', contentType: 'image/png' });
    expect(res.status).toBe(201);
    const { file } = uploadResponseSchema.parse(res.body);
    const key = new URL(file.url).pathname.split('/').pop()!;
    expect(s3.objects.get(key)).toEqual({ data: PNG, contentType: 'image/png' });
    expect(s3.refused).toBe(0);

    const served = await t.request.get(new URL(file.url).pathname);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(served.body as Buffer, PNG)).toBe(0);
    // Public pictures are embedded by pages on other origins (the H5 app on its own port, share cards).
    expect(served.headers['cross-origin-resource-policy']).toBe('cross-origin');

    const piece = await writer.agent
      .post('/api/v1/submissions')
      .send({ title: '云岭红叶', body: '红叶进入最佳观赏期。', imageIds: [file.id], copyright: 'exclusive', originalityStatement: true });
    expect(piece.status).toBe(201);
    expect(piece.body.submission.images).toEqual([expect.objectContaining({ id: file.id })]);
  });

  it('answers 404 for a key the bucket does not hold', async () => {
    const res = await t.request.get('/api/v1/files/0123456789abcdef01234567.png');
    expect(res.status).toBe(404);
  });
});
