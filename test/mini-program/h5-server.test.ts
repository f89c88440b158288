/**
 * The static server `npm start` uses for the H5 build (scripts/h5-server.ts): serves the built files with
 * cache headers, falls back to index.html for extension-less paths, refuses path traversal, forwards
 * /api/* to the API with method and body intact, answers 502 when the API is down, and tells the app
 * where the WeChat fake is.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startH5Server, type RunningH5Server } from '../../scripts/h5-server';

let root: string;
let api: http.Server;
let apiUrl: string;
let h5: RunningH5Server;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'h5-root-'));
  mkdirSync(path.join(root, 'js'));
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><div id="app"></div>');
  writeFileSync(path.join(root, 'js', 'app.1234abcd.js'), 'console.log(1)');
  writeFileSync(path.join(os.tmpdir(), 'h5-secret.txt'), 'secret');
  api = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-upstream': 'api' });
      res.end(JSON.stringify({ method: req.method, url: req.url, auth: req.headers.authorization ?? null, body }));
    });
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', () => r()));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  h5 = await startH5Server({ root, apiUrl, wechatFakeUrl: 'http://127.0.0.1:4999' });
});
afterAll(async () => {
  await h5.stop();
  await new Promise((r) => api.close(r));
  rmSync(root, { recursive: true, force: true });
});

describe('H5 static server', () => {
  it('serves index.html fresh and hashed assets with a long cache', async () => {
    const index = await fetch(`${h5.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(await index.text()).toContain('id="app"');

    const js = await fetch(`${h5.url}/js/app.1234abcd.js?v=1`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cache-control')).toMatch(/immutable/);
  });

  it('falls back to the app for page-like paths but 404s missing assets', async () => {
    expect(await (await fetch(`${h5.url}/pages/mine/index`)).text()).toContain('id="app"');
    expect((await fetch(`${h5.url}/js/missing.js`)).status).toBe(404);
  });

  it('refuses to leave the build folder (raw paths, not normalised by a client)', async () => {
    const rawGet = (p: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: new URL(h5.url).port, path: p }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    for (const p of ['/../h5-secret.txt', '/%2e%2e/h5-secret.txt', '/js/..%2f..%2fh5-secret.txt', '/..\\h5-secret.txt']) {
      const res = await rawGet(p);
      expect([400, 403, 404]).toContain(res.status);
      expect(res.body).not.toContain('secret');
    }
  });

  it('forwards /api with method, headers and body to the API', async () => {
    const res = await fetch(`${h5.url}/api/v1/things?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
      body: JSON.stringify({ a: 1 }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-upstream')).toBe('api');
    expect(await res.json()).toEqual({ method: 'POST', url: '/api/v1/things?x=1', auth: 'Bearer t', body: '{"a":1}' });
  });

  it('tells the app where the WeChat fake is, and refuses writes to static paths', async () => {
    expect(await (await fetch(`${h5.url}/__h5-config.json`)).json()).toEqual({ wechatFakeUrl: 'http://127.0.0.1:4999' });
    expect((await fetch(`${h5.url}/index.html`, { method: 'POST' })).status).toBe(405);
  });

  it('answers 502 with an error body when the API is down', async () => {
    const orphan = await startH5Server({ root, apiUrl: 'http://127.0.0.1:1' });
    try {
      const res = await fetch(`${orphan.url}/api/v1/feed`);
      expect(res.status).toBe(502);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await orphan.stop();
    }
  });
});
