import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';

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

/** The newest modification time under `paths` (files and folders, recursively); 0 when none exists. */
export async function newestMtime(paths: readonly string[]): Promise<number> {
  let newest = 0;
  const visit = async (p: string): Promise<void> => {
    const stat = await fs.stat(p).catch(() => null);
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const name of await fs.readdir(p)) if (name !== 'node_modules' && name !== 'dist') await visit(path.join(p, name));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const p of paths) await visit(p);
  return newest;
}

/** Why the H5 build in `root` must be (re)built — 'missing', 'stale' — or null when it is current. */
export async function h5BuildState(root: string, sources: readonly string[] = H5_SOURCES): Promise<'missing' | 'stale' | null> {
  const built = await fs.stat(path.join(root, 'index.html')).catch(() => null);
  if (!built) return 'missing';
  return (await newestMtime(sources)) > built.mtimeMs ? 'stale' : null;
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
