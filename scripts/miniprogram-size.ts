import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * `npm run size:weapp`: the size of each package of the WeChat build (miniprogram/dist/weapp) and a
 * budget check. WeChat refuses a main package over 2 MB and any subpackage over 2 MB; we keep the main
 * package ≤ 1.2 MB so features never squeeze the tab pages. Exits 1 past a budget. Source maps don't
 * ship and aren't counted.
 */
export const BUDGETS = { main: 1.2 * 1024 * 1024, subpackage: 2 * 1024 * 1024, total: 20 * 1024 * 1024 } as const;

export interface PackageSize {
  name: string;
  bytes: number;
  files: number;
  budget: number;
}

/** Splits files (paths relative to the build root, '/'-separated) into the main package and subpackages. */
export function measurePackages(files: ReadonlyArray<{ path: string; size: number }>, subpackageRoots: readonly string[]): PackageSize[] {
  const roots = subpackageRoots.map((r) => r.replace(/^\/+|\/+$/g, '') + '/');
  const out = new Map<string, PackageSize>([['main', { name: 'main', bytes: 0, files: 0, budget: BUDGETS.main }]]);
  for (const r of roots) out.set(r, { name: r.slice(0, -1), bytes: 0, files: 0, budget: BUDGETS.subpackage });
  for (const f of files) {
    if (f.path.endsWith('.map')) continue;
    const root = roots.find((r) => f.path.startsWith(r));
    const pkg = out.get(root ?? 'main')!;
    pkg.bytes += f.size;
    pkg.files += 1;
  }
  return [...out.values()];
}

export function overBudget(sizes: readonly PackageSize[]): string[] {
  const problems = sizes.filter((s) => s.bytes > s.budget).map((s) => `${s.name} is ${kb(s.bytes)}, over its ${kb(s.budget)} budget`);
  const total = sizes.reduce((n, s) => n + s.bytes, 0);
  if (total > BUDGETS.total) problems.push(`all packages are ${kb(total)}, over ${kb(BUDGETS.total)}`);
  return problems;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function walk(dir: string, base = dir): Promise<Array<{ path: string; size: number }>> {
  const out: Array<{ path: string; size: number }> = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full, base)));
    else if (entry.isFile()) out.push({ path: path.relative(base, full).split(path.sep).join('/'), size: (await fs.stat(full)).size });
  }
  return out;
}

async function main(): Promise<void> {
  const dist = path.resolve(__dirname, '..', 'miniprogram', 'dist', 'weapp');
  const appJson = JSON.parse(await fs.readFile(path.join(dist, 'app.json'), 'utf8').catch(() => 'null')) as {
    subPackages?: Array<{ root: string }>;
    subpackages?: Array<{ root: string }>;
  } | null;
  if (!appJson) {
    console.error(`No WeChat build in ${dist}: run npm run build:weapp first.`);
    process.exit(1);
  }
  const roots = (appJson.subPackages ?? appJson.subpackages ?? []).map((s) => s.root);
  const sizes = measurePackages(await walk(dist), roots);
  console.log('WeChat mini-program package sizes (miniprogram/dist/weapp):');
  for (const s of sizes) {
    console.log(`  ${s.name.padEnd(32)} ${kb(s.bytes).padStart(11)}  ${String(s.files).padStart(4)} files  (budget ${kb(s.budget)})`);
  }
  const total = sizes.reduce((n, s) => n + s.bytes, 0);
  console.log(`  ${'total'.padEnd(32)} ${kb(total).padStart(11)}`);
  const problems = overBudget(sizes);
  console.log(`main_bytes=${sizes[0]!.bytes} total_bytes=${total} packages=${sizes.length} ok=${problems.length === 0}`);
  if (problems.length) {
    for (const p of problems) console.error(`Package budget exceeded: ${p}`);
    process.exit(1);
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
