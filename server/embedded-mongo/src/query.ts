/**
 * Query matching over typed BSON documents. mingo's own matcher compares JS values only (it sees Int32 5 and
 * 5 as different types and cannot order Decimal128 or Longs above 2^53), so filters are evaluated here with
 * MongoDB's comparison rules from values.ts; `$expr` is handed to mingo on a plain-number view of the document.
 */
import { BSONRegExp } from 'bson';
import { Query } from 'mingo';
import { badValue, MongoServerError, notSupported } from './errors';
import { bsonTypeName, compareValues, isPlainObject, rank, Rank, toNumber, toPlain, TYPE_ALIASES, type Doc } from './values';

export type Predicate = (doc: unknown) => boolean;
type Test = (value: unknown) => boolean;

const UNSUPPORTED_QUERY_OPS = new Set([
  '$where',
  '$text',
  '$jsonSchema',
  '$geoWithin',
  '$geoIntersects',
  '$near',
  '$nearSphere',
  '$bitsAllSet',
  '$bitsAnySet',
  '$bitsAllClear',
  '$bitsAnyClear',
  '$sampleRate',
]);

/**
 * True when any value reached by the dotted path (descending through arrays like MongoDB) satisfies `test`;
 * with `expand`, the elements of an array found at the end of the path are tested too.
 */
export function anyAtPath(v: unknown, parts: readonly string[], i: number, test: Test, expand: boolean): boolean {
  if (i === parts.length) {
    if (test(v)) return true;
    return expand && Array.isArray(v) && v.some(test);
  }
  const key = parts[i]!;
  if (Array.isArray(v)) {
    if (/^\d+$/.test(key) && Number(key) < v.length && anyAtPath(v[Number(key)], parts, i + 1, test, expand)) return true;
    let sawDoc = false;
    for (const e of v) {
      if (isPlainObject(e)) {
        sawDoc = true;
        if (anyAtPath(e, parts, i, test, expand)) return true;
      }
    }
    return sawDoc ? false : anyAtPath(undefined, parts, parts.length, test, false);
  }
  if (isPlainObject(v)) return anyAtPath(v[key], parts, i + 1, test, expand);
  return anyAtPath(undefined, parts, parts.length, test, false);
}

export function isOperatorObject(v: unknown): v is Doc {
  if (!isPlainObject(v)) return false;
  const first = Object.keys(v)[0];
  return first !== undefined && first.startsWith('$');
}

/** JS RegExp flags for MongoDB regex options; `x` (extended) has no JS equivalent and is refused. */
function regexFlags(options: unknown): string {
  const o = String(options ?? '');
  const bad = o.replace(/[imsu]/g, '');
  if (bad) throw notSupported(`$regex option '${bad}'`);
  return o;
}

function toRegExp(v: unknown, options?: unknown): RegExp {
  if (v instanceof RegExp && options === undefined) return v;
  const [source, flags] =
    v instanceof RegExp ? [v.source, options] : v instanceof BSONRegExp ? [v.pattern, options ?? v.options] : [v, options];
  if (typeof source !== 'string') throw badValue('$regex has to be a string');
  try {
    return new RegExp(source, regexFlags(flags));
  } catch (e) {
    if (e instanceof MongoServerError) throw e;
    throw new MongoServerError(51091, `Regular expression is invalid: ${(e as Error).message}`);
  }
}

function isRegex(v: unknown): boolean {
  return v instanceof RegExp || v instanceof BSONRegExp;
}

function eqTest(target: unknown): Test {
  if (isRegex(target)) {
    const re = toRegExp(target);
    return (x) => (typeof x === 'string' && re.test(x)) || (isRegex(x) && String(x) === String(target));
  }
  if (target === null || target === undefined) return (x) => x === null || x === undefined;
  const r = rank(target);
  return (x) => rank(x) === r && compareValues(x, target) === 0;
}

function cmpTest(target: unknown, ok: (c: number) => boolean): Test {
  const r = rank(target);
  if (r === Rank.MinKey || r === Rank.MaxKey) return (x) => ok(compareValues(x, target));
  return (x) => rank(x) === r && ok(compareValues(x, target));
}

