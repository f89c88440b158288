/**
 * The processes as an operator runs them: `npm start` (scripts/start.ts) on a fresh data folder with no
 * settings at all brings up the embedded MongoDB, a redis-server child and the WeChat fake, seeds, serves
 * /healthz, /readyz and the seeded feed, and stops cleanly on Ctrl+C (SIGINT); a second start on the same
 * folder finds its data and seeds idempotently. `server/src/main.ts` in production refuses to start
 * without its secrets and stops cleanly on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getFreePort } from '../../server/src/core/net/free-port';
import { HARNESS_ENV } from '../harness';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
// Starting compiles TypeScript and seeds; a loaded 2-core CI machine needs room.
const START_TIMEOUT_MS = 90_000;
jest.setTimeout(4 * START_TIMEOUT_MS);

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The environment of a shell with none of our settings (and none of the test harness's). */
function bareEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('RONGMEI_') || ['NODE_ENV', 'MONGODB_URI', 'REDIS_URL', 'WECHAT_API_BASE_URL', 'JWT_SECRET', 'PORT'].includes(k))
      continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

function run(script: string, env: NodeJS.ProcessEnv): Running {
  const child = spawn(TSX, [script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

async function waitFor(running: Running, text: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exited = false;
  void running.exited.then(() => (exited = true));
  while (!running.output().includes(text)) {
    if (exited) throw new Error(`process exited before printing "${text}":\n${running.output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" after ${START_TIMEOUT_MS} ms:\n${running.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stop(running: Running, signal: NodeJS.Signals) {
  running.child.kill(signal);
  return running.exited;
}

const dataDirs: string[] = [];
const children: Running[] = [];
afterAll(async () => {
  // A failed assertion must not leave a server (and its redis-server child) behind.
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) await stop(c, 'SIGKILL');
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe('npm start (scripts/start.ts) with no settings', () => {
  it('starts everything with seed data, serves health and the feed, stops on SIGINT, and keeps its data for the next start', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'rongmei-start-'));
    dataDirs.push(dataDir);
    const port = await getFreePort();
    // The two front-end builds take minutes on a fresh clone (CI runs this before building them); their
    // "missing or stale → build" decision has its own tests (test/mini-program/h5-build, console-build).
    const env = bareEnv({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      H5_BUILD: 'skip',
      CONSOLE_BUILD: 'skip',
    });
    const base = `http://127.0.0.1:${port}`;

    const first = run('scripts/start.ts', env);
    children.push(first);
    await waitFor(first, 'Press Ctrl+C to stop.');
    expect(first.output()).toContain(`API            ${base}/api/v1`);
    expect(first.output()).toContain(`API reference  ${base}/api/docs`);
    expect(first.output()).toMatch(/WeChat fake {4}http:\/\/127\.0\.0\.1:\d+/);
    expect(first.output()).toMatch(/\[seed\] \d+ step\(s\) done/);

    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { mongo: 'ok', redis: 'ok' } });
    const feed = (await (await fetch(`${base}/api/v1/feed`)).json()) as { items: Array<{ id: string }> };
    expect(feed.items.length).toBeGreaterThan(0);
    expect((await fetch(`${base}/api/docs`)).headers.get('content-type')).toMatch(/text\/html/);

    expect(await stop(first, 'SIGINT')).toEqual({ code: 0, signal: null });
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();

    // Same data folder: the articles are still there and seeding adds nothing twice.
    const second = run('scripts/start.ts', env);
    children.push(second);
    await waitFor(second, 'Press Ctrl+C to stop.');
    expect(second.output()).toMatch(/0 articles added/);
    const again = (await (await fetch(`${base}/api/v1/feed`)).json()) as { items: Array<{ id: string }> };
    expect(again.items.map((a) => a.id)).toEqual(feed.items.map((a) => a.id));
    expect(await stop(second, 'SIGTERM')).toEqual({ code: 0, signal: null });
  });
});

describe('server/src/main.ts', () => {
  it('refuses to start in production without its secrets, naming what is missing', async () => {
    const refused = run('server/src/main.ts', bareEnv({ NODE_ENV: 'production' }));
    children.push(refused);
    const { code } = await refused.exited;
    expect(code).toBe(1);
    expect(refused.output()).toMatch(/JWT_SECRET/);
    expect(refused.output()).toMatch(/MONGODB_URI/);
    expect(refused.output()).toMatch(/REDIS_URL/);
  });

  it('serves with MONGODB_URI and REDIS_URL given and shuts down cleanly on SIGTERM', async () => {
    const port = await getFreePort();
    const env = bareEnv({
      PORT: String(port),
      HOST: '127.0.0.1',
      MONGODB_URI: process.env[HARNESS_ENV.mongoUri]!,
      MONGODB_DB_NAME: `process_${process.pid}`,
      REDIS_URL: process.env[HARNESS_ENV.redisUrl]!,
      WECHAT_API_BASE_URL: process.env[HARNESS_ENV.wechatUrl]!,
      LOG_LEVEL: 'info',
    });
    const api = run('server/src/main.ts', env);
    children.push(api);
    await waitFor(api, 'API listening');
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    expect(await stop(api, 'SIGTERM')).toEqual({ code: 0, signal: null });
    expect(api.output()).toContain('"signal":"SIGTERM"');
  });
});
