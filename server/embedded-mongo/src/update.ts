/**
 * Update operators applied to typed BSON documents. mingo's updater works on JS numbers, which loses the
 * Int32/Long/Double/Decimal128 distinction ($inc past 2^31 must yield a Long), so updates are applied here;
 * filters inside $pull and arrayFilters reuse the matcher from query.ts.
 */
import { Double, Int32, Long, ObjectId, Timestamp } from 'bson';
import { Aggregator } from 'mingo';
import { badValue, MongoServerError, notSupported } from './errors';
import { compileFilter, compileOperatorsOn, equalityFields, isOperatorObject, type Predicate } from './query';
import {
  arith,
  bsonTypeName,
  cloneDeep,
  compareValues,
  fieldRefs,
  isNumeric,
  isPlainObject,
  lossyPath,
  numKind,
  rank,
  Rank,
  toNumber,
  toPlain,
  valuesEqual,
  type Doc,
} from './values';

export interface UpdateOptions {
  isInsert: boolean;
  arrayFilters?: Doc[];
  /** The command's filter, to resolve the positional `$` operator. */
  query?: Predicate;
}

const SUPPORTED = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$setOnInsert',
  '$currentDate',
  '$push',
  '$addToSet',
  '$pull',
  '$pullAll',
  '$pop',
]);

export function isReplacement(update: Doc): boolean {
  if (Array.isArray(update)) return false;
  const first = Object.keys(update)[0];
  return first === undefined || !first.startsWith('$');
}

/** True when both values are the same BSON type and value (Int32 5 → Double 5 is a modification). */
function identical(a: unknown, b: unknown): boolean {
  if (rank(a) !== rank(b)) return false;
  if (a === undefined || b === undefined) return a === b;
  if (Array.isArray(a)) {
    const y = b as unknown[];
    return a.length === y.length && a.every((v, i) => identical(v, y[i]));
  }
  if (isPlainObject(a)) {
    const y = b as Doc;
    const ka = Object.keys(a);
    const kb = Object.keys(y);
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && identical(a[k], y[k]));
  }
  if (rank(a) === Rank.Number && numKind(a) !== numKind(b)) return false;
  return compareValues(a, b) === 0;
}

function describe(v: unknown): string {
  return bsonTypeName(v);
}

function checkConflicts(paths: string[]): void {
  const sorted = [...paths].sort();
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur === prev || cur.startsWith(`${prev}.`)) {
      throw new MongoServerError(40, `Updating the path '${cur}' would create a conflict at '${prev}'`);
    }
  }
}

/** Concrete paths for a path that may contain `$`, `$[]` and `$[identifier]`. */
function expandPath(doc: Doc, parts: string[], opts: UpdateOptions, filters: Map<string, Predicate>): string[][] {
  let results: { path: string[]; value: unknown }[] = [{ path: [], value: doc }];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const next: { path: string[]; value: unknown }[] = [];
    for (const r of results) {
      const child = (key: string): unknown =>
        Array.isArray(r.value) ? r.value[Number(key)] : isPlainObject(r.value) ? r.value[key] : undefined;
      if (p === '$') {
        const idx = positionalIndex(doc, r.path, opts);
        next.push({ path: [...r.path, String(idx)], value: child(String(idx)) });
      } else if (p === '$[]' || (p.startsWith('$[') && p.endsWith(']'))) {
        if (!Array.isArray(r.value)) {
          if (opts.isInsert && r.value === undefined) continue;
          throw new MongoServerError(2, `The path '${r.path.join('.')}' must exist in the document in order to apply array updates.`);
        }
        const id = p.slice(2, -1);
        const f = id ? filters.get(id) : undefined;
        if (id && !f) throw badValue(`No array filter found for identifier '${id}' in path '${parts.join('.')}'`);
        r.value.forEach((e, idx) => {
          if (!f || f(e)) next.push({ path: [...r.path, String(idx)], value: e });
        });
      } else next.push({ path: [...r.path, p], value: child(p) });
    }
    results = next;
  }
  return results.map((r) => r.path);
}

