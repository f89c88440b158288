/**
 * Fuzz of the whole API: every operation in /api/openapi.json gets schema-aware valid-ish input from each
 * identity (anonymous and every role), then hostile input (invalid ids, path traversal, bad percent
 * escapes, wrong types, arrays, missing and extra fields, `$`/`__proto__`/`constructor` keys, deep
 * nesting, huge strings, odd unicode, forged tokens, non-JSON bodies). No answer may be ≥ 500, and every
 * 4xx must be the one error shape with a code listed in shared/errors.ts and a message.
 *
 * Reproducible: fast-check draws every input from a fixed seed (FUZZ_SEED overrides it; FUZZ_RUNS sets the
 * hostile requests per operation for a longer hunt). Requests go over a real socket to a server set up as
 * main.ts sets it up (node:http, so paths are sent as written — fetch would normalise `..` away).
 */
import { Agent, createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { ERROR_CODES } from '@shared/errors';
import { ROLES } from '@shared/roles';
import { answerClientError } from '../../server/src/core/net/client-error';
import { createTestContext, loginAs, type TestContext } from '../harness';

const SEED = Number(process.env.FUZZ_SEED ?? 20261216);
/** Hostile requests per operation (each from a random identity), on top of one valid-ish request per identity. */
const HOSTILE_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 8);
// ~200 operations × (13 identities + 8 hostile) requests, four at a time: ~45 s on a loaded 2-core machine.
jest.setTimeout(240_000);

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  pattern?: string;
  format?: string;
};

interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: JsonSchema;
}

interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: JsonSchema;
}

interface Identity {
  name: string;
  token?: string;
}

/** What one request is made of; generated, then sent. */
interface Case {
  identity: Identity;
  /** Header value instead of the identity's bearer token (forged, malformed). */
  authorization?: string;
  /** Raw path segment values, already escaped (or deliberately not). */
  params: Record<string, string>;
  query: [string, string][];
  /** Raw body text (JSON or deliberately not) and its content type. */
  body?: { text: string; type?: string; encoding?: string };
  idempotencyKey?: string;
}

const HEX24 = /^\^\[0-9a-f(A-F)?\]\{24\}\$$/;
const OBJECT_ID = /^[0-9a-f]{24}$/;
const randomObjectId = fc.stringMatching(OBJECT_ID);

/**
 * Ids that answers of earlier operations carried (a team created, a case filed…), in the order they came:
 * an id drawn from here reaches the code behind "not found", which a random id never does.
 */
const knownIds: string[] = [];

function objectId(): fc.Arbitrary<string> {
  return knownIds.length > 0 ? fc.oneof(randomObjectId, fc.constantFrom(...knownIds)) : randomObjectId;
}

/** The ids a success body names (`id`, `…Id`), appended to knownIds. */
function harvestIds(value: unknown, key = '', depth = 0): void {
  if (depth > 6 || knownIds.length >= 300) return;
  if (typeof value === 'string') {
    if ((key === 'id' || key.endsWith('Id')) && OBJECT_ID.test(value) && !knownIds.includes(value)) knownIds.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value.slice(0, 5)) harvestIds(item, key, depth + 1);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) harvestIds(v, k, depth + 1);
  }
}

// ── schema-aware valid-ish values ─────────────────────────────────────────────

