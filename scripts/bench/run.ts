/** Benchmark runner: `npm run bench -- NAME` runs scripts/bench/NAME.ts. */
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

const name = process.argv[2];
const available = readdirSync(__dirname)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'lib.ts', 'api-child.ts'].includes(f))
  .map((f) => f.slice(0, -3));

if (!name || !available.includes(name) || !existsSync(path.join(__dirname, `${name}.ts`))) {
  process.stderr.write(`usage: npm run bench -- NAME   (available: ${available.join(', ') || 'none'})\n`);
  process.exit(2);
}

// A dynamic import keeps the runner free of require(); tsx compiles the bench on the fly.
void import(path.join(__dirname, `${name}.ts`));
