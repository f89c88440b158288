/**
 * Uploaded images' URLs when PUBLIC_BASE_URL is not set: they point at the port the API really listens on,
 * also with PORT=0 (the e2e stack, benches), where the port is only known after listen. Runs the real API
 * process entry (startServer) on the run's MongoDB and redis-server with the WeChat fake.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Types } from 'mongoose';
import { uploadResponseSchema } from '@shared/schemas/newsroom';
import { loadConfig, setListeningPort } from '../../server/src/config';
import { createLogger } from '../../server/src/core/logger';
import { startServer, type RunningServer } from '../../server/src/main';
import { UserModel } from '../../server/src/modules/users/users.model';
import { listeningApiEnv } from '../harness/env';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('PUBLIC_BASE_URL default', () => {
  it('follows the listening port when not configured, and never overrides a configured one', () => {
    const derived = loadConfig({ NODE_ENV: 'test', PORT: '0' });
    expect(derived.publicBaseUrl).toBe('http://127.0.0.1:0');
    setListeningPort(derived, 43117);
    expect(derived.publicBaseUrl).toBe('http://127.0.0.1:43117');
    expect(Object.isFrozen(derived)).toBe(true);

    expect(loadConfig({ NODE_ENV: 'test', PORT: '8080' }).publicBaseUrl).toBe('http://127.0.0.1:8080');

    const configured = loadConfig({ NODE_ENV: 'test', PORT: '0', PUBLIC_BASE_URL: 'https://api.example.cn/' });
    setListeningPort(configured, 43117);
    expect(configured.publicBaseUrl).toBe('https://api.example.cn');
  });
});

describe('uploads on an API started with PORT=0', () => {
  let api: RunningServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'storage-public-url-'));
    const config = loadConfig({ ...listeningApiEnv(`t_storage_public_url_${process.pid}`), DATA_DIR: dataDir });
    api = await startServer(config, createLogger({ level: 'silent' }), { jobs: false });
  });

  afterAll(async () => {
    await api.deps.db.dropDatabase().catch(() => undefined);
    await api.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers with an image URL on the bound port that serves the uploaded bytes', async () => {
    const now = new Date();
    const id = new Types.ObjectId();
    await UserModel.create({ _id: id, nickname: '上传者', roles: [], rolesVersion: 0, createdAt: now, updatedAt: now });
    const token = api.services.accessTokens.issue({ id: id.toHexString(), roles: [], rolesVersion: 0 }).accessToken;

    const res = await fetch(`${api.url}/api/v1/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
      body: new Uint8Array(PNG),
    });
    expect(res.status).toBe(201);
    const { file } = uploadResponseSchema.parse(await res.json());
    const port = new URL(api.url).port;
    expect(port).not.toBe('0');
    expect(new URL(file.url).origin).toBe(`http://127.0.0.1:${port}`);

    const served = await fetch(file.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.compare(Buffer.from(await served.arrayBuffer()), PNG)).toBe(0);
  });
});