function typeTest(spec: unknown): Test {
  const names = (Array.isArray(spec) ? spec : [spec]).map((t) => {
    if (typeof t === 'string') {
      const known = t === 'number' || t === 'dbPointer' || t === 'javascriptWithScope' || Object.values(TYPE_ALIASES).includes(t);
      if (!known) throw badValue(`Unknown type name alias: ${t}`);
      return t;
    }
    const n = toNumber(t);
    const name = TYPE_ALIASES[n];
    if (!name) throw badValue(`Invalid numerical type code: ${n}`);
    return name;
  });
  return (x) => {
    if (x === undefined) return false;
    const t = bsonTypeName(x);
    return names.some((n) => n === t || (n === 'number' && rank(x) === Rank.Number));
  };
}

/** Tests for the operators of one field, e.g. { $gt: 1, $lt: 5 }. `parts` undefined = test the value itself ($elemMatch on scalars). */
function compileOperators(ops: Doc, parts: readonly string[]): Predicate {
  const preds: Predicate[] = [];
  const at =
    (test: Test, expand = true): Predicate =>
    (doc) =>
      anyAtPath(doc, parts, 0, test, expand);
  for (const [op, arg] of Object.entries(ops)) {
    switch (op) {
      case '$eq':
        preds.push(at(eqTest(arg)));
        break;
      case '$ne': {
        const p = at(eqTest(arg));
        preds.push((d) => !p(d));
        break;
      }
      case '$gt':
        preds.push(at(cmpTest(arg, (c) => c > 0)));
        break;
      case '$gte':
        preds.push(at(cmpTest(arg, (c) => c >= 0)));
        break;
      case '$lt':
        preds.push(at(cmpTest(arg, (c) => c < 0)));
        break;
      case '$lte':
        preds.push(at(cmpTest(arg, (c) => c <= 0)));
        break;
      case '$in':
      case '$nin': {
        if (!Array.isArray(arg)) throw badValue(`${op} needs an array`);
        const tests = arg.map(eqTest);
        const p = at((x) => tests.some((t) => t(x)));
        preds.push(op === '$in' ? p : (d) => !p(d));
        break;
      }
      case '$exists': {
        const p = at((x) => x !== undefined, false);
        const want = Boolean(typeof arg === 'object' && arg !== null ? toNumber(arg) : arg);
        preds.push(want ? p : (d) => !p(d));
        break;
      }
      case '$type':
        preds.push(at(typeTest(arg)));
        break;
      case '$size': {
        const n = toNumber(arg);
        if (!Number.isInteger(n)) throw badValue('$size needs an integer');
        if (n < 0) throw badValue('$size may not be negative');
        preds.push(at((x) => Array.isArray(x) && x.length === n, false));
        break;
      }
      case '$regex': {
        const re = toRegExp(arg, ops.$options);
        preds.push(at((x) => typeof x === 'string' && re.test(x)));
        break;
      }
      case '$options':
        if (!('$regex' in ops)) throw badValue('$options needs a $regex');
        break;
      case '$mod': {
        if (!Array.isArray(arg) || arg.length !== 2) throw badValue('malformed mod, needs to be an array of two numbers');
        const [d, r] = arg.map(toNumber) as [number, number];
        if (d === 0) throw badValue('divisor cannot be 0');
        preds.push(at((x) => rank(x) === Rank.Number && Math.trunc(toNumber(x)) % d === r));
        break;
      }
      case '$all': {
        if (!Array.isArray(arg)) throw badValue('$all needs an array');
        const subs = arg.map((v) => (isPlainObject(v) && '$elemMatch' in v ? compileOperators(v, parts) : at(eqTest(v))));
        preds.push((d) => subs.length > 0 && subs.every((p) => p(d)));
        break;
      }
      case '$elemMatch': {
        if (!isPlainObject(arg)) throw badValue('$elemMatch needs an Object');
        const inner =
          isOperatorObject(arg) && !['$and', '$or', '$nor', '$expr'].includes(Object.keys(arg)[0]!)
            ? compileOperators(arg, [])
            : compileFilter(arg);
        const scalarOps = isOperatorObject(arg);
        preds.push(at((x) => Array.isArray(x) && x.some((e) => (scalarOps || isPlainObject(e)) && inner(e)), false));
        break;
      }
      case '$not': {
        let p: Predicate;
        if (isRegex(arg)) p = at(eqTest(arg));
        else if (isOperatorObject(arg)) p = compileOperators(arg, parts);
        else throw badValue('$not needs a regex or a document');
        preds.push((d) => !p(d));
        break;
      }
      case '$comment':
        break;
      default:
        if (UNSUPPORTED_QUERY_OPS.has(op)) throw notSupported(`query operator ${op}`);
        throw badValue(`unknown operator: ${op}`);
    }
  }
  return preds.length === 1 ? preds[0]! : (d) => preds.every((p) => p(d));
}

