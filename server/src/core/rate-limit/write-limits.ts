import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { Redis } from 'ioredis';
import { createLimiter, type Budget } from './limiter';

/** What one write route gets: a named budget, or no central limit and the reason why. */
export type WritePolicy = { budget: string } | { exempt: string };

export interface WriteLimitPlan {
  /**
   * Route templates as registered ("POST /api/v1/files", "POST /api/v1/contests/:id/entries/:entryId/votes")
   * with their own budget or an exemption. Every other write route gets `defaultBudget`.
   */
  routes: Readonly<Record<string, WritePolicy>>;
  /** Named budgets; one may hold several windows (10 a minute and 50 a day). */
  budgets: Readonly<Record<string, readonly Budget[]>>;
  defaultBudget: string;
  /**
   * Requests with no signed-in user on a limited route, counted per client address. A ceiling, not a
   * budget: behind carrier NAT thousands of phones share one address.
   */
  anonymous: Budget;
}

const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Where applyWriteLimits records on a route layer what it gave it (read back by writeRoutes). */
const APPLIED = Symbol('writeLimit');

interface LayerLike {
  path: unknown;
  methods: string[];
  stack: Middleware[];
  [APPLIED]?: WritePolicy;
}

export interface WriteRoute {
  /** "POST /api/v1/files" */
  route: string;
  /** What applyWriteLimits gave the route; null when it never saw it (the route is unlimited). */
  policy: WritePolicy | null;
}

function writeLayers(routers: readonly Router[]): Array<{ layer: LayerLike; routes: string[] }> {
  const found: Array<{ layer: LayerLike; routes: string[] }> = [];
  for (const router of routers) {
    for (const layer of router.stack as unknown as LayerLike[]) {
      const routes = WRITE_METHODS.filter((m) => layer.methods.includes(m)).map((m) => `${m} ${String(layer.path)}`);
      if (routes.length > 0) found.push({ layer, routes });
    }
  }
  return found;
}

/** Every write route of `routers` with the limit it was given (the audit table; tests read it). */
export function writeRoutes(routers: readonly Router[]): WriteRoute[] {
  return writeLayers(routers).flatMap(({ layer, routes }) => routes.map((route) => ({ route, policy: layer[APPLIED] ?? null })));
}

/**
 * Puts a per-user write limit just before the handler of every POST/PUT/PATCH/DELETE route of `routers`,
 * by route template: the default budget unless `plan.routes` names another or an exemption. Signed-in callers are
 * counted per user and route; anonymous ones per client address and route (the NAT-sized ceiling).
 * Exempt routes get nothing at all — no Redis round trip — so hot paths bounded by their own gate stay
 * as cheap as they were. A plan naming a route or budget that does not exist stops the start: a stale
 * exemption would otherwise hide silently.
 */
export function applyWriteLimits(routers: readonly Router[], redis: Redis, plan: WriteLimitPlan): void {
  const layers = writeLayers(routers);
  const known = new Set(layers.flatMap((l) => l.routes));
  const stale = Object.keys(plan.routes).filter((route) => !known.has(route));
  if (stale.length > 0) throw new Error(`write limits name routes that do not exist: ${stale.join(', ')}`);
  const budgetOf = (name: string) => {
    const budget = plan.budgets[name];
    if (!budget) throw new Error(`write limits: no budget named ${name}`);
    return budget;
  };

  for (const { layer, routes } of layers) {
    const policies = routes.map((route) => plan.routes[route] ?? { budget: plan.defaultBudget });
    // One layer serving several write methods (rare) must not mean two different things.
    if (new Set(policies.map((p) => JSON.stringify(p))).size > 1) throw new Error(`write limits disagree for ${routes.join(' / ')}`);
    const policy = policies[0]!;
    layer[APPLIED] = policy;
    if ('exempt' in policy) continue;
    const id = routes[0]!.replace(' ', ':');
    const perUser = budgetOf(policy.budget).map((b) => createLimiter(redis, `w:${id}:${b.duration}`, b));
    const perAddress = createLimiter(redis, `w:${id}:anon`, plan.anonymous);
    const limit: Middleware = async (ctx, next) => {
      const userId = ctx.state.user?.id;
      if (userId) for (const limiter of perUser) await limiter.consume(userId);
      else await perAddress.consume(ctx.ip);
      await next();
    };
    // Just before the handler: a caller the route's guards refuse (401 with an expired token, so the app
    // refreshes; 403) or whose input is malformed costs no Redis call and no budget.
    layer.stack.splice(layer.stack.length - 1, 0, limit);
  }
}
