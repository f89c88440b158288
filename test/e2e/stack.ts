import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

export interface Stack {
  apiUrl: string;
  h5Url: string;
  wechatFakeUrl: string;
  output: () => string;
  stop: () => Promise<void>;
}

export interface ApiInit {
  token?: string;
  body?: object;
  headers?: Record<string, string>;
}

/** One JSON call to the stack's API, as the tests set data up and check it: POST with a body, else GET. */
export async function callApi<T>(apiUrl: string, path: string, init: ApiInit = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${apiUrl}${path}`, {
    method: init.body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** A tiny PNG drawn by us (one pixel): a picture the app can show without any outside host. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** Stores a picture through the storage API as `token`'s person (POST /api/v1/files) and returns its URL. */
export async function uploadPng(apiUrl: string, token: string, png: Buffer = TINY_PNG): Promise<string> {
  return (await uploadPngFile(apiUrl, token, png)).url;
}

/** The same, answered as the stored file: its id is what a form such as 商户入驻's licence photo sends. */
export async function uploadPngFile(apiUrl: string, token: string, png: Buffer = TINY_PNG): Promise<{ id: string; url: string }> {
  const res = await fetch(`${apiUrl}/api/v1/files`, {
    method: 'POST',
    headers: { 'content-type': 'image/png', authorization: `Bearer ${token}` },
    body: new Uint8Array(png),
  });
  const body = (await res.json()) as { file?: { id: string; url: string } };
  if (res.status !== 201 || !body.file) throw new Error(`upload failed: ${res.status} ${JSON.stringify(body)}`);
  return body.file;
}

/**
 * `npm start` as a person runs it (scripts/start.ts), on free ports with a throwaway data folder: API,
 * embedded MongoDB, a redis-server child, the WeChat fake, the seed, and the H5 server. Resolves once the
 * URLs are printed.
 */
export async function startStack(timeoutMs = 180_000): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rongmei-e2e-'));
  // A fresh embedded MongoDB, a redis-server child and the WeChat fake, whatever the caller's shell has.
  // H5_BUILD=skip, CONSOLE_BUILD=skip: the suites run after `npm run build:h5` and `npm run build:console`
  // (npm run test:e2e) and serve those builds as they are.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    PORT: '0',
    H5_PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    H5_BUILD: 'skip',
    CONSOLE_BUILD: 'skip',
  };
  for (const key of ['MONGODB_URI', 'REDIS_URL', 'WECHAT_API_BASE_URL', 'WECHAT_FAKE_PORT']) delete env[key];
  const child: ChildProcess = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/start.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));

  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((r) => child.once('exit', r));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000).unref())]);
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`stack did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
      const check = () => {
        if (out.includes('Press Ctrl+C to stop.')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`stack exited with ${code}:\n${out}`));
      });
    });
  } catch (err) {
    await stop();
    throw err;
  }
  const grab = (label: string) => {
    const m = new RegExp(`${label}\\s+(http://\\S+)`).exec(out);
    if (!m?.[1]) throw new Error(`no ${label} URL in:\n${out}`);
    return m[1];
  };
  try {
    return {
      apiUrl: grab('API').replace(/\/api\/v1$/, ''),
      h5Url: grab('H5 app').replace(/\/$/, ''),
      wechatFakeUrl: grab('WeChat fake'),
      output: () => out,
      stop,
    };
  } catch (err) {
    // E.g. no H5 build (another `npm run build:h5` is rewriting miniprogram/dist/h5): don't leave the stack running.
    await stop();
    throw err;
  }
}
