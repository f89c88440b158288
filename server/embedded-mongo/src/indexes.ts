/**
 * Secondary indexes: a hash map from the canonical key of the indexed value(s) to the ids of the documents
 * holding them, so equality lookups and uniqueness checks never scan the collection. Multikey (array)
 * fields index each element, as MongoDB does.
 */
import { ObjectId } from 'bson';
import { badValue, MongoServerError } from './errors';
import { anyAtPath, compileFilter, type Predicate } from './query';
import { isPlainObject, keyOf, lengthPrefixed, pushPathEnd, rank, Rank, toNumber, type Doc } from './values';

export interface IndexSpec {
  key: Doc;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  expireAfterSeconds?: unknown;
  [k: string]: unknown;
}

/** Values a document has at a dotted path; arrays contribute their elements; missing → [undefined]. */
function valuesAt(doc: Doc, parts: string[]): unknown[] {
  const out: unknown[] = [];
  const walk = (v: unknown, i: number): void => {
    if (i === parts.length) return pushPathEnd(out, v);
    if (Array.isArray(v)) {
      const p = parts[i]!;
      if (/^\d+$/.test(p)) return walk(v[Number(p)], i + 1);
      let any = false;
      for (const e of v) {
        if (isPlainObject(e)) {
          any = true;
          walk(e[p], i + 1);
        }
      }
      if (!any) out.push(undefined);
      return;
    }
    walk(isPlainObject(v) ? v[parts[i]!] : undefined, i + 1);
  };
  walk(doc, 0);
  return out;
}

/** Marks a path that crosses an array: its values need the multikey walk (valuesAt). */
const MULTI = Symbol('multikey');

/** The value at a dotted path when no array lies on it or at its end (the usual case), else MULTI. */
function scalarAt(doc: Doc, parts: string[]): unknown {
  let v: unknown = doc;
  for (let i = 0; i < parts.length; i++) {
    if (Array.isArray(v)) return MULTI;
    v = isPlainObject(v) ? v[parts[i]!] : undefined;
  }
  return Array.isArray(v) ? MULTI : v;
}

/**
 * Index key → ids of the documents holding it. Most keys belong to one document (unique keys, keys that
 * include _id), so a lone id is stored as itself and a Set is made only for the second: far fewer objects
 * to allocate and collect than a Set per key.
 */
export class IdMultiMap {
  private readonly m = new Map<string, string | Set<string>>();

  /** Number of distinct keys. */
  get size(): number {
    return this.m.size;
  }

  add(key: string, id: string): void {
    const cur = this.m.get(key);
    if (cur === undefined) this.m.set(key, id);
    else if (typeof cur === 'string') {
      if (cur !== id) this.m.set(key, new Set([cur, id]));
    } else cur.add(id);
  }

  remove(key: string, id: string): void {
    const cur = this.m.get(key);
    if (cur === undefined) return;
    if (typeof cur === 'string') {
      if (cur === id) this.m.delete(key);
      return;
    }
    cur.delete(id);
    if (cur.size === 1) this.m.set(key, cur.values().next().value!);
    else if (cur.size === 0) this.m.delete(key);
  }

  /** The ids under `key` (empty when none). */
  get(key: string): Iterable<string> {
    const cur = this.m.get(key);
    return cur === undefined ? [] : typeof cur === 'string' ? [cur] : cur;
  }

  /** How many ids hold `key`. */
  count(key: string): number {
    const cur = this.m.get(key);
    return cur === undefined ? 0 : typeof cur === 'string' ? 1 : cur.size;
  }

  has(key: string, id: string): boolean {
    const cur = this.m.get(key);
    return cur === undefined ? false : typeof cur === 'string' ? cur === id : cur.has(id);
  }

  clear(): void {
    this.m.clear();
  }
}

function addAll(map: IdMultiMap, keys: string[], id: string): void {
  for (const k of keys) map.add(k, id);
}