function valueFor(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => valueFor(s, depth)));
  if (schema.allOf?.[0]) return valueFor(schema.allOf[0], depth);
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => valueFor({ ...schema, type }, depth)));
  switch (schema.type) {
    case 'string':
      return stringFor(schema);
    case 'integer':
      return fc.integer({ min: bound(schema, 'min', -1000), max: bound(schema, 'max', 1000) });
    case 'number':
      return fc.double({ min: bound(schema, 'min', -1000), max: bound(schema, 'max', 1000), noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(valueFor(schema.items ?? {}, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
      });
    case 'object':
      return objectFor(schema, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function bound(schema: JsonSchema, side: 'min' | 'max', fallback: number): number {
  if (side === 'min') return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : fallback);
  return schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : fallback);
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.pattern && HEX24.test(schema.pattern)) return objectId();
  if (schema.format === 'date-time')
    return fc.date({ min: new Date('2025-01-01'), max: new Date('2028-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'date')
    return fc
      .date({ min: new Date('2025-01-01'), max: new Date('2028-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 200));
    } catch {
      // A pattern fast-check cannot build strings for: plain strings are valid-ish enough.
    }
  }
  const minLength = schema.minLength ?? 0;
  return fc.string({ minLength, maxLength: Math.max(minLength, Math.min(schema.maxLength ?? 30, 30)), unit: 'grapheme' });
}

function objectFor(schema: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  if (depth > 4 || Object.keys(properties).length === 0) {
    return typeof schema.additionalProperties === 'object'
      ? fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), valueFor(schema.additionalProperties, depth + 1), { maxKeys: 3 })
      : fc.constant({});
  }
  const arbs = Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, valueFor(s, depth + 1)]));
  return fc.record(arbs, { requiredKeys: (schema.required ?? []).filter((k) => k in properties) }) as fc.Arbitrary<Record<string, unknown>>;
}

// ── hostile values ────────────────────────────────────────────────────────────

const HOSTILE_STRINGS = [
  '',
  ' ',
  'null',
  'undefined',
  '-1',
  '1e999',
  'NaN',
  '0x10',
  '000000000000000000000000',
  'ffffffffffffffffffffffff',
  'zzzzzzzzzzzzzzzzzzzzzzzz',
  '0000000000000000000000000',
  '[object Object]',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '__proto__',
  'constructor',
  'prototype',
  '$where',
  '{"$gt":""}',
  '<script>alert(1)</script>',
  "'; DROP TABLE users; --",
  '\u0000',
  '\ud800',
  '\u202e\u0644\u0639\u0631\u0628\u064a',
  'e\u0301\u0301\u0301\u0301',
  '\u200b\u200d\ufeff',
  '😀'.repeat(500),
  '名'.repeat(5000),
  'x'.repeat(200_000),
];

const HOSTILE_KEYS = ['$where', '$gt', '__proto__', 'constructor', 'prototype', 'a.b', 'isAdmin', 'roles', '_id', 'toString', ''];

/** Stands for 5,000 nested arrays, spliced into the JSON text (JSON.stringify itself would overflow). */
const DEEP = '__deep_nesting__';

function toJsonText(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(`"${DEEP}"`, `${'['.repeat(5000)}${']'.repeat(5000)}`);
}

function nested(levels: number, leaf: unknown = 0): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i += 1) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(...HOSTILE_STRINGS),
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    -0,
    1.5,
    2 ** 53 + 1,
    1e308,
    -1e308,
    [],
    {},
    [null],
    [1, 'a', {}],
    { $gt: '' },
    { $ne: null },
    { $where: 'sleep(1000)' },
    JSON.parse('{"__proto__":{"isAdmin":true}}'),
    { constructor: { prototype: { isAdmin: true } } },
    nested(40),
    DEEP,
    new Array(12_000).fill(1),
  ),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Replaces, drops or adds one field of a valid-ish body, or replaces the whole body. */
function mutateBody(valid: unknown): fc.Arbitrary<unknown> {
  const keys = valid !== null && typeof valid === 'object' && !Array.isArray(valid) ? Object.keys(valid) : [];
  const options: fc.Arbitrary<unknown>[] = [
    hostileValue,
    fc.tuple(fc.constantFrom(...HOSTILE_KEYS), hostileValue).map(([k, v]) => withKey(valid, k, v)),
  ];
  if (keys.length > 0) {
    options.push(fc.tuple(fc.constantFrom(...keys), hostileValue).map(([k, v]) => withKey(valid, k, v)));
    options.push(fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(valid as object).filter(([key]) => key !== k))));
  }
  return fc.oneof(...options);
}

/** A copy with `key` set as an own property (also `__proto__`, which plain assignment would not make). */
function withKey(base: unknown, key: string, value: unknown): unknown {
  const copy = base !== null && typeof base === 'object' && !Array.isArray(base) ? { ...base } : {};
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Path segment values: escaped hostile strings, plus raw ones that break decoding or address other paths. */
const hostileParam: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length > 0 && s.length < 10_000)).map(escape),
  fc.constantFrom('..', '.', '%zz', '%E0%A4%A', '%00', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', 'a'.repeat(4000), '%C0%AE%C0%AE'),
);

const hostileQueryValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length < 10_000)),
  fc.constantFrom('a'.repeat(6000), '-99999999999999999999', '1.5', 'true', '[]', '{}'),
);

const hostileAuthorization = fc.constantFrom(
  'Bearer',
  'Bearer ',
  'Bearer not-a-token',
  'Bearer a.b.c',
  'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
  'Basic Zm9vOmJhcg==',
  `Bearer ${'x'.repeat(4000)}`,
  'bearer\tx',
);

/**
 * Bodies no JSON schema describes: broken or hostile JSON, other media types, a cut-off upload. Each goes once
 * to every operation that takes a body, from a signed-in user (so routes behind requireAuth parse it too).
 */
const RAW_BODIES: NonNullable<Case['body']>[] = [
  { text: '{"a":', type: 'application/json' },
  { text: 'null', type: 'application/json' },
  { text: '"text"', type: 'application/json' },
  { text: '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}', type: 'application/json' },
  { text: `{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}`, type: 'application/json' },
  { text: 'a=1&b=2', type: 'application/x-www-form-urlencoded' },
  { text: 'plain text', type: 'text/plain' },
  { text: '{"a":1}', type: 'application/json; charset=latin1' },
  { text: '{"a":1}', type: 'application/json; charset=utf-16' },
  {
    text: '--zz\r\nContent-Disposition: form-data; name="file"; filename="../../x.png"\r\n\r\nGIF89a',
    type: 'multipart/form-data; boundary=zz',
  },
  { text: '{"a":1}', type: 'application/json', encoding: 'gzip' },
  { text: '{"a":1}', type: 'application/json', encoding: 'br' },
  { text: '{"a":1}', type: 'application/json', encoding: 'x-unknown' },
  { text: 'GIF89a\u0000\u0000not really an image', type: 'image/png' },
  { text: '\u0089PNG\r\n\u001a\n', type: 'image/jpeg' },
];

/** encodeURIComponent, except that a lone surrogate (which it refuses) becomes raw invalid UTF-8: hostile too. */
function escape(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return `${encodeURIComponent(value.replace(/[\ud800-\udfff]/g, ''))}%ED%A0%80`;
  }
}

// ── requests ──────────────────────────────────────────────────────────────────

function operationsOf(document: { paths: Record<string, Record<string, Record<string, unknown>>> }): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const requestBody = op.requestBody as { content: { 'application/json': { schema: JsonSchema } } } | undefined;
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters ?? []) as Parameter[],
        body: requestBody?.content['application/json'].schema,
      });
    }
  }
  // Operations without path parameters (creations, lists) first: their answers fill knownIds for the rest.
  // Logging out kills the token it is sent with: last, so every other operation sees live identities.
  const rank = (op: Operation) => (op.path.endsWith('/logout') ? 2 : op.path.includes('{') ? 1 : 0);
  return operations.sort((a, b) => rank(a) - rank(b));
}

function validCase(op: Operation, identity: Identity): fc.Arbitrary<Case> {
  const params = op.parameters.filter((p) => p.in === 'path');
  const query = op.parameters.filter((p) => p.in === 'query');
  return fc.record({
    params: fc.record(Object.fromEntries(params.map((p) => [p.name, valueFor(p.schema).map((v) => escape(String(v)))]))),
    query: fc
      .record(Object.fromEntries(query.map((p) => [p.name, valueFor(p.schema)])), {
        requiredKeys: query.filter((p) => p.required).map((p) => p.name),
      })
      .map((q) => Object.entries(q).map(([k, v]): [string, string] => [k, String(v)])),
    body: op.body ? valueFor(op.body).map((b) => ({ text: JSON.stringify(b) })) : fc.constant(undefined),
    identity: fc.constant(identity),
  });
}

