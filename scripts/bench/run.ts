/**
 * Benchmark runner: `npm run bench -- NAME` runs scripts/bench/NAME.ts, in a process started with the bench's
 * Node flags (node-flags.ts: the bare server runs in it, and gets what our API child gets).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { benchNodeFlags } from './node-flags';

const name = process.argv[2];
const available = readdirSync(__dirname)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'lib.ts', 'api-child.ts', 'node-flags.ts'].includes(f))
  .map((f) => f.slice(0, -3));

if (!name || !available.includes(name) || !existsSync(path.join(__dirname, `${name}.ts`))) {
  process.stderr.write(`usage: npm run bench -- NAME   (available: ${available.join(', ') || 'none'})\n`);
  process.exit(2);
}

const flags = benchNodeFlags();
if (flags.length > 0 && process.env.BENCH_NODE_FLAGS_SET !== '1') {
  // V8 sizes its heap at start: the flags need a fresh node (with tsx's loader, i.e. this process's execArgv).
  const child = spawn(process.execPath, [...process.execArgv, ...flags, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_NODE_FLAGS_SET: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 143)));
} else {
  // A dynamic import keeps the runner free of require(); tsx compiles the bench on the fly.
  void import(path.join(__dirname, `${name}.ts`));
}
