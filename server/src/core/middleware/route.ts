import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { z } from 'zod';
import { requireAuth, requireRole } from '../auth';
import { validate, type RouteAccess, type RouteDoc, type ValidateSchemas } from './validate';

/**
 * One route declared in one place: its path, input schemas, OpenAPI facts and who may call it, then a handler
 * that receives the validated input and returns the body.
 *
 *   const api = routes(['mall']);
 *   api.patch('/api/v1/admin/mall/goods/:id', { params: idParamsSchema, body: updateGoodsBodySchema,
 *     summary: '修改商品', response: goodsResponseSchema, access: { roles: ['admin'] } },
 *     async ({ params, body }, ctx) => ({ goods: await service.updateGoods(actorOf(ctx), params.id, body) }));
 *
 * The guard follows from `access` (see guardFor), so what the docs and the authorization matrix say is what runs.
 * Middleware order is the one every hand-written route used: guard → `then`-less validation → `then` → handler.
 */
export type RouteSpec<S extends ValidateSchemas> = S &
  Omit<RouteDoc, 'tags'> & {
    /** Replaces the guard `access` implies, for a check the access vocabulary can't name (counter staff…). */
    guard?: readonly Middleware[];
    /** Runs after validation, before the handler: an idempotency key, a rate limit. */
    then?: readonly Middleware[];
  };

/** The parsed input of a route: only the locations its spec gave schemas for. */
export type RouteInput<S> = {
  [K in keyof S & ('params' | 'query' | 'body')]: S[K] extends z.ZodType ? z.output<S[K]> : never;
};

/**
 * Returns the body (status `spec.status`, else 200), or `undefined` when it set `ctx` itself (a stream, a
 * replayed answer's status, a redirect).
 */
export type RouteHandler<S> = (input: RouteInput<S>, ctx: Context) => unknown;

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Declare = <S extends ValidateSchemas>(path: string, spec: RouteSpec<S>, handle: RouteHandler<S>) => void;

export type Routes = { readonly router: Router } & Record<Method, Declare>;

/**
 * The guard an access implies. A role list alone is checked at the door; an owner rule needs the object, so the
 * door only asks for a signed-in user and the service decides (admins included, as `can` says).
 */
export function guardFor(access: RouteAccess): Middleware[] {
  if (access === 'public') return [];
  if (access === 'signed_in' || 'owner' in access) return [requireAuth];
  return [requireRole(...access.roles)];
}

/** A route table for one module: every route it declares carries `tags` in the OpenAPI document. */
export function routes(tags: string[], router: Router = new Router()): Routes {
  const declare =
    (method: Method): Declare =>
    <S extends ValidateSchemas>(path: string, spec: RouteSpec<S>, handle: RouteHandler<S>) => {
      const { params, query, body, guard, then, ...doc } = spec as RouteSpec<ValidateSchemas>;
      const schemas = Object.fromEntries(Object.entries({ params, query, body }).filter(([, s]) => s !== undefined)) as ValidateSchemas;
      const validator = validate(schemas, { ...doc, tags });
      const status = doc.status;
      const run: Middleware = async (ctx) => {
        const result = await handle(validator.input(ctx) as RouteInput<S>, ctx);
        if (result === undefined) return;
        if (status !== undefined) ctx.status = status;
        ctx.body = result;
      };
      router[method](path, ...(guard ?? guardFor(doc.access)), validator, ...(then ?? []), run);
    };
  return {
    router,
    get: declare('get'),
    post: declare('post'),
    put: declare('put'),
    patch: declare('patch'),
    delete: declare('delete'),
  };
}
