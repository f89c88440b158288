import { startS3Fake, type RunningS3Fake } from '../../../../test/harness/s3-fake';
import { createS3Storage, signS3Request } from './s3-storage';

describe('SigV4 signing', () => {
  it('reproduces the GET-object example of the S3 documentation (header-based auth)', () => {
    const headers = signS3Request({
      method: 'GET',
      url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
      headers: { Range: 'bytes=0-9' },
      payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      region: 'us-east-1',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      date: new Date('2013-05-24T00:00:00Z'),
    });
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(headers['x-amz-date']).toBe('20130524T000000Z');
  });
});

describe('S3-compatible storage driver', () => {
  let s3: RunningS3Fake;
  beforeAll(async () => {
    s3 = await startS3Fake();
  });
  afterAll(() => s3.stop());
  const settings = () => ({
    endpoint: s3.url,
    bucket: s3.bucket,
    region: s3.region,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    forcePathStyle: true,
  });

  it('puts and gets objects with their type, answers null for a missing key, and keeps URLs on the API', async () => {
    const storage = createS3Storage(settings(), 'https://api.example.cn');
    await storage.put('abc.png', Buffer.from('png bytes'), 'image/png');
    expect(s3.objects.get('abc.png')).toEqual({ data: Buffer.from('png bytes'), contentType: 'image/png' });
    expect((await storage.get('abc.png'))?.toString()).toBe('png bytes');
    expect(await storage.get('missing.png')).toBeNull();
    expect(storage.urlFor('abc.png')).toBe('https://api.example.cn/api/v1/files/abc.png');
  });

  it('fails loudly when the store refuses the credentials', async () => {
    const storage = createS3Storage({ ...settings(), secretAccessKey: 'wrong' }, 'https://api.example.cn');
    const refusedBefore = s3.refused;
    await expect(storage.put('x.png', Buffer.from('x'), 'image/png')).rejects.toThrow(/S3 PUT x\.png answered 403/);
    await expect(storage.get('abc.png')).rejects.toThrow(/answered 403/);
    expect(s3.refused).toBe(refusedBefore + 2);
    expect(s3.objects.has('x.png')).toBe(false);
  });
});
