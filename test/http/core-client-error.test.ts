/**
 * Requests Node's HTTP parser refuses before Koa runs (a 20 KB request line, a malformed request), sent
 * over a raw socket to the API started as production starts it (startServer, a real listening port):
 * they answer with the one error shape, not Node's bare status line.
 */
import { connect } from 'node:net';
import { loadConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/core/logger';
import { startServer, type RunningServer } from '../../server/src/main';
import { listeningApiEnv } from '../harness/env';

let api: RunningServer;

beforeAll(async () => {
  const config = loadConfig(listeningApiEnv(`t_core_client_error_${process.pid}`));
  api = await startServer(config, createLogger({ level: 'silent' }), { jobs: false });
});

afterAll(async () => {
  await api.deps.db.dropDatabase().catch(() => undefined);
  await api.stop();
});

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes `request` as is and reads until the server closes the connection. */
function rawRequest(request: string): Promise<RawAnswer> {
  const { port } = new URL(api.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
    socket.write(request);
  });
}

test('a 20 KB request line answers 431 REQUEST_HEADER_TOO_LARGE in the JSON error shape (Node alone sends a bare 431)', async () => {
  const res = await rawRequest(`GET /api/v1/feed?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
  expect(res.status).toBe(431);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  expect(JSON.parse(res.body)).toEqual({ error: { code: 'REQUEST_HEADER_TOO_LARGE', message: '请求地址或请求头过长' } });
});

test('an oversized request after a good one on the same keep-alive connection still gets the JSON 431', async () => {
  const { port } = new URL(api.url);
  const socket = connect(Number(port), '127.0.0.1');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
  while (!received.includes('{"status":"ok"}')) await new Promise((r) => setTimeout(r, 10));
  socket.write(`GET /api/v1/feed?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
  await closed;
  const second = received.slice(received.indexOf('{"status":"ok"}') + '{"status":"ok"}'.length);
  expect(second).toMatch(/^HTTP\/1\.1 431 /);
  expect(JSON.parse(second.slice(second.indexOf('\r\n\r\n') + 4)).error.code).toBe('REQUEST_HEADER_TOO_LARGE');
});

test('a malformed request answers 400 BAD_REQUEST in the JSON error shape', async () => {
  const res = await rawRequest('GET /healthz HTTP/1.1\r\nHost: localhost\r\nthis is not a header\r\n\r\n');
  expect(res.status).toBe(400);
  expect(JSON.parse(res.body)).toEqual({ error: { code: 'BAD_REQUEST', message: '请求格式有误' } });
});

test('a well-formed request on the same server is untouched', async () => {
  const res = await fetch(`${api.url}/healthz`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok' });
});
