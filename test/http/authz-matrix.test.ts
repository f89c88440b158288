/**
 * The authorization matrix (issue #16), generated from the route table: every route declares who may call
 * it (`access` in validate(), shown as `x-access` in /api/openapi.json), and this suite calls every route
 * as everyone who may not — anonymously, as each role not named, and as a signed-in non-owner against
 * real objects owned by someone else — with inputs that pass validation, so the access check is what
 * answers. A refusal is 401 AUTH_REQUIRED (anonymous) or 403 / 404 without `details`: never a state
 * (409, 410, 422…), never a success.
 *
 * The rule for validation: a malformed request may answer 400 before the access check (validation errors
 * describe the request against the public schema, never a stored object), so the matrix sends well-formed
 * requests, and a 400 here is a failure of the generated input, reported as such.
 */
import { Types } from 'mongoose';
import type { Test } from 'supertest';
import { ROLE_DEFS, ROLES, type Role } from '@shared/roles';
import { isValidateMiddleware, type RouteAccess } from '../../server/src/core/middleware';
import { createTestContext, loginAs, type LoggedIn, type TestContext } from '../harness';
import { ownedObjects, type Owned, type OwnedTarget } from './authz-fixtures';

let t: TestContext;
afterAll(() => t?.close());

type Json = Record<string, unknown>;
interface Operation {
  method: string;
  /** OpenAPI form: /api/v1/cases/{id}. */
  path: string;
  access: RouteAccess | undefined;
  pathParams: Json[];
  queryParams: Json[];
  body: Json | undefined;
}

/** An id nothing has: what "does not exist" answers. */
const MISSING = new Types.ObjectId().toHexString();
const FUTURE = new Date(Date.now() + 2 * 86_400_000).toISOString();

const LATER = new Date(Date.now() + 3 * 86_400_000).toISOString();
/** Inputs the schemas' cross-field refinements need (JSON Schema cannot say them), by route. */
const BODY_FIXTURES: Record<string, Json> = {
  'PATCH /api/v1/merchants/{id}': { intro: '新的简介' },
  'POST /api/v1/volunteers/activities': { endAt: LATER },
  'PATCH /api/v1/volunteers/activities/{id}/roster/{userId}': { checkInAt: FUTURE },
  'POST /api/v1/coupons/redeem': { code: 'ABCDEFGH12345678' },
};

/** A value matching each pattern the schemas use; a new pattern fails the suite here until it is added. */
const PATTERN_SAMPLES: Record<string, string> = {
  '^[0-9a-f]{24}$': MISSING,
  '^(https?:\\/\\/\\S+|\\/api\\/v1\\/files\\/[A-Za-z0-9._-]+)$': 'https://img.example.cn/a.jpg',
  '^[a-z][a-z0-9_.-]{2,31}$': 'staff01',
  '^[A-Za-z0-9_-]{43}$': 'a'.repeat(43),
  '^[A-Za-z0-9_-]+$': 'abc',
  '^[0-9a-f]{24}\\.(jpg|png|gif|webp|mp4)$': `${MISSING}.jpg`,
  '^1\\d{10}$': '13800138000',
  '^[A-Z0-9]{10,16}$': 'ABCDEF123456',
  '^https:\\/\\/.*': 'https://example.cn/a',
  '^(1\\d{10}|0\\d{2,3}-?\\d{7,8})$': '13800138000',
  '^([0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}|\\d{15})$': '91361030MA35ABCD1X',
  '^[A-Z0-9]{8}$': 'ABCD1234',
  '^20\\d{2}-(0[1-9]|1[0-2])$': '2026-12',
  '^[0-9a-f]{40}$': 'a'.repeat(40),
  '^\\d{1,12}$': '123',
  '^\\d{1,20}$': '123',
  '^\\d{4}-\\d{2}$': '2026-11',
  '^[a-z0-9][a-z0-9-]{0,31}$': 'nodept',
  '^\\d{4}-\\d{2}-\\d{2}$': '2026-12-25',
  '^20\\d{2}-\\d{2}-\\d{2}$': '2026-12-25',
  '^[0-9+\\- ]{5,20}$': '13800138000',
  '^[a-z][a-z0-9-]{1,23}$': 'culture',
};