function hostileCase(op: Operation, identities: Identity[]): fc.Arbitrary<Case> {
  return validCase(op, identities[0] as Identity).chain((valid) => {
    const pathNames = Object.keys(valid.params);
    return fc.record({
      identity: fc.constantFrom(...identities),
      authorization: fc.option(hostileAuthorization, { freq: 6 }),
      idempotencyKey: fc.option(fc.constantFrom('', 'k', 'x'.repeat(300), 'key with spaces', 'a\tb'), { freq: 4 }),
      params:
        pathNames.length > 0
          ? fc.tuple(fc.constantFrom(...pathNames), hostileParam).map(([name, value]) => ({ ...valid.params, [name]: value }))
          : fc.constant(valid.params),
      query: fc.oneof<fc.Arbitrary<[string, string][]>[]>(
        fc.constant(valid.query),
        fc
          .tuple(fc.constantFrom(...HOSTILE_KEYS, ...valid.query.map(([k]) => k)), hostileQueryValue)
          .map(([k, v]) => [...valid.query, [k, v] as [string, string]]),
        // The same key twice: koa's ctx.query then holds an array where the schema expects a string.
        fc.constant(valid.query.flatMap((pair) => [pair, pair])),
        fc.constant<[string, string][]>([...valid.query, ['a[b]', '1'], ['c[]', '2']]),
      ),
      body: fc.oneof(
        mutateBody(valid.body ? JSON.parse(valid.body.text) : {}).map((b) => ({ text: toJsonText(b) })),
        fc.constantFrom(...RAW_BODIES),
      ),
    });
  });
}

/**
 * The same request with only what the schema requires: optional query parameters and body fields left
 * out, so defaults and "no filter" paths run too (a random valid case nearly always sets some of them).
 */
function minimalOf(op: Operation, c: Case): Case | undefined {
  const required = new Set(op.parameters.filter((p) => p.in === 'query' && p.required).map((p) => p.name));
  const query = c.query.filter(([k]) => required.has(k));
  const bodyKeys = new Set(op.body?.required ?? []);
  const parsed: unknown = c.body ? JSON.parse(c.body.text) : undefined;
  const body =
    parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? { text: JSON.stringify(Object.fromEntries(Object.entries(parsed).filter(([k]) => bodyKeys.has(k)))) }
      : c.body;
  const minimal = { ...c, query, body };
  return query.length === c.query.length && body?.text === c.body?.text ? undefined : minimal;
}

/** A valid-ish request of `op` from the signed-in citizen (every WeChat user is one), to carry a raw body. */
function citizenCase(op: Operation): Case {
  const citizen = identitiesByName.get('citizen') as Identity;
  return fc.sample(validCase(op, citizen), { seed: SEED, numRuns: 1 })[0] as Case;
}

function urlOf(op: Operation, c: Case): string {
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => c.params[name] ?? 'x');
  const query = c.query.map(([k, v]) => `${escape(k)}=${escape(v)}`).join('&');
  return query ? `${path}?${query}` : path;
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

