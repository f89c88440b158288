/**
 * In-memory storage: databases → collections → documents keyed by the canonical key of their _id.
 * Documents are immutable once stored (updates store a modified copy), which lets snapshots share them.
 *
 * Snapshot isolation without copying: while any transaction is open, every write records the document's
 * previous version with a sequence number; a transaction reads the version current at its start sequence.
 * When the last transaction ends the history is dropped.
 */
import type { JournalRecord } from './journal';
import { defaultIndexName, duplicateKeyError, Index, type IdMultiMap, type IndexSpec } from './indexes';
import { MongoServerError } from './errors';
import { equalityFields } from './query';
import { isPlainObject, keyOf, type Doc } from './values';

interface Version {
  seq: number;
  doc: Doc | undefined;
}

export const ID_INDEX_NAME = '_id_';

export class Collection {
  readonly docs = new Map<string, Doc>();
  readonly indexes = new Map<string, Index>();
  /** Only while a transaction is open: last write sequence per id and the versions it replaced. */
  readonly lastWrite = new Map<string, number>();
  readonly history = new Map<string, Version[]>();

  constructor(
    readonly store: Store,
    readonly db: string,
    readonly name: string,
    public options: Doc,
  ) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** Throws E11000 if `doc` (stored under `id`) would break a unique index; `isInsert` also checks _id. */
  checkUnique(id: string, doc: Doc, isInsert: boolean): void {
    if (isInsert && this.docs.has(id)) {
      throw duplicateKeyError(this.ns, ID_INDEX_NAME, { _id: 1 }, { _id: doc._id });
    }
    for (const idx of this.indexes.values()) {
      if (idx.conflict(id, doc) !== undefined) throw duplicateKeyError(this.ns, idx.name, idx.spec.key, idx.keyValue(doc));
    }
  }

  /** Stores (or with undefined, deletes) the document under `id`, keeping indexes and history. Returns the previous one. */
  write(id: string, doc: Doc | undefined): Doc | undefined {
    const before = this.docs.get(id);
    const keep = this.store.openSnapshots > 0;
    for (const idx of this.indexes.values()) {
      if (before && doc) idx.replace(id, before, doc);
      else if (before) idx.remove(id, before);
      else if (doc) idx.add(id, doc);
      if (before && keep) idx.addGhost(id, before);
    }
    if (doc) this.docs.set(id, doc);
    else this.docs.delete(id);
    const seq = ++this.store.seq;
    if (keep) {
      let h = this.history.get(id);
      if (!h) this.history.set(id, (h = []));
      h.push({ seq, doc: before });
      this.lastWrite.set(id, seq);
      this.store.dirty.add(this);
    }
    return before;
  }

  /** The document as it was at sequence `snap`. */
  versionAt(id: string, snap: number): Doc | undefined {
    const lw = this.lastWrite.get(id);
    if (lw === undefined || lw <= snap) return this.docs.get(id);
    for (const v of this.history.get(id) ?? []) if (v.seq > snap) return v.doc;
    return this.docs.get(id);
  }

  /**
   * Ids that can match `filter`, from the _id map or a complete secondary index when the filter pins every
   * indexed field to exact values; undefined means "scan everything".
   */
  plan(filter: Doc | undefined): string[] | undefined {
    return this.planWith(filter).ids;
  }

  /**
   * plan(), telling also whether the ids came from the filter's own `_id` values (then no other document can
   * match, whatever version of it a snapshot reads) or from a secondary index of the current state.
   */
  planWith(filter: Doc | undefined): { ids: string[] | undefined; byId: boolean } {
    if (!filter) return { ids: undefined, byId: false };
    const eq = equalityFields(filter);
    if (eq.size === 0) return { ids: undefined, byId: false };
    const usable = (vals: unknown[] | undefined): vals is unknown[] =>
      vals !== undefined &&
      vals.length <= 1000 &&
      !vals.some((v) => Array.isArray(v) || (isPlainObject(v) && Object.keys(v).some((k) => k.startsWith('$'))));
    const ids = eq.get('_id');
    if (usable(ids)) return { ids: ids.map((v) => keyOf(v)), byId: true };
    // Each usable index offers a list of keys; the one whose keys hold the fewest ids is read (counted
    // first, so a wide prefix, e.g. every entry of a user, is never copied just to be beaten).
    let best: { map: IdMultiMap; keys: string[]; size: number } | undefined;
    const offer = (map: IdMultiMap, keys: string[]): void => {
      let size = 0;
      for (const k of keys) size += map.count(k);
      if (!best || size < best.size) best = { map, keys, size };
    };
    for (const idx of this.indexes.values()) {
      if (!idx.complete) continue;
      const lists = idx.fields.map((f) => eq.get(f.path));
      if (!lists.every(usable)) {
        const first = lists[0];
        if (idx.prefixMap && usable(first))
          offer(
            idx.prefixMap,
            first.map((v) => keyOf(v)),
          );
        continue;
      }
      let combos: unknown[][] = [[]];
      for (const l of lists as unknown[][]) combos = combos.flatMap((c) => l.map((v) => [...c, v]));
      if (combos.length > 1000) continue;
      offer(
        idx.map,
        combos.map((c) => idx.lookupKey(c)),
      );
      if (idx.unique) break;
    }
    if (!best) return { ids: undefined, byId: false };
    const { map, keys } = best as { map: IdMultiMap; keys: string[] };
    const out = new Set<string>();
    for (const k of keys) for (const id of map.get(k)) out.add(id);
    return { ids: [...out], byId: false };
  }
}

export class Store {
  readonly dbs = new Map<string, Map<string, Collection>>();
  seq = 0;
  openSnapshots = 0;
  readonly dirty = new Set<Collection>();