/** A minimal value valid against a JSON Schema from z.toJSONSchema: required fields only, first branch of unions. */
function sample(schema: Json): unknown {
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const branches = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (branches) return sample(branches.find((b) => b.type !== 'null') ?? branches[0]!);
  if (Array.isArray(schema.allOf)) return sample(schema.allOf[0] as Json);
  const type = Array.isArray(schema.type) ? (schema.type as string[]).find((x) => x !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Json>;
      const required = (schema.required ?? []) as string[];
      return Object.fromEntries(required.map((k) => [k, sample(props[k] ?? {})]));
    }
    case 'array':
      return Array.from({ length: Number(schema.minItems ?? 0) }, () => sample((schema.items ?? {}) as Json));
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? (typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : undefined);
      const value = typeof min === 'number' ? Math.ceil(min) : 1;
      return typeof schema.maximum === 'number' ? Math.min(value, schema.maximum) : value;
    }
    case 'boolean':
      return true;
    case 'string': {
      // zod's ISO date-time carries a long pattern; the format says it all.
      if (schema.format === 'date-time') return FUTURE;
      if (typeof schema.pattern === 'string') {
        const value = PATTERN_SAMPLES[schema.pattern];
        if (value === undefined) throw new Error(`no sample for pattern ${schema.pattern}: add one to PATTERN_SAMPLES`);
        return value;
      }
      if (schema.format === 'uri') return 'https://example.cn/a';
      const length = Math.min(Math.max(Number(schema.minLength ?? 1), 1), Number(schema.maxLength ?? 1e6));
      return '测'.repeat(length);
    }
    default:
      return 'x';
  }
}

function operations(doc: Json): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = (op.parameters ?? []) as Json[];
      const body = (op.requestBody as Json | undefined)?.content as Record<string, { schema: Json }> | undefined;
      out.push({
        method,
        path,
        access: op['x-access'] as RouteAccess | undefined,
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query' && p.required === true),
        body: body?.['application/json']?.schema,
      });
    }
  }
  return out;
}

/** The request for `op`, with generated inputs and `ids` for path parameters (by name) when given. */
function requestFor(op: Operation, { ids = {}, query: queryOver = {}, body: bodyOver = {} }: OwnedTarget = {}) {
  let url = op.path;
  for (const p of op.pathParams) {
    const name = p.name as string;
    url = url.replace(`{${name}}`, encodeURIComponent(ids[name] ?? String(sample(p.schema as Json))));
  }
  const query = { ...Object.fromEntries(op.queryParams.map((p) => [p.name as string, String(sample(p.schema as Json))])), ...queryOver };
  const fixed = BODY_FIXTURES[`${op.method.toUpperCase()} ${op.path}`];
  const body = op.body ? { ...(sample(op.body) as Json), ...fixed, ...bodyOver } : undefined;
  return { url, query, body };
}

async function call(who: LoggedIn | null, op: Operation, target?: OwnedTarget) {
  const { url, query, body } = requestFor(op, target);
  const agent = who ? who.agent : t.request;
  let req = (agent as unknown as Record<string, (u: string) => Test>)[op.method]!(url)
    .query(query)
    .set('Idempotency-Key', `authz-${new Types.ObjectId().toHexString()}`);
  if (body !== undefined) req = req.send(body);
  const res = await req;
  return { route: `${op.method.toUpperCase()} ${op.path}`, url, status: res.status, error: res.body?.error as Json | undefined };
}

type Answer = Awaited<ReturnType<typeof call>>;
/** A refusal: 403 or 404 with a code and a message, nothing more (no `details`: no state, no ids). */
const refused = (a: Answer) =>
  [403, 404].includes(a.status) && a.error !== undefined && Object.keys(a.error).sort().join() === 'code,message';
/** Every answer that is not a refusal, readable in the failure message. */
const notRefused = (answers: Array<Answer & { as: string }>) =>
  answers.filter((a) => !refused(a)).map((a) => ({ route: a.route, as: a.as, status: a.status, error: a.error }));

const rolesOf = (access: RouteAccess | undefined): readonly Role[] | null =>
  access && typeof access === 'object' && 'roles' in access ? access.roles : null;

let doc: Json;
let ops: Operation[];
/** One signed-in user per role (scoped roles in a scope of their own); `citizen` holds nothing else. */
const holders = new Map<Role, LoggedIn>();
let owned: Owned;
/** Real objects for the route's path parameters where there are some (longest matching path first). */
const realIds = (op: Operation): OwnedTarget => {
  const match = owned.under.filter(([prefix]) => op.path === prefix || op.path.startsWith(`${prefix}/`));
  return { ids: match.sort(([a], [b]) => b.length - a.length)[0]?.[1] ?? {} };
};

