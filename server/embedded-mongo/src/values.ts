/**
 * BSON values as stored (deserialised with `promoteValues: false`, so Int32/Double/Long/Decimal128 keep
 * their wrappers): MongoDB's cross-type comparison order, exact numeric comparison (mingo compares neither
 * Decimal128 nor Longs above 2^53), canonical hash keys for indexes, and typed arithmetic for $inc/$mul.
 */
import { Binary, BSONRegExp, BSONSymbol, Code, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';

export type Doc = Record<string, unknown>;

/** MongoDB's canonical type order (https://www.mongodb.com/docs/manual/reference/bson-type-comparison-order/). */
export const enum Rank {
  MinKey = 1,
  Null = 2,
  Number = 3,
  String = 4,
  Object = 5,
  Array = 6,
  Binary = 7,
  ObjectId = 8,
  Boolean = 9,
  Date = 10,
  Timestamp = 11,
  RegExp = 12,
  Code = 13,
  MaxKey = 14,
}

export function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * What a value at the end of a dotted path contributes to an index key or a sort key: an array its
 * elements (an empty array counts as missing), anything else itself.
 */
export function pushPathEnd(out: unknown[], v: unknown): void {
  if (!Array.isArray(v)) out.push(v);
  else if (v.length === 0) out.push(undefined);
  else out.push(...v);
}

export function rank(v: unknown): Rank {
  if (v === undefined || v === null) return Rank.Null;
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return Rank.Number;
    case 'string':
      return Rank.String;
    case 'boolean':
      return Rank.Boolean;
    default:
  }
  if (Array.isArray(v)) return Rank.Array;
  if (v instanceof Int32 || v instanceof Double || v instanceof Long || v instanceof Decimal128) return Rank.Number;
  if (v instanceof Date) return Rank.Date;
  if (v instanceof ObjectId) return Rank.ObjectId;
  if (v instanceof Binary || Buffer.isBuffer(v) || v instanceof Uint8Array) return Rank.Binary;
  if (v instanceof MinKey) return Rank.MinKey;
  if (v instanceof MaxKey) return Rank.MaxKey;
  if (v instanceof Timestamp) return Rank.Timestamp;
  if (v instanceof RegExp || v instanceof BSONRegExp) return Rank.RegExp;
  if (v instanceof BSONSymbol) return Rank.String;
  if (v instanceof Code) return Rank.Code;
  return Rank.Object;
}

// ---------------------------------------------------------------------------------------------- numbers

export type NumKind = 'int' | 'long' | 'double' | 'decimal';

export function isNumeric(v: unknown): boolean {
  return rank(v) === Rank.Number && v !== null && v !== undefined;
}

export function numKind(v: unknown): NumKind {
  if (v instanceof Int32) return 'int';
  if (v instanceof Long || typeof v === 'bigint') return 'long';
  if (v instanceof Decimal128) return 'decimal';
  return 'double';
}

/** A JS number when exactly representable, else undefined (Decimal128, Longs beyond 2^53). */
export function exactNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof Int32 || v instanceof Double) return v.value;
  if (v instanceof Long) {
    const n = v.toNumber();
    return Number.isSafeInteger(n) ? n : undefined;
  }
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined;
  return undefined;
}

/** Approximate JS number for any numeric BSON value (for limits, skips, and mingo's plain view). */
export function toNumber(v: unknown): number {
  const e = exactNumber(v);
  if (e !== undefined) return e;
  if (v instanceof Long) return v.toNumber();
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Decimal128) return Number(v.toString());
  return Number.NaN;
}

/** An exact rational n / 10^scale, or a special value. Used only when a value has no exact JS number. */
type Exact = { special: 'nan' | 'inf' | '-inf' } | { special?: undefined; n: bigint; scale: number };

function parseDecimalString(s: string): Exact {
  if (s === 'NaN' || s === '-NaN') return { special: 'nan' };
  if (s === 'Infinity') return { special: 'inf' };
  if (s === '-Infinity') return { special: '-inf' };
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!m) return { special: 'nan' };
  const frac = m[3] ?? '';
  let n = BigInt((m[2] ?? '') + frac || '0');
  if (m[1] === '-') n = -n;
  let scale = frac.length - Number(m[4] ?? 0);
  if (scale < 0) {
    n *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { n, scale };
}