/** Operators applied to a value itself (e.g. $pull: { $gte: 5 } on each array element). */
export function compileOperatorsOn(ops: Doc): Predicate {
  return compileOperators(ops, []);
}

function compileLogical(op: string, arg: unknown): Predicate[] {
  if (!Array.isArray(arg) || arg.length === 0) throw badValue(`${op} argument must be a non-empty array`);
  return arg.map((f) => {
    if (!isPlainObject(f)) throw badValue(`${op} argument's entries must be objects`);
    return compileFilter(f);
  });
}

export function compileFilter(filter: Doc | undefined | null): Predicate {
  if (!filter) return () => true;
  const preds: Predicate[] = [];
  for (const [key, spec] of Object.entries(filter)) {
    if (spec === undefined) continue;
    if (key.startsWith('$')) {
      switch (key) {
        case '$and': {
          const ps = compileLogical(key, spec);
          preds.push((d) => ps.every((p) => p(d)));
          break;
        }
        case '$or': {
          const ps = compileLogical(key, spec);
          preds.push((d) => ps.some((p) => p(d)));
          break;
        }
        case '$nor': {
          const ps = compileLogical(key, spec);
          preds.push((d) => !ps.some((p) => p(d)));
          break;
        }
        case '$expr': {
          let q: Query;
          try {
            q = new Query({ $expr: toPlain(spec) } as Doc);
          } catch (e) {
            throw new MongoServerError(168, `invalid $expr: ${(e as Error).message}`);
          }
          preds.push((d) => {
            try {
              return q.test(toPlain(d) as Doc);
            } catch (e) {
              const msg = (e as Error).message ?? String(e);
              throw new MongoServerError(/undefined variable/i.test(msg) ? 17276 : 2, msg);
            }
          });
          break;
        }
        case '$comment':
          break;
        default:
          if (UNSUPPORTED_QUERY_OPS.has(key)) throw notSupported(`query operator ${key}`);
          throw badValue(`unknown top level operator: ${key}`);
      }
      continue;
    }
    const parts = key.split('.');
    if (isOperatorObject(spec)) preds.push(compileOperators(spec, parts));
    else {
      const t = eqTest(spec);
      preds.push((d) => anyAtPath(d, parts, 0, t, true));
    }
  }
  if (preds.length === 0) return () => true;
  return preds.length === 1 ? preds[0]! : (d) => preds.every((p) => p(d));
}

/**
 * Fields the filter pins to exact values (top level and inside $and): used to pick an index and to seed
 * upserts. `$in` lists several candidate values.
 */
export function equalityFields(filter: Doc | undefined | null, out = new Map<string, unknown[]>()): Map<string, unknown[]> {
  if (!filter) return out;
  for (const [key, spec] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(spec)) {
      for (const f of spec) if (isPlainObject(f)) equalityFields(f, out);
      continue;
    }
    if (key.startsWith('$')) continue;
    if (isOperatorObject(spec)) {
      if ('$eq' in spec && !isRegex(spec.$eq)) out.set(key, [spec.$eq]);
      else if (Array.isArray(spec.$in) && !spec.$in.some(isRegex)) out.set(key, spec.$in);
      continue;
    }
    if (spec !== undefined && !isRegex(spec)) out.set(key, [spec]);
  }
  return out;
}
