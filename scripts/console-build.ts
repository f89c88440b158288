import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildState, type BuildState } from './build-state';

const ROOT = path.resolve(__dirname, '..');
const CONSOLE = path.join(ROOT, 'server', 'console');
/** What the console's build is made from: its own sources and the shared schemas it validates forms with. */
export const CONSOLE_SOURCES = [
  path.join(CONSOLE, 'src'),
  path.join(CONSOLE, 'public'),
  path.join(CONSOLE, 'index.html'),
  path.join(CONSOLE, 'vite.config.ts'),
  path.join(ROOT, 'shared'),
  path.join(ROOT, 'package-lock.json'),
];

/** Whether `dir` holds a console build (its index.html). */
export function consoleBuildExists(dir: string): boolean {
  return existsSync(path.join(dir, 'index.html'));
}

/** Why the console in `dir` must be (re)built — 'missing', 'stale' — or null when its build is newer than every source. */
export function consoleBuildState(dir: string, sources: readonly string[] = CONSOLE_SOURCES): Promise<BuildState> {
  return buildState(dir, sources);
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
