import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signS3Request } from '../../server/src/modules/storage/s3-storage';

export interface RunningS3Fake {
  url: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Stored objects by key (what landed in the bucket). */
  objects: Map<string, { data: Buffer; contentType: string }>;
  /** Requests refused for a bad signature. */
  refused: number;
  stop(): Promise<void>;
}

/**
 * A path-style S3-compatible bucket on loopback for tests: PUT and GET objects, every request's SigV4
 * signature recomputed from what arrived (403 SignatureDoesNotMatch otherwise), 404 NoSuchKey.
 */
export async function startS3Fake(): Promise<RunningS3Fake> {
  const bucket = 'rongmei-test';
  const region = 'cn-north-1';
  const accessKeyId = 'TESTACCESSKEY';
  const secretAccessKey = 'test-secret-access-key';
  const objects = new Map<string, { data: Buffer; contentType: string }>();
  const fake = { refused: 0 };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      const auth =
        /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request,SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/.exec(
          String(req.headers.authorization ?? ''),
        );
      const amzDate = String(req.headers['x-amz-date'] ?? '');
      const date = new Date(
        `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
      );
      const signed = (auth?.[4] ?? '').split(';').filter((h) => !['host', 'x-amz-date', 'x-amz-content-sha256'].includes(h)) ?? [];
      const expected =
        auth && !Number.isNaN(date.getTime())
          ? signS3Request({
              method: req.method ?? 'GET',
              url,
              headers: Object.fromEntries(signed.map((h) => [h, String(req.headers[h] ?? '')])),
              payloadHash: String(req.headers['x-amz-content-sha256'] ?? ''),
              region,
              accessKeyId,
              secretAccessKey,
              date,
            }).authorization
          : null;
      const payloadOk = req.method !== 'PUT' || req.headers['x-amz-content-sha256'] === createHash('sha256').update(body).digest('hex');
      if (!auth || auth[1] !== accessKeyId || expected !== req.headers.authorization || !payloadOk) {
        fake.refused++;
        res.writeHead(403, { 'content-type': 'application/xml' }).end('<Error><Code>SignatureDoesNotMatch</Code></Error>');
        return;
      }
      const [, bucketName, ...rest] = url.pathname.split('/');
      const key = decodeURIComponent(rest.join('/'));
      if (bucketName !== bucket) {
        res.writeHead(404, { 'content-type': 'application/xml' }).end('<Error><Code>NoSuchBucket</Code></Error>');
        return;
      }
      if (req.method === 'PUT') {
        objects.set(key, { data: body, contentType: String(req.headers['content-type'] ?? 'application/octet-stream') });
        res.writeHead(200, { etag: '"fake"' }).end();
        return;
      }
      const object = objects.get(key);
      if (req.method !== 'GET' || !object) {
        res.writeHead(404, { 'content-type': 'application/xml' }).end('<Error><Code>NoSuchKey</Code></Error>');
        return;
      }
      res.writeHead(200, { 'content-type': object.contentType, 'content-length': object.data.length }).end(object.data);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bucket,
    region,
    accessKeyId,
    secretAccessKey,
    objects,
    get refused() {
      return fake.refused;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