  collection(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** Creates the collection if missing; returns the journal records of what was created. */
  ensureCollection(db: string, name: string, options: Doc = {}): { coll: Collection; records: JournalRecord[] } {
    const existing = this.collection(db, name);
    if (existing) return { coll: existing, records: [] };
    if (!name || name.includes('$') || name.startsWith('system.')) {
      throw new MongoServerError(73, `Invalid collection name: ${name}`);
    }
    let colls = this.dbs.get(db);
    if (!colls) this.dbs.set(db, (colls = new Map()));
    const coll = new Collection(this, db, name, options);
    colls.set(name, coll);
    return { coll, records: [{ t: 'createCollection', ns: coll.ns, options }] };
  }

  dropCollection(db: string, name: string): boolean {
    const colls = this.dbs.get(db);
    if (!colls?.delete(name)) return false;
    if (colls.size === 0) this.dbs.delete(db);
    return true;
  }

  dropDatabase(db: string): void {
    this.dbs.delete(db);
  }

  /** Adds an index (validating existing documents for uniqueness); returns false if an identical one exists. */
  createIndex(coll: Collection, raw: Doc): boolean {
    const spec = { ...raw } as IndexSpec;
    if (!isPlainObject(spec.key)) throw new MongoServerError(9, "The 'key' field is a required property of an index specification");
    spec.name ??= defaultIndexName(spec.key);
    delete spec.background;
    if (spec.name === ID_INDEX_NAME || (Object.keys(spec.key).length === 1 && '_id' in spec.key)) return false;
    const existing = coll.indexes.get(spec.name);
    if (existing) {
      if (keyOf(existing.spec.key) !== keyOf(spec.key)) {
        throw new MongoServerError(
          86,
          `An existing index has the same name as the requested index. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing.spec)}`,
        );
      }
      if (optionsKey(existing.spec) !== optionsKey(spec)) {
        throw new MongoServerError(
          85,
          `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing.spec)}`,
        );
      }
      return false;
    }
    for (const other of coll.indexes.values()) {
      if (
        keyOf(other.spec.key) === keyOf(spec.key) &&
        keyOf(other.spec.partialFilterExpression ?? null) === keyOf(spec.partialFilterExpression ?? null)
      ) {
        throw new MongoServerError(85, `Index already exists with a different name: ${other.name}`);
      }
    }
    const idx = new Index(spec);
    for (const [id, doc] of coll.docs) {
      if (idx.conflict(id, doc) !== undefined) throw duplicateKeyError(coll.ns, idx.name, idx.spec.key, idx.keyValue(doc));
      idx.add(id, doc);
    }
    // Versions open snapshots may still read are ghosts of the new index too.
    for (const [id, versions] of coll.history) for (const v of versions) if (v.doc) idx.addGhost(id, v.doc);
    coll.indexes.set(idx.name, idx);
    return true;
  }

  beginSnapshot(): number {
    this.openSnapshots++;
    return this.seq;
  }

  endSnapshot(): void {
    this.openSnapshots--;
    if (this.openSnapshots === 0) {
      for (const c of this.dirty) {
        c.history.clear();
        c.lastWrite.clear();
        for (const idx of c.indexes.values()) idx.ghosts.clear();
      }
      this.dirty.clear();
    }
  }

  /** Everything in memory as journal records (for compaction). */
  snapshotRecords(): JournalRecord[] {
    const out: JournalRecord[] = [];
    for (const colls of this.dbs.values()) {
      for (const c of colls.values()) {
        out.push({ t: 'createCollection', ns: c.ns, options: c.options });
        for (const idx of c.indexes.values()) out.push({ t: 'createIndex', ns: c.ns, spec: idx.spec });
        for (const doc of c.docs.values()) out.push({ t: 'put', ns: c.ns, doc });
      }
    }
    return out;
  }

  /** Applies journal records without re-checking constraints (they were checked when first accepted). */
  replay(records: JournalRecord[]): void {
    for (const r of records) {
      switch (r.t) {
        case 'createCollection': {
          const [db, name] = splitNs(r.ns);
          this.ensureCollection(db, name, r.options ?? {});
          break;
        }
        case 'dropCollection': {
          const [db, name] = splitNs(r.ns);
          this.dropCollection(db, name);
          break;
        }
        case 'dropDatabase':
          this.dropDatabase(r.db);
          break;
        case 'createIndex': {
          const [db, name] = splitNs(r.ns);
          const { coll } = this.ensureCollection(db, name);
          const idx = new Index(r.spec as IndexSpec);
          for (const [id, doc] of coll.docs) idx.add(id, doc);
          coll.indexes.set(idx.name, idx);
          break;
        }
        case 'dropIndex':
          this.collection(...splitNs(r.ns))?.indexes.delete(r.name);
          break;
        case 'put': {
          const [db, name] = splitNs(r.ns);
          this.ensureCollection(db, name).coll.write(keyOf(r.doc._id), r.doc);
          break;
        }
        case 'del':
          this.collection(...splitNs(r.ns))?.write(keyOf(r.id), undefined);
          break;
        default:
      }
    }
  }
}

/** The options that make two indexes on the same key different indexes (or conflicting ones). */
function optionsKey(spec: IndexSpec): string {
  return keyOf({
    unique: Boolean(spec.unique),
    sparse: Boolean(spec.sparse),
    partial: spec.partialFilterExpression ?? null,
    ttl: spec.expireAfterSeconds ?? null,
  });
}

export function splitNs(ns: string): [string, string] {
  const dot = ns.indexOf('.');
  return [ns.slice(0, dot), ns.slice(dot + 1)];
}