function send(port: number, agent: Agent, method: string, path: string, c: Case): Promise<Answer> {
  const headers: Record<string, string> = {};
  const auth = c.authorization ?? (c.identity.token ? `Bearer ${c.identity.token}` : undefined);
  if (auth !== undefined) headers.authorization = auth;
  if (c.idempotencyKey !== undefined) headers['idempotency-key'] = c.idempotencyKey;
  const hasBody = c.body !== undefined && method !== 'GET' && method !== 'HEAD';
  const payload = hasBody ? Buffer.from(c.body?.text ?? '') : undefined;
  if (payload) {
    headers['content-type'] = c.body?.type ?? 'application/json';
    if (c.body?.encoding) headers['content-encoding'] = c.body.encoding;
    // Node's client frames a DELETE body only with a length; unframed, its bytes would read as the next request.
    headers['content-length'] = String(payload.length);
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent, timeout: 20_000 }, (res) => {
      const contentType = String(res.headers['content-type'] ?? '');
      // A server-sent event stream never ends: its status and type are the answer.
      if (contentType.startsWith('text/event-stream')) {
        resolve({ status: res.statusCode ?? 0, contentType, text: '' });
        res.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer in 20 s')));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Why an answer breaks the contract, or undefined. */
function violation(answer: Answer): string | undefined {
  if (answer.status >= 500) return `status ${answer.status}: ${answer.text.slice(0, 200)}`;
  if (answer.status < 400) return undefined;
  if (!answer.contentType.includes('application/json')) return `status ${answer.status} with content-type "${answer.contentType}"`;
  let body: { error?: { code?: unknown; message?: unknown } };
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    return `status ${answer.status} with a body that is not JSON: ${answer.text.slice(0, 200)}`;
  }
  const code = body.error?.code;
  if (typeof code !== 'string' || !(code in ERROR_CODES)) return `status ${answer.status} with unknown code ${String(code)}`;
  if (typeof body.error?.message !== 'string' || body.error.message.length === 0)
    return `status ${answer.status} ${code} without a message`;
  return undefined;
}

// ── the run ───────────────────────────────────────────────────────────────────

let t: TestContext;
let server: Server;
let port: number;
const CONCURRENCY = 4;
const identitiesByName = new Map<string, Identity>();
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

beforeAll(async () => {
  t = await createTestContext();
  server = createServer(t.app.callback());
  // As main.ts sets it up: URLs past Node's header limit are answered there, before Koa.
  server.on('clientError', answerClientError);
  // Some operations keep the CPU busy for seconds (certificate PNGs): a pooled socket idle past Node's 5 s
  // keep-alive timeout would be closed just as the agent reuses it ("socket hang up", a client-side race).
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  agent.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

test('every operation, from every identity, with valid-ish and hostile input: no answer ≥ 500, every 4xx in the error shape', async () => {
  const document = (await t.request.get('/api/openapi.json')).body;
  const operations = operationsOf(document);
  expect(operations.length).toBeGreaterThan(150);

  const identities: Identity[] = [{ name: 'anonymous' }];
  for (const role of ROLES) identities.push({ name: role, token: (await loginAs(t, role)).token });
  for (const identity of identities) identitiesByName.set(identity.name, identity);

  const failures: string[] = [];
  const timings: [number, string][] = [];
  const statuses = new Map<number, number>();
  let sent = 0;
  for (const [index, op] of operations.entries()) {
    const started = Date.now();
    const cases = [
      ...identities.flatMap((identity, i) =>
        fc.sample(validCase(op, identity), { seed: SEED + index * 100 + i, numRuns: 1 }).flatMap((c) => [c, minimalOf(op, c) ?? []].flat()),
      ),
      ...fc.sample(hostileCase(op, identities), { seed: SEED + index * 100 + 99, numRuns: HOSTILE_PER_OPERATION }),
      ...(op.method === 'GET' || op.method === 'DELETE' ? [] : RAW_BODIES.map((body) => ({ ...citizenCase(op), body }))),
    ];
    // A few requests in flight at once: the time goes to database round trips, not to CPU.
    const answers: (Answer | undefined)[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const at = next++;
        const c = cases[at] as Case;
        const path = urlOf(op, c);
        let problem: string | undefined;
        try {
          const answer = await send(port, agent, op.method, path, c);
          answers[at] = answer;
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          problem = violation(answer);
        } catch (err) {
          problem = `no answer: ${(err as Error).message}`;
        }
        sent += 1;
        if (problem) {
          const body = c.body && op.method !== 'GET' ? ` body=${c.body.text.slice(0, 160)}` : '';
          const auth = c.authorization ? ` (auth "${c.authorization.slice(0, 30)}")` : '';
          failures.push(`${op.method} ${op.path} as ${c.identity.name}${auth}: ${problem}\n    ${path.slice(0, 200)}${body}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    // In case order, not answer order, so the next operations draw the same ids on every run.
    for (const answer of answers) {
      if (answer && answer.status < 300 && answer.contentType.includes('application/json')) harvestIds(JSON.parse(answer.text));
    }
    timings.push([Date.now() - started, `${op.method} ${op.path}`]);
  }
  if (process.env.FUZZ_TIMING) {
    console.log(timings.sort((a, b) => b[0] - a[0]).slice(0, 10), [...statuses].sort(), knownIds.length);
  }
  expect(sent).toBeGreaterThanOrEqual(operations.length * (identities.length + HOSTILE_PER_OPERATION));
  expect(failures.sort()).toEqual([]);
});
