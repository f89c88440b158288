/**
 * The console's build served at /console: files with their types, hashed assets cached for good, index.html
 * revalidated, client-side routes answered with index.html, the console's CSP (self-only scripts); a missing
 * asset is 404, a path escaping the build folder never reads outside it, a missing build is 503 CONSOLE_NOT_BUILT.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestContext, type TestContext } from '../harness';

const dir = mkdtempSync(path.join(os.tmpdir(), 'console-build-'));
const INDEX = '<!doctype html><title>融媒社区后台</title><script type="module" src="/console/assets/index-AbCd1234.js"></script>';
let t: TestContext;

beforeAll(async () => {
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), INDEX);
  writeFileSync(path.join(dir, 'assets', 'index-AbCd1234.js'), 'console.log(1)');
  writeFileSync(path.join(dir, 'favicon.svg'), '<svg/>');
  writeFileSync(path.join(os.tmpdir(), 'console-secret.txt'), 'TOP-SECRET-42');
  t = await createTestContext({ env: { CONSOLE_DIR: dir } });
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /console', () => {
  it('answers index.html for the root and for client-side routes, revalidated, under the console CSP', async () => {
    expect((await t.request.get('/console')).headers.location).toBe('/console/');
    for (const p of ['/console/', '/console/users', '/console/review/submissions/abc']) {
      const res = await t.request.get(p);
      expect({ p, status: res.status, type: res.headers['content-type'] }).toEqual({ p, status: 200, type: 'text/html; charset=utf-8' });
      expect(res.text).toBe(INDEX);
      expect(res.headers['cache-control']).toBe('no-cache');
      const csp = res.headers['content-security-policy'] as string;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('serves hashed assets cached for a year, other files revalidated; 304 when unchanged', async () => {
    const js = await t.request.get('/console/assets/index-AbCd1234.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const svg = await t.request.get('/console/favicon.svg');
    expect(svg.headers['cache-control']).toBe('no-cache');
    const again = await t.request.get('/console/favicon.svg').set('If-Modified-Since', svg.headers['last-modified'] as string);
    expect(again.status).toBe(304);
  });

  it('answers 404 for a missing asset and never reads outside the build folder', async () => {
    const missing = await t.request.get('/console/assets/index-Gone0000.js');
    expect(missing.status).toBe(404);
    for (const p of ['/console/../console-secret.txt', '/console/%2e%2e/console-secret.txt', '/console/..%2fconsole-secret.txt']) {
      const res = await t.request.get(p);
      expect(res.text).not.toContain('TOP-SECRET-42');
    }
  });

  it('answers 503 CONSOLE_NOT_BUILT without a build', async () => {
    const bare = await createTestContext({ env: { CONSOLE_DIR: path.join(dir, 'nothing-here') } });
    try {
      const res = await bare.request.get('/console/users');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('CONSOLE_NOT_BUILT');
    } finally {
      await bare.close();
    }
  });
});
