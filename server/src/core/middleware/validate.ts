import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import type { Role } from '@shared/roles';
import { AppError } from '../errors';

// Field messages reach people; zod's Chinese locale keeps them in the UI's language.
z.config(z.locales.zhCN());

type Location = 'body' | 'query' | 'params';

export interface ValidateSchemas {
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
}

/**
 * Who may call a route (issue #16's authorization matrix). Metadata only: requireAuth / requireRole and the
 * service enforce it, test/http/authz-matrix.test.ts calls every route as everyone else to prove they do.
 *
 * - `'public'`: anyone, signed in or not.
 * - `'signed_in'`: any signed-in user (every WeChat user holds the implicit citizen role).
 * - `{ roles }`: signed in and holding one of `roles`, in some scope (list `admin` where admins pass).
 * - `{ owner }`: signed in, and only on what `owner` describes as theirs (a case they posted, their
 *   merchant's batch…); with `roles`, both. Everyone else gets 403 or the 404 of a missing object.
 */
export type RouteAccess = 'public' | 'signed_in' | { roles: readonly Role[]; owner?: string } | { owner: string };

/** Documentation-only facts a route may add; they appear in /api/openapi.json, never affect handling. */
export interface RouteDoc {
  summary?: string;
  tags?: string[];
  /** Schema of the success body (status 200 unless `status` says otherwise). */
  response?: z.ZodType;
  status?: number;
  /** Who may call it; `auth` (the lock in the reference) follows from it. Required: see RouteAccess. */
  access: RouteAccess;
}

/** The route's doc as the OpenAPI builder reads it. */
export type RouteDocView = Partial<RouteDoc> & {
  /** Whether a bearer token is required: every access but `'public'`. */
  readonly auth: boolean;
};

export type ValidatedInput<S extends ValidateSchemas> = {
  [K in keyof S]: S[K] extends z.ZodType ? z.output<S[K]> : never;
};

export interface ValidateMiddleware<S extends ValidateSchemas> extends Middleware {
  /** The parsed, typed input of the current request. */
  input(ctx: Context): ValidatedInput<S>;
  readonly schemas: S;
  readonly doc: RouteDocView;
}

export interface FieldIssue {
  location: Location;
  /** Dotted path inside the location, e.g. "items.0.title"; "" for the location itself. */
  path: string;
  code: string;
  message: string;
}

/** Marks validate() middleware so the OpenAPI builder can find every validated route by walking routers. */
export const VALIDATE_MARK = Symbol.for('rongmei.validate');

/**
 * Keys starting with `$` are MongoDB operators and dotted keys address nested paths: neither has any
 * business in client input, whatever the schema says (NoSQL operator injection).
 * Recursive: safe because jsonBody() refuses bodies deeper than MAX_JSON_DEPTH before any route runs
 * (query and params are flat strings).
 */
export function findForbiddenKeys(value: unknown, location: Location, prefix: string[] = [], found: FieldIssue[] = []): FieldIssue[] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => findForbiddenKeys(item, location, [...prefix, String(i)], found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const at = [...prefix, key];
      if (key.startsWith('$') || key.includes('.')) {
        found.push({ location, path: at.join('.'), code: 'forbidden_key', message: `不允许的字段名：${key}` });
      } else {
        findForbiddenKeys(child, location, at, found);
      }
    }
  }
  return found;
}

/** Top-level objects are made strict here so a schema that forgot `.strict()` still refuses unknown keys. */
function strictTop(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodObject ? schema.strict() : schema;
}

function rawInput(ctx: Context, location: Location): unknown {
  if (location === 'body') return (ctx.request as { body?: unknown }).body ?? {};
  if (location === 'query') return { ...ctx.query };
  return { ...((ctx as unknown as { params?: Record<string, string> }).params ?? {}) };
}

/**
 * Validates body, query and route params against shared zod schemas before the handler runs.
 * Any failure is VALIDATION_FAILED with `details.issues: FieldIssue[]`.
 *
 *   const v = validate({ body: createArticleBody, params: idParams }, { summary: '投稿', access: { roles: ['editor', 'admin'] } });
 *   router.post('/api/v1/articles/:id', v, async (ctx) => { const { body, params } = v.input(ctx); … });
 */
export function validate<S extends ValidateSchemas>(schemas: S, doc?: RouteDoc): ValidateMiddleware<S> {
  // Each validator keeps its result under its own key, so two validators on one route don't clash.
  const INPUT = Symbol('validatedInput');
  const locations = (['params', 'query', 'body'] as const).filter((l) => schemas[l] !== undefined);
  const compiled = Object.fromEntries(locations.map((l) => [l, strictTop(schemas[l] as z.ZodType)])) as Record<Location, z.ZodType>;

  // Not an async function: nothing follows next(), so its promise is handed back as it is (koa-compose turns
  // a throw into a rejection).
  const middleware: Middleware = (ctx, next) => {
    const issues: FieldIssue[] = [];
    const parsed: Partial<Record<Location, unknown>> = {};
    for (const location of locations) {
      const raw = rawInput(ctx, location);
      const forbidden = findForbiddenKeys(raw, location);
      if (forbidden.length > 0) {
        issues.push(...forbidden);
        continue;
      }
      const result = compiled[location].safeParse(raw);
      if (result.success) {
        parsed[location] = result.data;
      } else {
        for (const issue of result.error.issues) {
          issues.push({ location, path: issue.path.map(String).join('.'), code: issue.code, message: issue.message });
        }
      }
    }
    if (issues.length > 0) throw new AppError('VALIDATION_FAILED', { details: { issues } });
    (ctx.state as Record<symbol, unknown>)[INPUT] = parsed;
    return next();
  };

  return Object.assign(middleware, {
    [VALIDATE_MARK]: true,
    schemas,
    // Without a doc (ad-hoc validators in tests) there is no access: the route table test refuses such a route.
    doc: { ...doc, auth: doc !== undefined && doc.access !== 'public' },
    input(ctx: Context): ValidatedInput<S> {
      const parsed = (ctx.state as Record<symbol, unknown>)[INPUT];
      if (parsed === undefined) throw new Error('validate().input(ctx) called on a request this validator did not check');
      return parsed as ValidatedInput<S>;
    },
  });
}

export function isValidateMiddleware(fn: unknown): fn is ValidateMiddleware<ValidateSchemas> {
  return typeof fn === 'function' && (fn as unknown as Record<symbol, unknown>)[VALIDATE_MARK] === true;
}
