/**
 * Covers the module boundary rules of .dependency-cruiser.cjs (issue #17): each rule reports its fixture, a
 * clean tree passes, no module cycle is exempt (points ↔ mall, once known, is reported like any other), and the
 * real tree has no violation beyond the baseline.
 * dependency-cruiser is ESM-only, which jest's require cannot load, so it runs in child node processes.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const FIXTURES = path.join(__dirname, 'fixtures');

interface Violation {
  type: string;
  from: string;
  to: string;
  rule: { name: string; severity: string };
}

const run = promisify(execFile);
const options = { maxBuffer: 64 * 1024 * 1024 };
const counts = (violations: Violation[]): Violation[] => violations.filter((v) => v.rule.severity !== 'ignore');
const summary = (violations: Violation[]): string[] => violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();

const FIXTURE_NAMES = [
  'clean',
  'model-import',
  'module-cycle',
  'core-imports-module',
  'shared-imports-server',
  'production-imports-test',
  'known-cycle',
];
let found: Record<string, Violation[]> = {};
const violationsIn = (fixture: string): string[] => summary(counts(found[fixture] ?? []));

beforeAll(async () => {
  // All fixtures in one node process (test/lint/cruise-fixtures.mjs uses dependency-cruiser's API).
  const fixtureDirs = FIXTURE_NAMES.map((name) => path.join(FIXTURES, name));
  const { stdout } = await run(process.execPath, [path.join(__dirname, 'cruise-fixtures.mjs'), CONFIG, ...fixtureDirs], options);
  found = JSON.parse(stdout) as Record<string, Violation[]>;
});

describe('module boundary rules (.dependency-cruiser.cjs)', () => {
  it('passes a tree where modules use each other through index.ts and core/shared stay in their lanes', () => {
    expect(violationsIn('clean')).toEqual([]);
  });

  it("reports a module importing another module's model", () => {
    expect(violationsIn('model-import')).toEqual(['module-internals: server/src/modules/b/b.service.ts → server/src/modules/a/a.model.ts']);
  });

  it('reports a cycle between two modules even when no single file closes it', () => {
    expect(violationsIn('module-cycle')).toEqual([
      'module-cycle: server/src/modules/a → server/src/modules/b',
      'module-cycle: server/src/modules/b → server/src/modules/a',
    ]);
  });

  it('reports core importing a module', () => {
    expect(violationsIn('core-imports-module')).toEqual(['core-imports-module: server/src/core/clock.ts → server/src/modules/a/index.ts']);
  });

  it('reports shared importing server code', () => {
    expect(violationsIn('shared-imports-server')).toEqual(['shared-imports-server: shared/codes.ts → server/src/core/clock.ts']);
  });

  it('reports production code importing test code', () => {
    expect(violationsIn('production-imports-test')).toEqual(['production-imports-test: server/src/modules/a/a.model.ts → test/helper.ts']);
  });

  it('exempts no cycle: the points ↔ mall cycle (once known) is reported, and so is a new one through points', () => {
    expect(violationsIn('known-cycle')).toEqual([
      'module-cycle: server/src/modules/campaigns → server/src/modules/points',
      'module-cycle: server/src/modules/mall → server/src/modules/points',
      'module-cycle: server/src/modules/points → server/src/modules/campaigns',
      'module-cycle: server/src/modules/points → server/src/modules/mall',
    ]);
  });

  it('finds no violation in the real tree beyond .dependency-cruiser-known-violations.json', async () => {
    // Exactly what `npm run deps:check` runs, with the json reporter (which exits 0; the verdict is the summary).
    const args = [DEPCRUISE, 'server/src', 'shared', '--config', CONFIG, '--ignore-known', '--output-type', 'json'];
    const { stdout } = await run(process.execPath, args, { ...options, cwd: ROOT });
    const result = JSON.parse(stdout) as { summary: { violations: Violation[] } };
    expect(summary(counts(result.summary.violations))).toEqual([]);
  });
});
