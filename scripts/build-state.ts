import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Why a front-end build must be (re)built: it is missing, or a source is newer than it; null when it is current. */
export type BuildState = 'missing' | 'stale' | null;

/** The newest modification time under `paths` (files and folders, recursively, skipping node_modules and dist); 0 when none exists. */
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

/** The state of the build whose entry is `root`/index.html, made from `sources`. */
export async function buildState(root: string, sources: readonly string[]): Promise<BuildState> {
  const built = await fs.stat(path.join(root, 'index.html')).catch(() => null);
  if (!built) return 'missing';
  return (await newestMtime(sources)) > built.mtimeMs ? 'stale' : null;
}