function positionalIndex(doc: Doc, prefix: string[], opts: UpdateOptions): number {
  const arr = getPath(doc, prefix);
  if (opts.query && Array.isArray(arr)) {
    for (let i = 0; i < arr.length; i++) {
      const probe = cloneDeep(doc);
      setPath(probe, prefix, [arr[i]]);
      if (opts.query(probe)) return i;
    }
  }
  throw badValue('The positional operator did not find the match needed from the query.');
}

export function getPath(doc: unknown, parts: readonly string[]): unknown {
  let v: unknown = doc;
  for (const p of parts) {
    if (Array.isArray(v)) v = /^\d+$/.test(p) ? v[Number(p)] : undefined;
    else if (isPlainObject(v)) v = v[p];
    else return undefined;
  }
  return v;
}

/** Container and key for writing at `parts`, creating missing intermediate documents. */
function parentFor(doc: Doc, parts: string[], create: boolean): { parent: Doc | unknown[]; key: string } | undefined {
  let v: unknown = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i]!;
    let next: unknown;
    if (Array.isArray(v)) next = /^\d+$/.test(p) ? v[Number(p)] : undefined;
    else next = (v as Doc)[p];
    if (next === undefined || next === null) {
      if (!create) return undefined;
      if (Array.isArray(v) && !/^\d+$/.test(p)) {
        throw new MongoServerError(28, `Cannot create field '${p}' in element {${parts.slice(0, i).join('.')}: [...]}`);
      }
      if (next === null && !Array.isArray(v)) {
        throw new MongoServerError(28, `Cannot create field '${parts[i + 1]}' in element {${p}: null}`);
      }
      next = {};
      assign(v as Doc | unknown[], p, next);
    } else if (!isPlainObject(next) && !Array.isArray(next)) {
      if (!create) return undefined;
      throw new MongoServerError(28, `Cannot create field '${parts[i + 1]}' in element {${p}: ${describe(next)}}`);
    }
    v = next;
  }
  const key = parts[parts.length - 1]!;
  if (Array.isArray(v) && !/^\d+$/.test(key)) {
    if (!create) return undefined;
    throw new MongoServerError(28, `Cannot create field '${key}' in element {${parts.slice(0, -1).join('.')}: [...]}`);
  }
  return { parent: v as Doc | unknown[], key };
}

function assign(parent: Doc | unknown[], key: string, value: unknown): void {
  if (Array.isArray(parent)) {
    const idx = Number(key);
    while (parent.length < idx) parent.push(null);
    parent[idx] = value;
  } else parent[key] = value;
}

export function setPath(doc: Doc, parts: string[], value: unknown): void {
  const loc = parentFor(doc, parts, true)!;
  assign(loc.parent, loc.key, value);
}

function unsetPath(doc: Doc, parts: string[]): boolean {
  const loc = parentFor(doc, parts, false);
  if (!loc) return false;
  if (Array.isArray(loc.parent)) {
    const idx = Number(loc.key);
    if (idx >= loc.parent.length || loc.parent[idx] === null) return false;
    loc.parent[idx] = null;
    return true;
  }
  if (!(loc.key in loc.parent)) return false;
  delete loc.parent[loc.key];
  return true;
}

function elementMatcher(cond: unknown): (e: unknown) => boolean {
  if (isOperatorObject(cond)) {
    const p = compileOperatorsOn(cond);
    return (e) => p(e);
  }
  if (isPlainObject(cond)) {
    const p = compileFilter(cond);
    return (e) => isPlainObject(e) && p(e);
  }
  return (e) => valuesEqual(e, cond);
}

function idOf(doc: Doc): string {
  const id = doc._id;
  return id instanceof ObjectId ? `ObjectId('${id.toHexString()}')` : JSON.stringify(id);
}

