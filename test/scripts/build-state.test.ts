/**
 * `npm start` rebuilds the H5 app and the staff console when it must (scripts/build-state.ts): a missing
 * build, and a build older than any of its sources, are found; a build newer than every source is served as it is.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONSOLE_SOURCES, consoleBuildState } from '../../scripts/console-build';
import { H5_SOURCES, h5BuildState } from '../../scripts/h5-build';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'h5-build-'));
  mkdirSync(path.join(dir, 'src', 'pages'), { recursive: true });
  writeFileSync(path.join(dir, 'src', 'pages', 'a.tsx'), 'x');
  mkdirSync(path.join(dir, 'dist'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const at = (file: string, seconds: number) => utimesSync(file, seconds, seconds);

describe('H5 build freshness', () => {
  it('is missing without an index.html', async () => {
    await expect(h5BuildState(path.join(dir, 'dist'), [path.join(dir, 'src')])).resolves.toBe('missing');
  });

  it('is stale when a source (deep in a folder) is newer than the build, current otherwise', async () => {
    const index = path.join(dir, 'dist', 'index.html');
    writeFileSync(index, '<html>');
    at(index, 2_000_000_000);
    at(path.join(dir, 'src', 'pages', 'a.tsx'), 1_000_000_000);
    await expect(h5BuildState(path.join(dir, 'dist'), [path.join(dir, 'src'), path.join(dir, 'absent')])).resolves.toBeNull();
    at(path.join(dir, 'src', 'pages', 'a.tsx'), 2_000_000_100);
    await expect(h5BuildState(path.join(dir, 'dist'), [path.join(dir, 'src')])).resolves.toBe('stale');
  });
});

describe('the staff console uses the same rule', () => {
  it('is missing, stale and current like the H5 build', async () => {
    const out = path.join(dir, 'dist');
    await expect(consoleBuildState(out, [path.join(dir, 'src')])).resolves.toBe('missing');
    const index = path.join(out, 'index.html');
    writeFileSync(index, '<html>');
    at(index, 2_000_000_000);
    at(path.join(dir, 'src', 'pages', 'a.tsx'), 1_000_000_000);
    await expect(consoleBuildState(out, [path.join(dir, 'src')])).resolves.toBeNull();
    at(path.join(dir, 'src', 'pages', 'a.tsx'), 2_000_000_100);
    await expect(consoleBuildState(out, [path.join(dir, 'src')])).resolves.toBe('stale');
  });

  it('both builds are made from the shared schemas and the lockfile too', () => {
    for (const sources of [H5_SOURCES, CONSOLE_SOURCES]) {
      expect(sources.some((s) => s.endsWith(`${path.sep}shared`))).toBe(true);
      expect(sources.some((s) => s.endsWith('package-lock.json'))).toBe(true);
    }
  });
});