function doubleToExact(d: number): Exact {
  if (Number.isNaN(d)) return { special: 'nan' };
  if (d === Infinity) return { special: 'inf' };
  if (d === -Infinity) return { special: '-inf' };
  if (Number.isInteger(d)) return { n: BigInt(d), scale: 0 };
  // d = m * 2^-k exactly; m * 5^k / 10^k is its exact decimal expansion.
  let k = 0;
  let m = d;
  while (!Number.isInteger(m)) {
    m *= 2;
    k++;
  }
  return { n: BigInt(m) * 5n ** BigInt(k), scale: k };
}

function toExact(v: unknown): Exact {
  if (v instanceof Decimal128) return parseDecimalString(v.toString());
  if (v instanceof Long) return { n: BigInt(v.toString()), scale: 0 };
  if (typeof v === 'bigint') return { n: v, scale: 0 };
  return doubleToExact(toNumber(v));
}

function cmpExact(a: Exact, b: Exact): number {
  // MongoDB orders NaN below every other number.
  const order = (e: Exact): number => (e.special === 'nan' ? -2 : e.special === '-inf' ? -1 : e.special === 'inf' ? 1 : 0);
  const oa = order(a);
  const ob = order(b);
  if (oa || ob) return oa === ob ? 0 : oa < ob ? -1 : 1;
  const x = a as { n: bigint; scale: number };
  const y = b as { n: bigint; scale: number };
  const s = Math.max(x.scale, y.scale);
  const xn = x.n * 10n ** BigInt(s - x.scale);
  const yn = y.n * 10n ** BigInt(s - y.scale);
  return xn < yn ? -1 : xn > yn ? 1 : 0;
}

export function compareNumbers(a: unknown, b: unknown): number {
  const x = exactNumber(a);
  const y = exactNumber(b);
  if (x !== undefined && y !== undefined) {
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : -1) : 1;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return cmpExact(toExact(a), toExact(b));
}

