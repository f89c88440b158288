/**
 * `npm start` rebuilds the H5 app when it must (scripts/h5-build.ts): a missing build, and a build older
 * than any of its sources, are found; a build newer than every source is served as it is.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { h5BuildState } from '../../scripts/h5-build';

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