function applyOne(doc: Doc, op: string, parts: string[], arg: unknown, path: string): boolean {
  const current = getPath(doc, parts);
  switch (op) {
    case '$set':
    case '$setOnInsert':
      if (current !== undefined && identical(current, arg)) return false;
      setPath(doc, parts, cloneDeep(arg));
      return true;
    case '$unset':
      return unsetPath(doc, parts);
    case '$inc':
    case '$mul': {
      if (!isNumeric(arg))
        throw new MongoServerError(
          14,
          `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${describe(arg)}}`,
        );
      if (current === undefined) {
        const zero =
          numKind(arg) === 'int'
            ? new Int32(0)
            : numKind(arg) === 'long'
              ? Long.fromNumber(0)
              : numKind(arg) === 'decimal'
                ? arith('mul', arg, new Int32(0))
                : new Double(0);
        setPath(doc, parts, op === '$inc' ? arg : zero);
        return true;
      }
      if (!isNumeric(current)) {
        throw new MongoServerError(
          14,
          `Cannot apply ${op} to a value of non-numeric type. {_id: ${idOf(doc)}} has the field '${parts[parts.length - 1]}' of non-numeric type ${describe(current)}`,
        );
      }
      const next = arith(op === '$inc' ? 'add' : 'mul', current, arg);
      if (identical(current, next)) return false;
      setPath(doc, parts, next);
      return true;
    }
    case '$min':
    case '$max': {
      if (current !== undefined) {
        const c = compareValues(arg, current);
        if (op === '$min' ? c >= 0 : c <= 0) return false;
      }
      setPath(doc, parts, cloneDeep(arg));
      return true;
    }
    case '$currentDate': {
      const wantTs = isPlainObject(arg) && arg.$type === 'timestamp';
      setPath(doc, parts, wantTs ? Timestamp.fromNumber(Math.floor(Date.now() / 1000) * 2 ** 32) : new Date());
      return true;
    }
    case '$push':
    case '$addToSet': {
      if (current !== undefined && !Array.isArray(current)) {
        throw new MongoServerError(
          2,
          `The field '${path}' must be an array but is of type ${describe(current)} in document {_id: ${idOf(doc)}}`,
        );
      }
      const arr = current === undefined ? [] : [...current];
      const each = isPlainObject(arg) && '$each' in arg;
      const items = each ? (arg.$each as unknown[]) : [arg];
      if (!Array.isArray(items)) throw badValue('The argument to $each must be an array');
      if (op === '$addToSet') {
        let added = false;
        for (const it of items) {
          if (!arr.some((e) => valuesEqual(e, it))) {
            arr.push(cloneDeep(it));
            added = true;
          }
        }
        if (!added && current !== undefined) return false;
        setPath(doc, parts, arr);
        return true;
      }
      const mods = each ? (arg as Doc) : {};
      for (const k of Object.keys(mods)) {
        if (!['$each', '$position', '$slice', '$sort'].includes(k)) throw badValue(`Unrecognized clause in $push: ${k}`);
      }
      let pos = mods.$position === undefined ? arr.length : toNumber(mods.$position);
      if (pos < 0) pos = Math.max(0, arr.length + pos);
      arr.splice(Math.min(pos, arr.length), 0, ...items.map(cloneDeep));
      let out = arr;
      if (mods.$sort !== undefined) {
        const spec = mods.$sort;
        if (isPlainObject(spec)) {
          const keys = Object.entries(spec).map(([k, d]) => ({ parts: k.split('.'), dir: toNumber(d) }));
          out.sort((a, b) => {
            for (const k of keys) {
              const c = compareValues(getPath(a, k.parts) ?? null, getPath(b, k.parts) ?? null);
              if (c) return c * k.dir;
            }
            return 0;
          });
        } else {
          const dir = toNumber(spec);
          out.sort((a, b) => compareValues(a, b) * dir);
        }
      }
      if (mods.$slice !== undefined) {
        const n = toNumber(mods.$slice);
        out = n >= 0 ? out.slice(0, n) : out.slice(Math.max(0, out.length + n));
      }
      setPath(doc, parts, out);
      return true;
    }
    case '$pull':
    case '$pullAll': {
      if (current === undefined) return false;
      if (!Array.isArray(current)) throw badValue(`Cannot apply ${op} to a non-array value`);
      let keep: unknown[];
      if (op === '$pullAll') {
        if (!Array.isArray(arg)) throw badValue('$pullAll requires an array argument');
        keep = current.filter((e) => !arg.some((v) => valuesEqual(e, v)));
      } else {
        const m = elementMatcher(arg);
        keep = current.filter((e) => !m(e));
      }
      if (keep.length === current.length) return false;
      setPath(doc, parts, keep);
      return true;
    }
    case '$pop': {
      if (current === undefined) return false;
      if (!Array.isArray(current)) throw badValue(`Path '${path}' contains an element of non-array type '${describe(current)}'`);
      if (current.length === 0) return false;
      setPath(doc, parts, toNumber(arg) < 0 ? current.slice(1) : current.slice(0, -1));
      return true;
    }
    default:
      throw notSupported(`update operator ${op}`);
  }
}

