import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildState, type BuildState } from './build-state';

const ROOT = path.resolve(__dirname, '..');

/** What the H5 build is made from: when any of these is newer than the build, the build is stale. */
export const H5_SOURCES = [
  'miniprogram/src',
  'miniprogram/config',
  'miniprogram/babel.config.js',
  'miniprogram/tsconfig.json',
  'miniprogram/.env',
  'miniprogram/.env.development',
  'miniprogram/.env.production',
  'shared',
  'package-lock.json',
].map((p) => path.join(ROOT, p));

/** Why the H5 build in `root` must be (re)built — 'missing', 'stale' — or null when it is current. */
export function h5BuildState(root: string, sources: readonly string[] = H5_SOURCES): Promise<BuildState> {
  return buildState(root, sources);
}

/**
 * Runs `npm run build:h5`, printing a line every few seconds (the phase it is in, time so far) so a newcomer
 * sees it working; on failure the build's last lines are printed and the promise rejects.
 */
export function buildH5(print: (line: string) => void, everyMs = 5000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build:h5'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail: string[] = [];
    let phase = '编译中';
    const onData = (d: Buffer) => {
      const lines = d
        .toString()
        // eslint-disable-next-line no-control-regex -- strip the compiler's colour codes
        .replace(/\u001b\[[0-9;]*m/g, '')
        .split(/\r?\n/)
        .filter((l) => l.trim());
      tail = [...tail, ...lines].slice(-30);
      const pct = lines
        .map((l) => /(\d{1,3})%/.exec(l)?.[1])
        .filter(Boolean)
        .pop();
      if (pct) phase = `${pct}%`;
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setInterval(() => print(`  building the H5 app… ${phase} · ${Math.round((Date.now() - started) / 1000)} s`), everyMs);
    child.once('error', (err) => {
      clearInterval(timer);
      reject(err);
    });
    child.once('exit', (code) => {
      clearInterval(timer);
      if (code === 0) {
        print(`  H5 app built in ${Math.round((Date.now() - started) / 1000)} s`);
        resolve();
      } else {
        print(tail.join('\n'));
        reject(new Error(`npm run build:h5 failed (exit ${code})`));
      }
    });
  });
}