beforeAll(async () => {
  t = await createTestContext();
  doc = (await t.request.get('/api/openapi.json').expect(200)).body as Json;
  ops = operations(doc);
  for (const role of ROLES) holders.set(role, await loginAs(t, role));
  owned = await ownedObjects(t, holders.get('admin')!);
});

describe('the route table', () => {
  it('every mounted route declares its access (validate(…, { access })), and the document shows it', () => {
    const missing: string[] = [];
    let routes = 0;
    for (const router of t.app.routers) {
      for (const layer of router.stack) {
        const v = layer.stack.find(isValidateMiddleware);
        for (const method of layer.methods.filter((m) => m !== 'HEAD')) {
          routes += 1;
          if (!v?.doc.access) missing.push(`${method} ${layer.path}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(routes).toBeGreaterThan(150);
    expect(ops.filter((op) => op.access === undefined).map((op) => `${op.method} ${op.path}`)).toEqual([]);
    expect(ops.length).toBe(routes);
  });
});

describe('anonymous callers', () => {
  it('get 401 AUTH_REQUIRED from every route that is not public, and public routes never ask for a sign-in', async () => {
    const answers = await Promise.all(ops.map((op) => call(null, op).then((a) => ({ a, op }))));
    const wrong = answers.flatMap(({ a, op }) => {
      const expected = op.access === 'public' ? a.error?.code !== 'AUTH_REQUIRED' : a.status === 401 && a.error?.code === 'AUTH_REQUIRED';
      return expected ? [] : [{ route: a.route, access: op.access, status: a.status, code: a.error?.code }];
    });
    expect(wrong).toEqual([]);
  });
});

describe('signed-in callers without the role', () => {
  it('are refused (403 / 404, no details) by every route that names roles, never told a state', async () => {
    const checked: Array<Answer & { as: string }> = [];
    for (const op of ops) {
      const roles = rolesOf(op.access);
      if (!roles) continue;
      const outsiders = ROLES.filter((r) => !roles.includes(r));
      // On a missing object and on a real one: a role check after the lookup would hide behind the 404.
      for (const target of [{}, realIds(op)]) {
        checked.push(...(await Promise.all(outsiders.map(async (r) => ({ as: r, ...(await call(holders.get(r)!, op, target)) })))));
      }
    }
    expect(checked.length).toBeGreaterThan(600);
    // The real objects are used: most object routes that name roles point at one.
    expect(ops.filter((op) => rolesOf(op.access) && Object.keys(realIds(op).ids ?? {}).length > 0).length).toBeGreaterThan(40);
    expect(notRefused(checked)).toEqual([]);
  });
});

describe('signed-in callers who do not own the object', () => {
  it('are refused (403 / 404, no details) on every owner-scoped route, against real objects of someone else', async () => {
    const targets = owned.routes;
    const ownerScoped = ops.filter((op) => op.access && typeof op.access === 'object' && 'owner' in op.access);
    // Every owner-scoped route names its object in authz-fixtures.ts: a new one fails until it does.
    expect(ownerScoped.map((op) => `${op.method.toUpperCase()} ${op.path}`).filter((r) => !(r in targets))).toEqual([]);
    const stranger = await loginAs(t, 'citizen');
    const checked: Array<Answer & { as: string }> = [];
    for (const op of ownerScoped) {
      const target = targets[`${op.method.toUpperCase()} ${op.path}`];
      // A stranger, and each scoped role the route names, held for another circle / team / merchant / department.
      const scoped = (rolesOf(op.access) ?? []).filter((r) => ROLE_DEFS[r].scopes.length > 0);
      const callers: Array<[string, LoggedIn]> = [
        ['a stranger', stranger],
        ...scoped.map((r): [string, LoggedIn] => [`${r} elsewhere`, holders.get(r)!]),
      ];
      checked.push(...(await Promise.all(callers.map(async ([as, who]) => ({ as, ...(await call(who, op, target)) })))));
    }
    expect(checked.length).toBeGreaterThan(60);
    expect(notRefused(checked)).toEqual([]);
  });
});
