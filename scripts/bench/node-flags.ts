/**
 * The Node/V8 flags every server process of a bench starts with: our API child (lib.ts startApiChild) and the
 * bench process itself, which serves the bare side (run.ts restarts itself with them), so both sides run on
 * the same young generation. BENCH_NODE_FLAGS overrides the default (space-separated; empty for none).
 *
 * Default: a fixed 16–32 MB young generation, as production is to be launched (README › Performance). V8 sizes
 * the young generation when the heap is set up, so these only work on node's command line (setFlagsFromString
 * at run time is too late), and `--min-semi-space-size` is not allowed in NODE_OPTIONS.
 */
export const DEFAULT_BENCH_NODE_FLAGS = '--max-semi-space-size=32 --min-semi-space-size=16';

export function benchNodeFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.BENCH_NODE_FLAGS ?? DEFAULT_BENCH_NODE_FLAGS).split(' ').filter(Boolean);
}

/** This process's node arguments without the bench's flags (for children that must not get them, e.g. the database). */
export function execArgvWithout(flags: readonly string[]): string[] {
  const names = new Set(flags.map((f) => f.split('=')[0]));
  return process.execArgv.filter((a) => !names.has(a.split('=')[0]));
}