/** Applies an operator update to a copy of `doc`; returns the new document and whether anything changed. */
export function applyUpdate(doc: Doc, update: Doc, opts: UpdateOptions): { doc: Doc; modified: boolean } {
  if (Array.isArray(update)) return applyPipelineUpdate(doc, update as unknown[], opts);
  const out = cloneDeep(doc);
  const filters = new Map<string, Predicate>();
  for (const f of opts.arrayFilters ?? []) {
    const first = Object.keys(f)[0];
    if (!first) throw badValue('Cannot use an expression without a top-level field name in arrayFilters');
    const id = first.split('.')[0]!;
    // The filter names the element as `id` (or `id.field`): wrap the element so the matcher sees that shape.
    const p = compileFilter(f);
    filters.set(id, (e) => p({ [id]: e }));
  }
  const allPaths: string[] = [];
  for (const [op, fields] of Object.entries(update)) {
    if (!op.startsWith('$'))
      throw badValue(`Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`);
    if (!SUPPORTED.has(op)) {
      if (op === '$bit') throw notSupported('update operator $bit');
      throw new MongoServerError(
        9,
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    if (!isPlainObject(fields)) throw new MongoServerError(9, `Modifiers operate on fields but we found type ${describe(fields)} instead.`);
    for (const path of Object.keys(fields)) {
      allPaths.push(
        path
          .split('.')
          .filter((p) => !p.startsWith('$'))
          .join('.'),
      );
      if (op === '$rename') allPaths.push(String(fields[path]));
    }
  }
  checkConflicts(allPaths.map((p) => p.replace(/\.\$(\[[^\]]*\])?/g, '')));
  let modified = false;
  for (const [op, fields] of Object.entries(update) as [string, Doc][]) {
    if (op === '$setOnInsert' && !opts.isInsert) continue;
    for (const [path, arg] of Object.entries(fields)) {
      if (op === '$rename') {
        if (typeof arg !== 'string') throw badValue(`The 'to' field for $rename must be a string: ${path}: ${describe(arg)}`);
        const from = path.split('.');
        const value = getPath(out, from);
        if (value === undefined) continue;
        unsetPath(out, from);
        setPath(out, arg.split('.'), value);
        modified = true;
        continue;
      }
      for (const parts of expandPath(out, path.split('.'), opts, filters)) {
        if (applyOne(out, op, parts, arg, path)) modified = true;
      }
    }
  }
  if (!identical(out._id, doc._id) && doc._id !== undefined) {
    throw new MongoServerError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  return { doc: idFirst(out), modified };
}

/** True when a pipeline value holds no field path, variable or operator: it is stored as given, types intact. */
function isConstant(v: unknown): boolean {
  if (typeof v === 'string') return !v.startsWith('$');
  if (Array.isArray(v)) return v.every(isConstant);
  if (isPlainObject(v)) return Object.entries(v).every(([k, x]) => !k.startsWith('$') && isConstant(x));
  return true;
}

/** mingo computes on JS numbers: store integers as Int32 (Int64 beyond), other numbers as Double. */
function typedNumbers(v: unknown): unknown {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return new Double(v);
    if (v >= -(2 ** 31) && v < 2 ** 31) return new Int32(v);
    return Number.isSafeInteger(v) ? Long.fromNumber(v) : new Double(v);
  }
  if (Array.isArray(v)) return v.map(typedNumbers);
  if (isPlainObject(v)) {
    const out: Doc = {};
    for (const k of Object.keys(v)) out[k] = typedNumbers(v[k]);
    return out;
  }
  return v;
}

/**
 * Pipeline-style update (`u` is an array). Stages $set/$addFields and $unset are supported: expressions are
 * evaluated by mingo on a plain-number view of the document, and only the fields a stage names are written
 * back, so untouched fields keep their BSON types (constants keep theirs too). $project, $replaceRoot and
 * $replaceWith would rebuild the whole document from JS numbers, so they are refused rather than approximated.
 */
function applyPipelineUpdate(doc: Doc, pipeline: unknown[], opts: UpdateOptions): { doc: Doc; modified: boolean } {
  if (opts.arrayFilters?.length) throw new MongoServerError(72, 'arrayFilters may not be specified for pipeline-style updates');
  const out = cloneDeep(doc);
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1)
      throw new MongoServerError(40323, 'A pipeline stage specification object must contain exactly one field.');
    const [name, spec] = Object.entries(stage)[0]!;
    if (name === '$unset') {
      const paths = typeof spec === 'string' ? [spec] : Array.isArray(spec) ? spec : undefined;
      if (!paths || !paths.every((p) => typeof p === 'string'))
        throw badValue('$unset specification must be a string or an array of strings');
      for (const p of paths as string[]) unsetPath(out, p.split('.'));
      continue;
    }
    if (name !== '$set' && name !== '$addFields') {
      if (['$project', '$replaceRoot', '$replaceWith'].includes(name)) throw notSupported(`${name} in a pipeline-style update`);
      throw new MongoServerError(72, `${name} is not allowed to be used within an update`);
    }
    if (!isPlainObject(spec)) throw badValue(`${name} specification stage must be an object`);
    const entries = Object.entries(spec);
    const direct = ([path, value]: [string, unknown]) => !path.includes('.') && isConstant(value) && !isPlainObject(value);
    // Every expression of a stage sees the stage's input document, so evaluate before writing anything.
    let computed: Doc = {};
    if (!entries.every(direct)) {
      const refs = fieldRefs(spec);
      const read: Doc = refs ? Object.fromEntries([...refs].map((f) => [f, out[f]])) : out;
      const lossy = lossyPath(read, '');
      if (lossy) throw notSupported(`pipeline-style update expressions over the Decimal128 or Int64-beyond-2^53 value at '${lossy}'`);
      try {
        computed = (new Aggregator([{ $addFields: toPlain(spec) as Doc }]).run([toPlain(out) as Doc]) as Doc[])[0] ?? {};
      } catch (e) {
        throw new MongoServerError(168, `Unsupported or invalid expression in ${name}: ${(e as Error).message}`);
      }
    }
    for (const entry of entries) {
      const [path, value] = entry;
      const top = path.split('.')[0]!;
      if (direct(entry)) out[path] = cloneDeep(value);
      else if (computed[top] === undefined) delete out[top];
      else out[top] = typedNumbers(computed[top]);
    }
  }
  if (!identical(out._id, doc._id) && doc._id !== undefined) {
    throw new MongoServerError(66, "Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  return { doc: idFirst(out), modified: !identical(out, doc) };
}

/** A replacement keeps the original _id (and refuses to change it). */
export function applyReplacement(doc: Doc, replacement: Doc): { doc: Doc; modified: boolean } {
  if (replacement._id !== undefined && doc._id !== undefined && !valuesEqual(replacement._id, doc._id)) {
    throw new MongoServerError(
      66,
      `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${JSON.stringify(replacement._id)}`,
    );
  }
  const out: Doc = { _id: doc._id, ...cloneDeep(replacement) };
  out._id = doc._id;
  return { doc: out, modified: !identical(out, doc) };
}

/** MongoDB stores _id first; the driver and tests rely on that. */
export function idFirst(doc: Doc): Doc {
  if (Object.keys(doc)[0] === '_id' || doc._id === undefined) return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

/** The document an upsert starts from: the filter's equality fields (dotted paths become nested). */
export function upsertSeed(filter: Doc | undefined): Doc {
  const seed: Doc = {};
  for (const [path, values] of equalityFields(filter)) {
    if (values.length !== 1 || path.split('.').some((p) => p.startsWith('$'))) continue;
    const v = values[0];
    if (isPlainObject(v) && Object.keys(v).some((k) => k.startsWith('$'))) continue;
    setPath(seed, path.split('.'), cloneDeep(v));
  }
  return seed;
}
