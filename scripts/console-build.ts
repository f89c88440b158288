import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const CONSOLE = path.join(ROOT, 'server', 'console');
/** What the console's build is made from: its own sources and the shared schemas it validates forms with. */
const SOURCES = [
  path.join(CONSOLE, 'src'),
  path.join(CONSOLE, 'public'),
  path.join(CONSOLE, 'index.html'),
  path.join(CONSOLE, 'vite.config.ts'),
  path.join(ROOT, 'shared'),
];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/** Why the console in `dir` must be (re)built, or null when its build is newer than every source. */
export function consoleBuildReason(dir: string): string | null {
  const index = path.join(dir, 'index.html');
  if (!existsSync(index)) return '尚未构建';
  const built = statSync(index).mtimeMs;
  return SOURCES.some((s) => newestMtime(s) > built) ? '源码已更新' : null;
}

/**
 * `vite build` of the staff console into `dir`, its progress on our output (vite prints each stage and the
 * chunks). Resolves when the build is written; rejects when vite fails.
 */
export function buildConsole(dir: string, print: (line: string) => void): Promise<void> {
  const vite = path.join(ROOT, 'node_modules', '.bin', 'vite');
  if (!existsSync(vite)) return Promise.reject(new Error('vite is not installed (npm install, with dev dependencies)'));
  return new Promise((resolve, reject) => {
    const child = spawn(vite, ['build', '--config', path.join(CONSOLE, 'vite.config.ts'), '--outDir', dir, '--emptyOutDir'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const relay = (d: Buffer) => {
      for (const line of d.toString().split('\n')) if (line.trim()) print(`  [console] ${line}`);
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`))));
  });
}