function removeAll(map: IdMultiMap, keys: string[], id: string): void {
  for (const k of keys) map.remove(k, id);
}

const sameKeys = (a: string[], b: string[]): boolean => a.length === b.length && a.every((k, i) => k === b[i]);

export class Index {
  readonly name: string;
  readonly fields: { path: string; parts: string[] }[];
  readonly unique: boolean;
  readonly sparse: boolean;
  readonly partial?: Predicate;
  readonly expireAfterSeconds?: number;
  /** index key → ids (keyOf(_id)) of the documents with that key */
  readonly map = new IdMultiMap();
  /**
   * Compound indexes also map their first field alone, so a filter that pins only the leading field
   * (e.g. { userId } on { userId: 1, createdAt: -1 }) is answered without a scan, as a B-tree prefix would be.
   */
  readonly prefixMap?: IdMultiMap;
  /**
   * Unique indexes only, while any transaction is open: keys that documents held before a write replaced or
   * deleted them (key → ids). A transaction's snapshot may still see those documents under those keys, so its
   * uniqueness check looks here instead of re-reading every document written since it started. Dropped with
   * the versions when the last transaction ends (Store.endSnapshot).
   */
  readonly ghosts = new IdMultiMap();

  constructor(readonly spec: IndexSpec) {
    this.name = spec.name;
    const entries = Object.entries(spec.key);
    if (entries.length === 0) throw new MongoServerError(67, 'Index keys cannot be empty.');
    this.fields = entries.map(([path, dir]) => {
      if (typeof dir === 'string') {
        throw new MongoServerError(67, `Index type '${dir}' is not supported by the embedded MongoDB server`);
      }
      const d = toNumber(dir);
      if (d !== 1 && d !== -1) throw badValue(`Values in the index key pattern can't be ${String(d)}`);
      return { path, parts: path.split('.') };
    });
    this.unique = Boolean(spec.unique);
    this.sparse = Boolean(spec.sparse);
    if (spec.partialFilterExpression) this.partial = compileFilter(spec.partialFilterExpression);
    if (spec.expireAfterSeconds !== undefined) this.expireAfterSeconds = toNumber(spec.expireAfterSeconds);
    if (this.fields.length > 1) this.prefixMap = new IdMultiMap();
  }

  /** Keys of the leading field only (for prefixMap), [] when the index skips the document. */
  private prefixKeysOf(doc: Doc): string[] {
    if (this.partial && !this.partial(doc)) return [];
    const first = scalarAt(doc, this.fields[0]!.parts);
    if (first !== MULTI && (!this.sparse || first !== undefined)) return [keyOf(first ?? null)];
    if (this.sparse && this.fields.every((f) => valuesAt(doc, f.parts).every((v) => v === undefined))) return [];
    return [...new Set(valuesAt(doc, this.fields[0]!.parts).map((v) => keyOf(v ?? null)))];
  }

  /** The index keys of a document, or [] when the index skips it (sparse with no field, partial non-match). */
  keysOf(doc: Doc): string[] {
    if (this.partial && !this.partial(doc)) return [];
    // Fast path: no array on any indexed path, so exactly one key (or none for a sparse miss).
    const n = this.fields.length;
    if (n === 1) {
      const v = scalarAt(doc, this.fields[0]!.parts);
      if (v !== MULTI) return this.sparse && v === undefined ? [] : [keyOf(v ?? null)];
    } else {
      let key = '';
      let present = false;
      let i = 0;
      for (; i < n; i++) {
        const v = scalarAt(doc, this.fields[i]!.parts);
        if (v === MULTI) break;
        if (v !== undefined) present = true;
        key += lengthPrefixed(keyOf(v ?? null));
      }
      if (i === n) return this.sparse && !present ? [] : [key];
    }
    const perField = this.fields.map((f) => valuesAt(doc, f.parts));
    if (this.sparse && perField.every((vals) => vals.every((v) => v === undefined))) return [];
    if (perField.length === 1) return [...new Set(perField[0]!.map((v) => keyOf(v ?? null)))];
    let keys = [''];
    for (const vals of perField) {
      const next: string[] = [];
      for (const k of keys) for (const v of vals) next.push(k + lengthPrefixed(keyOf(v ?? null)));
      keys = next;
    }
    return [...new Set(keys)];
  }

