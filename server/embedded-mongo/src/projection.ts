/** find's sort and projection over typed documents (MongoDB semantics for arrays and missing fields). */
import { badValue, notSupported } from './errors';
import { compileFilter, compileOperatorsOn, isOperatorObject } from './query';
import { compareValues, isPlainObject, pushPathEnd, toNumber, type Doc } from './values';

/** Values a sort key reaches: arrays contribute their elements (MongoDB sorts by the min/max element). */
function sortValues(v: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) return pushPathEnd(out, v);
  if (Array.isArray(v)) {
    for (const e of v) sortValues(isPlainObject(e) ? e : undefined, parts, i, out);
    if (v.length === 0) out.push(undefined);
    return;
  }
  sortValues(isPlainObject(v) ? v[parts[i]!] : undefined, parts, i + 1, out);
}

export type Comparator = (a: Doc, b: Doc) => number;

export function compileSort(spec: Doc | undefined): Comparator | undefined {
  if (!spec || Object.keys(spec).length === 0) return undefined;
  const keys = Object.entries(spec).map(([k, d]) => {
    if (isPlainObject(d)) throw notSupported(`sort by ${JSON.stringify(d)}`);
    const dir = toNumber(d);
    if (dir !== 1 && dir !== -1) throw badValue(`bad sort specification: ${k}: ${String(d)}`);
    return { parts: k.split('.'), dir, natural: k === '$natural' };
  });
  const keyFor = (doc: Doc, parts: string[], dir: number): unknown => {
    const vals: unknown[] = [];
    sortValues(doc, parts, 0, vals);
    let best: unknown = vals[0] ?? null;
    for (const v of vals) if (compareValues(v ?? null, best) * dir < 0) best = v ?? null;
    return best;
  };
  return (a, b) => {
    for (const k of keys) {
      if (k.natural) continue;
      const c = compareValues(keyFor(a, k.parts, k.dir), keyFor(b, k.parts, k.dir));
      if (c) return c * k.dir;
    }
    return 0;
  };
}

type Node = { [k: string]: Node | true | { op: string; arg: unknown } };

/** Applies a find projection (inclusion or exclusion, $slice, $elemMatch). */
export function compileProjection(spec: Doc | undefined): ((doc: Doc) => Doc) | undefined {
  if (!spec || Object.keys(spec).length === 0) return undefined;
  let mode: 'include' | 'exclude' | undefined;
  let includeId = true;
  const tree: Node = {};
  for (const [path, v] of Object.entries(spec)) {
    if (path === '_id' && !isPlainObject(v)) {
      includeId = Boolean(typeof v === 'boolean' ? v : toNumber(v));
      continue;
    }
    if (path.includes('$')) throw notSupported(`positional projection '${path}'`);
    const parts = path.split('.');
    let leaf: Node[string];
    if (isPlainObject(v)) {
      const op = Object.keys(v)[0];
      if (op !== '$slice' && op !== '$elemMatch') throw notSupported(`projection operator ${String(op)}`);
      leaf = { op, arg: v[op] };
      if (op === '$elemMatch') mode ??= 'include';
    } else {
      if (typeof v === 'string') throw notSupported('projection expressions in find');
      const inc = Boolean(typeof v === 'boolean' ? v : toNumber(v));
      const m = inc ? 'include' : 'exclude';
      if (mode && mode !== m) {
        throw badValue(`Cannot do ${m === 'include' ? 'inclusion' : 'exclusion'} on field ${path} in ${mode} projection`);
      }
      mode = m;
      leaf = true;
    }
    let node = tree;
    for (let i = 0; i < parts.length - 1; i++) {
      const n = node[parts[i]!];
      if (n === undefined || n === true || 'op' in n) node = node[parts[i]!] = {};
      else node = n as Node;
    }
    node[parts[parts.length - 1]!] = leaf;
  }
  // Only _id given: {_id: 0} excludes it, {_id: 1} keeps nothing else.
  const inclusive = mode === undefined ? includeId : mode === 'include';

  const applyOp = (value: unknown, op: string, arg: unknown): unknown => {
    if (!Array.isArray(value)) return value;
    if (op === '$slice') {
      if (Array.isArray(arg)) {
        const [skip, limit] = arg.map(toNumber) as [number, number];
        const start = skip < 0 ? Math.max(0, value.length + skip) : skip;
        return value.slice(start, start + limit);
      }
      const n = toNumber(arg);
      return n >= 0 ? value.slice(0, n) : value.slice(n);
    }
    const m = isOperatorObject(arg) ? compileOperatorsOn(arg) : compileFilter(arg as Doc);
    const found = value.find((e) => m(e));
    return found === undefined ? undefined : [found];
  };

  const project = (doc: unknown, node: Node): unknown => {
    if (Array.isArray(doc))
      return doc.filter((e) => (inclusive ? isPlainObject(e) : true)).map((e) => (isPlainObject(e) ? project(e, node) : e));
    if (!isPlainObject(doc)) return doc;
    const out: Doc = {};
    if (inclusive) {
      for (const [k, n] of Object.entries(node)) {
        if (!(k in doc)) continue;
        if (n === true) out[k] = doc[k];
        else if ('op' in n && typeof n.op === 'string') {
          const r = applyOp(doc[k], n.op, n.arg);
          if (r !== undefined) out[k] = r;
        } else {
          const sub = doc[k];
          if (isPlainObject(sub) || Array.isArray(sub)) out[k] = project(sub, n as Node);
        }
      }
      return out;
    }
    for (const [k, v] of Object.entries(doc)) {
      const n = node[k];
      if (n === true) continue;
      if (n === undefined) out[k] = v;
      else if ('op' in n && typeof n.op === 'string') out[k] = applyOp(v, n.op, n.arg);
      else out[k] = project(v, n as Node);
    }
    return out;
  };

  return (doc) => {
    const out = project(doc, tree) as Doc;
    if (inclusive) {
      // Fields keep the document's order; _id first when kept.
      const ordered: Doc = {};
      if (includeId && doc._id !== undefined) ordered._id = doc._id;
      for (const k of Object.keys(doc)) if (k !== '_id' && k in out) ordered[k] = out[k];
      return ordered;
    }
    if (!includeId) delete out._id;
    return out;
  };
}
