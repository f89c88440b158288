/**
 * Secondary indexes: a hash map from the canonical key of the indexed value(s) to the ids of the documents
 * holding them, so equality lookups and uniqueness checks never scan the collection. Multikey (array)
 * fields index each element, as MongoDB does.
 */
import { ObjectId } from 'bson';
import { badValue, MongoServerError } from './errors';
import { anyAtPath, compileFilter, type Predicate } from './query';
import { isPlainObject, keyOf, lengthPrefixed, rank, Rank, toNumber, type Doc } from './values';

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
    if (i === parts.length) {
      if (Array.isArray(v)) {
        if (v.length === 0) out.push(undefined);
        else out.push(...v);
      } else out.push(v);
      return;
    }
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

function addAll(map: Map<string, Set<string>>, keys: string[], id: string): void {
  for (const k of keys) {
    let s = map.get(k);
    if (!s) map.set(k, (s = new Set()));
    s.add(id);
  }
}

function removeAll(map: Map<string, Set<string>>, keys: string[], id: string): void {
  for (const k of keys) {
    const s = map.get(k);
    if (!s) continue;
    s.delete(id);
    if (s.size === 0) map.delete(k);
  }
}

export class Index {
  readonly name: string;
  readonly fields: { path: string; parts: string[] }[];
  readonly unique: boolean;
  readonly sparse: boolean;
  readonly partial?: Predicate;
  readonly expireAfterSeconds?: number;
  /** index key → ids (keyOf(_id)) of the documents with that key */
  readonly map = new Map<string, Set<string>>();
  /**
   * Compound indexes also map their first field alone, so a filter that pins only the leading field
   * (e.g. { userId } on { userId: 1, createdAt: -1 }) is answered without a scan, as a B-tree prefix would be.
   */
  readonly prefixMap?: Map<string, Set<string>>;

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
    if (this.fields.length > 1) this.prefixMap = new Map();
  }

  /** Keys of the leading field only (for prefixMap), [] when the index skips the document. */
  private prefixKeysOf(doc: Doc): string[] {
    if (this.partial && !this.partial(doc)) return [];
    if (this.sparse && this.fields.every((f) => valuesAt(doc, f.parts).every((v) => v === undefined))) return [];
    return [...new Set(valuesAt(doc, this.fields[0]!.parts).map((v) => keyOf(v ?? null)))];
  }

  /** The index keys of a document, or [] when the index skips it (sparse with no field, partial non-match). */
  keysOf(doc: Doc): string[] {
    if (this.partial && !this.partial(doc)) return [];
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

  /** The first key of `doc` already held by another document, if any. */
  conflict(id: string, doc: Doc): string | undefined {
    if (!this.unique) return undefined;
    for (const k of this.keysOf(doc)) {
      const s = this.map.get(k);
      if (s && (s.size > 1 || !s.has(id))) return k;
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