function exactToString(e: Exact): string {
  if (e.special) return e.special === 'nan' ? 'NaN' : e.special === 'inf' ? 'Infinity' : '-Infinity';
  const neg = e.n < 0n;
  let digits = (neg ? -e.n : e.n).toString();
  if (e.scale > 0) {
    digits = digits.padStart(e.scale + 1, '0');
    digits = `${digits.slice(0, digits.length - e.scale)}.${digits.slice(digits.length - e.scale)}`;
  }
  return (neg ? '-' : '') + digits;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const KIND_ORDER: Record<NumKind, number> = { int: 0, long: 1, double: 2, decimal: 3 };

/**
 * a+b or a*b with MongoDB's type widening: the result has the wider operand type; an int32 result that
 * overflows becomes a long; a long overflow becomes a double.
 */
export function arith(op: 'add' | 'mul', a: unknown, b: unknown): unknown {
  const ka = numKind(a);
  const kb = numKind(b);
  const kind = KIND_ORDER[ka] >= KIND_ORDER[kb] ? ka : kb;
  if (kind === 'decimal') {
    const x = toExact(a);
    const y = toExact(b);
    if (x.special || y.special) {
      return Decimal128.fromString(String(op === 'add' ? toNumber(a) + toNumber(b) : toNumber(a) * toNumber(b)));
    }
    const s = Math.max(x.scale, y.scale);
    const r: Exact =
      op === 'add'
        ? { n: x.n * 10n ** BigInt(s - x.scale) + y.n * 10n ** BigInt(s - y.scale), scale: s }
        : { n: x.n * y.n, scale: x.scale + y.scale };
    return Decimal128.fromString(exactToString(r));
  }
  if (kind === 'double') return new Double(op === 'add' ? toNumber(a) + toNumber(b) : toNumber(a) * toNumber(b));
  const x = BigInt(a instanceof Long ? a.toString() : typeof a === 'bigint' ? a : toNumber(a));
  const y = BigInt(b instanceof Long ? b.toString() : typeof b === 'bigint' ? b : toNumber(b));
  const r = op === 'add' ? x + y : x * y;
  if (kind === 'int' && r >= BigInt(INT32_MIN) && r <= BigInt(INT32_MAX)) return new Int32(Number(r));
  if (r >= LONG_MIN && r <= LONG_MAX) return Long.fromBigInt(r);
  return new Double(Number(r));
}

// ---------------------------------------------------------------------------------------------- compare

function binaryBytes(v: unknown): { sub: number; bytes: Uint8Array } {
  if (v instanceof Binary) return { sub: v.sub_type, bytes: v.buffer.subarray(0, v.position) };
  return { sub: 0, bytes: v as Uint8Array };
}

function cmpPrim<T extends string | number | bigint | boolean>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** MongoDB's total order over BSON values (arrays compared element by element, as in $gt/$lt on arrays). */
export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case Rank.Null:
    case Rank.MinKey:
    case Rank.MaxKey:
      return 0;
    case Rank.Number:
      return compareNumbers(a, b);
    case Rank.String:
      return cmpPrim(String(a), String(b));
    case Rank.Boolean:
      return cmpPrim(a as boolean, b as boolean);
    case Rank.Date:
      return cmpPrim((a as Date).getTime(), (b as Date).getTime());
    case Rank.ObjectId:
      return Buffer.compare((a as ObjectId).id, (b as ObjectId).id);
    case Rank.Timestamp:
      return (a as Timestamp).compare(b as Timestamp);
    case Rank.Binary: {
      const x = binaryBytes(a);
      const y = binaryBytes(b);
      if (x.bytes.length !== y.bytes.length) return x.bytes.length < y.bytes.length ? -1 : 1;
      if (x.sub !== y.sub) return x.sub < y.sub ? -1 : 1;
      return Buffer.compare(x.bytes, y.bytes);
    }
    case Rank.RegExp:
      return cmpPrim(String(a), String(b));
    case Rank.Array: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compareValues(x[i], y[i]);
        if (c) return c;
      }
      return cmpPrim(x.length, y.length);
    }
    case Rank.Object:
    case Rank.Code: {
      const xa = Object.entries(a as Doc).filter(([, v]) => v !== undefined);
      const ya = Object.entries(b as Doc).filter(([, v]) => v !== undefined);
      for (let i = 0; i < Math.min(xa.length, ya.length); i++) {
        const [kx, vx] = xa[i]!;
        const [ky, vy] = ya[i]!;
        const rx = rank(vx);
        const ry = rank(vy);
        if (rx !== ry) return rx < ry ? -1 : 1;
        if (kx !== ky) return kx < ky ? -1 : 1;
        const c = compareValues(vx, vy);
        if (c) return c;
      }
      return cmpPrim(xa.length, ya.length);
    }
    default:
      return 0;
  }
}

export function valuesEqual(a: unknown, b: unknown): boolean {
  return rank(a) === rank(b) && compareValues(a, b) === 0;
}

// ---------------------------------------------------------------------------------------------- hash keys

/**
 * Canonical string of a value such that two values MongoDB considers equal get the same key (numbers of
 * different types included). Index maps and the _id map are keyed by it.
 */
export function keyOf(v: unknown): string {
  switch (rank(v)) {
    case Rank.Null:
      return 'z';
    case Rank.MinKey:
      return '-';
    case Rank.MaxKey:
      return '+';
    case Rank.Number: {
      const n = exactNumber(v);
      if (n !== undefined) return `n${Object.is(n, -0) ? 0 : n}`;
      const e = toExact(v);
      if (e.special) return `n${exactToString(e)}`;
      // Strip trailing zeros so Decimal128 "5.0" and Int32 5 share a key.
      let { n: big, scale } = e;
      while (scale > 0 && big % 10n === 0n) {
        big /= 10n;
        scale--;
      }
      const asNum = scale === 0 && big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER);
      return `n${asNum ? Number(big) : exactToString({ n: big, scale })}`;
    }
    case Rank.String:
      return `s${String(v)}`;
    case Rank.Boolean:
      return v ? 'b1' : 'b0';
    case Rank.Date:
      return `d${(v as Date).getTime()}`;
    case Rank.ObjectId:
      return `o${(v as ObjectId).toHexString()}`;
    case Rank.Binary: {
      const { sub, bytes } = binaryBytes(v);
      return `B${sub}:${Buffer.from(bytes).toString('base64')}`;
    }
    case Rank.Array:
      return `[${(v as unknown[]).map((x) => lengthPrefixed(keyOf(x))).join('')}]`;
    case Rank.Timestamp:
      return `t${String(v)}`;
    case Rank.RegExp:
      return `r${String(v)}`;
    default:
      return `{${Object.entries(v as Doc)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => lengthPrefixed(k) + lengthPrefixed(keyOf(x)))
        .join('')}}`;
  }
}