  /** Key for a lookup with one value per field (same encoding as keysOf). */
  lookupKey(values: unknown[]): string {
    if (values.length === 1) return keyOf(values[0] ?? null);
    return values.map((v) => lengthPrefixed(keyOf(v ?? null))).join('');
  }

  /** Usable to answer an equality lookup on every field (a sparse/partial index misses some documents). */
  get complete(): boolean {
    return !this.sparse && !this.partial;
  }

  add(id: string, doc: Doc): void {
    addAll(this.map, this.keysOf(doc), id);
    if (this.prefixMap) addAll(this.prefixMap, this.prefixKeysOf(doc), id);
  }

  remove(id: string, doc: Doc): void {
    removeAll(this.map, this.keysOf(doc), id);
    if (this.prefixMap) removeAll(this.prefixMap, this.prefixKeysOf(doc), id);
  }

  /** `before` stored under `id` becomes `after`: only keys that changed move (most updates touch no indexed field). */
  replace(id: string, before: Doc, after: Doc): void {
    const was = this.keysOf(before);
    const is = this.keysOf(after);
    if (!sameKeys(was, is)) {
      removeAll(this.map, was, id);
      addAll(this.map, is, id);
    }
    if (this.prefixMap) {
      const wasP = this.prefixKeysOf(before);
      const isP = this.prefixKeysOf(after);
      if (!sameKeys(wasP, isP)) {
        removeAll(this.prefixMap, wasP, id);
        addAll(this.prefixMap, isP, id);
      }
    }
  }

  /** Remembers the keys `doc` (a version being replaced under `id`) held, for open snapshots. */
  addGhost(id: string, doc: Doc): void {
    if (this.unique) addAll(this.ghosts, this.keysOf(doc), id);
  }

  /** The first key of `doc` already held by another document, if any. */
  conflict(id: string, doc: Doc): string | undefined {
    if (!this.unique) return undefined;
    for (const k of this.keysOf(doc)) {
      const n = this.map.count(k);
      if (n > 1 || (n === 1 && !this.map.has(k, id))) return k;
    }
    return undefined;
  }

  /** keyPattern/keyValue for a duplicate-key error from the offending document. */
  keyValue(doc: Doc): Doc {
    const out: Doc = {};
    for (const f of this.fields) {
      const vals: unknown[] = [];
      anyAtPath(doc, f.parts, 0, (v) => (vals.push(v), false), false);
      out[f.path] = vals[0] ?? null;
    }
    return out;
  }
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof ObjectId) return `ObjectId('${v.toHexString()}')`;
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v === null || v === undefined) return 'null';
  if (rank(v) === Rank.Number) return String(toNumber(v));
  if (Array.isArray(v)) return `[ ${v.map(formatValue).join(', ')} ]`;
  if (isPlainObject(v))
    return `{ ${Object.entries(v)
      .map(([k, x]) => `${k}: ${formatValue(x)}`)
      .join(', ')} }`;
  return String(v);
}

export function duplicateKeyError(ns: string, indexName: string, keyPattern: Doc, keyValue: Doc): MongoServerError {
  const shown = Object.entries(keyValue)
    .map(([k, v]) => `${k}: ${formatValue(v)}`)
    .join(', ');
  return new MongoServerError(11000, `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: { ${shown} }`, {
    keyPattern,
    keyValue,
  });
}

/** Default index name as MongoDB builds it: field_dir joined by underscores. */
export function defaultIndexName(key: Doc): string {
  return Object.entries(key)
    .map(([k, v]) => `${k}_${typeof v === 'string' ? v : toNumber(v)}`)
    .join('_');
}
