import type Router from '@koa/router';
import type { Middleware } from 'koa';

/** Requests are grouped by their first three path segments (`/api/v1/feed`, `/api/v1/coupon-batches`…). */
const KEY_SEGMENTS = 3;
/** Where a path-to-regexp pattern stops being literal text. */
const PATTERN_SYNTAX = /[:*{}()[\]+?!\\]/;

/**
 * The first KEY_SEGMENTS segments of a (lower-cased) path, or the whole path without one trailing slash
 * when it is shorter. `complete` is false when the path ended before KEY_SEGMENTS full segments.
 */
function pathKey(path: string): { key: string; complete: boolean } {
  let slashes = 0;
  for (let i = 1; i < path.length; i += 1) {
    if (path.charCodeAt(i) === 47 && ++slashes === KEY_SEGMENTS) return { key: path.slice(0, i), complete: true };
  }
  return { key: path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path, complete: false };
}

interface LayerLike {
  path: unknown;
  methods: string[];
  opts: { end?: boolean; routerPath?: string; host?: unknown };
}

/**
 * The key every request this layer can match has, or null when that can't be told from its pattern
 * (a parameter within the first segments, a RegExp, prefix middleware, a router-level routerPath or host).
 */
function layerKey(layer: LayerLike, router: Router): string | null {
  const opts = (router as unknown as { opts?: { routerPath?: string; host?: unknown } }).opts ?? {};
  if (opts.routerPath || opts.host || layer.opts.routerPath || layer.opts.host) return null;
  if (typeof layer.path !== 'string' || layer.methods.length === 0 || layer.opts.end === false) return null;
  const pattern = layer.path.toLowerCase();
  if (!pattern.startsWith('/')) return null;
  const syntax = pattern.search(PATTERN_SYNTAX);
  if (syntax === -1) return pathKey(pattern).key;
  const { key, complete } = pathKey(pattern.slice(0, syntax));
  return complete ? key : null;
}

/**
 * Mounts the module routers so a request only visits the routers that have a route under its first path
 * segments (each `router.routes()` tests the path against every one of its routes). Routers are visited
 * in mounting order, exactly as `app.use(router.routes())` for each would: a router with no route for
 * the path would only have called `next()`. Routers whose routes can't be keyed are visited for every
 * path. Unmatched requests fall through to `next` (then notFound answers ROUTE_NOT_FOUND).
 */
export function dispatchRouters(routers: readonly Router[]): Middleware {
  const always = new Set<number>();
  const keyed = new Map<string, Set<number>>();
  routers.forEach((router, index) => {
    for (const layer of router.stack as unknown as LayerLike[]) {
      const key = layerKey(layer, router);
      if (key === null) always.add(index);
      else keyed.set(key, (keyed.get(key) ?? new Set()).add(index));
    }
  });
  const mounted = routers.map((router) => router.routes() as unknown as Middleware);
  const chain = (indices: Iterable<number>): Middleware | null => {
    const list = [...new Set(indices)].sort((a, b) => a - b).map((i) => mounted[i]!);
    if (list.length === 0) return null;
    if (list.length === 1) return list[0]!;
    return (ctx, next) => {
      const step = (i: number): Promise<unknown> => (i === list.length ? next() : list[i]!(ctx, () => step(i + 1)));
      return step(0);
    };
  };
  const byKey = new Map<string, Middleware | null>();
  for (const [key, indices] of keyed) byKey.set(key, chain([...indices, ...always]));
  const fallback = chain(always);

  return (ctx, next) => {
    const { key } = pathKey(ctx.path.toLowerCase());
    const dispatch = byKey.has(key) ? byKey.get(key)! : fallback;
    return dispatch ? dispatch(ctx, next) : next();
  };
}