export function lengthPrefixed(s: string): string {
  return `${s.length}:${s}`;
}

// ---------------------------------------------------------------------------------------------- misc

/** $type names of the ranks that hold a single BSON type (numbers and strings are told apart by value). */
const TYPE_NAME_OF_RANK: Partial<Record<Rank, string>> = {
  [Rank.Boolean]: 'bool',
  [Rank.Date]: 'date',
  [Rank.ObjectId]: 'objectId',
  [Rank.Binary]: 'binData',
  [Rank.Array]: 'array',
  [Rank.MinKey]: 'minKey',
  [Rank.MaxKey]: 'maxKey',
  [Rank.Timestamp]: 'timestamp',
  [Rank.RegExp]: 'regex',
  [Rank.Code]: 'javascript',
};

/** $type names and numbers (https://www.mongodb.com/docs/manual/reference/operator/query/type/). */
export function bsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  const r = rank(v);
  if (r === Rank.Number) return numKind(v);
  if (r === Rank.String) return v instanceof BSONSymbol ? 'symbol' : 'string';
  // Objects, DBRefs included, are 'object'.
  return TYPE_NAME_OF_RANK[r] ?? 'object';
}

export const TYPE_ALIASES: Record<number, string> = {
  1: 'double',
  2: 'string',
  3: 'object',
  4: 'array',
  5: 'binData',
  6: 'undefined',
  7: 'objectId',
  8: 'bool',
  9: 'date',
  10: 'null',
  11: 'regex',
  13: 'javascript',
  14: 'symbol',
  16: 'int',
  17: 'timestamp',
  18: 'long',
  19: 'decimal',
  [-1]: 'minKey',
  127: 'maxKey',
};

/**
 * Deep copy of plain objects and arrays; BSON value objects are immutable here and are shared. Stored
 * documents are never mutated in place (updates work on a clone), so snapshots can share them.
 */
export function cloneDeep<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneDeep) as T;
  if (isPlainObject(v)) {
    const out: Doc = {};
    for (const k of Object.keys(v)) out[k] = cloneDeep(v[k]);
    return out as T;
  }
  return v;
}

/** The plain-JS view mingo understands: numeric wrappers become JS numbers (approximate for Decimal128/big Longs). */
export function toPlain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toPlain);
  if (isPlainObject(v)) {
    const out: Doc = {};
    for (const k of Object.keys(v)) out[k] = toPlain(v[k]);
    return out;
  }
  if (v instanceof Int32 || v instanceof Double || v instanceof Long || v instanceof Decimal128) return toNumber(v);
  return v;
}

/** Path of the first value mingo could only approximate (Decimal128, Int64 beyond 2^53), if any. */
export function lossyPath(v: unknown, path: string): string | undefined {
  if (v instanceof Decimal128 || (isNumeric(v) && exactNumber(v) === undefined)) return path || '(value)';
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const hit = lossyPath(v[i], `${path}.${i}`);
      if (hit) return hit;
    }
  } else if (isPlainObject(v)) {
    for (const k of Object.keys(v)) {
      const hit = lossyPath(v[k], path ? `${path}.${k}` : k);
      if (hit) return hit;
    }
  }
  return undefined;
}

/**
 * Top-level fields an aggregation expression reads (`'$a.b'` reads `a`), or undefined when it may read the
 * whole document (`$$ROOT`, `$$CURRENT`).
 */
export function fieldRefs(expr: unknown): Set<string> | undefined {
  const fields = new Set<string>();
  let whole = false;
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v === '$$ROOT' || v === '$$CURRENT' || v.startsWith('$$ROOT.') || v.startsWith('$$CURRENT.')) whole = true;
      else if (v.startsWith('$$')) return;
      else if (v.startsWith('$')) fields.add(v.slice(1).split('.')[0]!);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (isPlainObject(v)) Object.values(v).forEach(walk);
  };
  walk(expr);
  return whole ? undefined : fields;
}
