import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Koa from 'koa';
import { createLogger } from '../logger';
import { requestId } from './request-id';
import { requestLogger } from './request-logger';

async function run(level: string, handler: Koa.Middleware): Promise<Array<Record<string, unknown>>> {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const app = new Koa();
  app.silent = true;
  app.use(requestId());
  app.use(requestLogger(createLogger({ level, destination: sink })));
  app.use(handler);
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    await (await fetch(`http://127.0.0.1:${port}/api/v1/x?q=1`, { headers: { 'X-Request-Id': 'req-42' } })).text();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  return lines;
}

describe('requestLogger: one line per request, the per-request logger made on first use', () => {
  it('logs method, path, status and time with the request id at info', async () => {
    const lines = await run('info', (ctx) => void (ctx.body = { ok: true }));
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        requestId: 'req-42',
        method: 'GET',
        path: '/api/v1/x',
        status: 200,
        ms: expect.any(Number),
        msg: 'request',
      }),
    ]);
  });

  it('logs a 500 as "request failed" at error, and nothing at warn for answered requests', async () => {
    const failed = await run('warn', (ctx) => void (ctx.status = 503));
    expect(failed).toEqual([expect.objectContaining({ level: 50, requestId: 'req-42', status: 503, msg: 'request failed' })]);
    expect(await run('warn', (ctx) => void (ctx.body = { ok: true }))).toEqual([]);
  });

  it('gives handlers ctx.state.log bound to the request id, and lets it be replaced', async () => {
    const lines = await run('info', (ctx) => {
      (ctx.state.log as { warn(msg: string): void }).warn('from the handler');
      ctx.state.log = (ctx.state.log as { child(b: object): unknown }).child({ step: 2 });
      ctx.body = {};
    });
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, requestId: 'req-42', msg: 'from the handler' }),
      expect.objectContaining({ level: 30, requestId: 'req-42', step: 2, msg: 'request' }),
    ]);
  });
});
