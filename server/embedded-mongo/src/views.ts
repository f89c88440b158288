/**
 * What a command sees of one collection: the committed state (writes apply at once and produce journal
 * records) or a transaction's snapshot plus its own uncommitted writes.
 */
import type { JournalRecord } from './journal';
import { duplicateKeyError } from './indexes';
import { writeConflict } from './errors';
import type { Collection } from './storage';
import type { Transaction } from './transactions';
import { keyOf, type Doc } from './values';

export interface CollectionView {
  readonly coll: Collection | undefined;
  get(id: string): Doc | undefined;
  /** Documents that may match `filter` (index-planned when possible; the caller still applies the filter). */
  candidates(filter: Doc | undefined): Iterable<[string, Doc]>;
  insert(doc: Doc): void;
  replace(id: string, doc: Doc): void;
  remove(id: string): void;
}

export function idKey(doc: Doc): string {
  return keyOf(doc._id);
}

export class CommittedView implements CollectionView {
  constructor(
    readonly coll: Collection | undefined,
    private readonly records: JournalRecord[],
  ) {}

  get(id: string): Doc | undefined {
    return this.coll?.docs.get(id);
  }

  *candidates(filter: Doc | undefined): Iterable<[string, Doc]> {
    if (!this.coll) return;
    const ids = this.coll.plan(filter);
    if (!ids) {
      // No copy: runQuery collects every match before any write is applied.
      yield* this.coll.docs;
      return;
    }
    for (const id of ids) {
      const d = this.coll.docs.get(id);
      if (d) yield [id, d];
    }
  }

  private writable(): Collection {
    if (!this.coll) throw new Error('write to a view without a collection');
    return this.coll;
  }

  insert(doc: Doc): void {
    const c = this.writable();
    const id = idKey(doc);
    c.checkUnique(id, doc, true);
    c.write(id, doc);
    this.records.push({ t: 'put', ns: c.ns, doc });
  }

  replace(id: string, doc: Doc): void {
    const c = this.writable();
    c.checkUnique(id, doc, false);
    c.write(id, doc);
    this.records.push({ t: 'put', ns: c.ns, doc });
  }

  remove(id: string): void {
    const c = this.writable();
    const before = c.write(id, undefined);
    if (before) this.records.push({ t: 'del', ns: c.ns, id: before._id });
  }
}

export class TransactionView implements CollectionView {
  constructor(
    readonly coll: Collection | undefined,
    private readonly txn: Transaction,
  ) {}

  get(id: string): Doc | undefined {
    if (!this.coll) return undefined;
    const w = this.txn.writes.get(this.txn.key(this.coll, id));
    if (w) return w.doc;
    return this.coll.versionAt(id, this.txn.snapshot);
  }

  *candidates(filter: Doc | undefined): Iterable<[string, Doc]> {
    const c = this.coll;
    if (!c) return;
    const { ids: planned, byId } = c.planWith(filter);
    if (planned && byId) {
      // The filter names its _ids: only those can match, in any version (this view reads the right one).
      for (const id of new Set(planned)) {
        const d = this.get(id);
        if (d) yield [id, d];
      }
      return;
    }
    // Documents changed since the snapshot may have matched then even if the index no longer says so.
    const ids = new Set<string>(planned ?? c.docs.keys());
    for (const id of c.history.keys()) ids.add(id);
    for (const w of this.txn.writes.values()) if (w.coll === c) ids.add(w.id);
    for (const id of ids) {
      const d = this.get(id);
      if (d) yield [id, d];
    }
  }

  /**
   * Conflicts and uniqueness as this transaction sees them. A unique key of `doc` may be held by a document
   * committed now (the index), by one as of the snapshot that has changed since (the index's ghosts) or by
   * one this transaction wrote (its staged keys); each candidate is re-read through this view.
   */
  private check(id: string, doc: Doc | undefined, isInsert: boolean): Collection {
    const c = this.coll;
    if (!c) throw new Error('write to a view without a collection');
    const lock = this.txn.locks.get(this.txn.key(c, id));
    if ((lock && lock !== this.txn) || (c.lastWrite.get(id) ?? 0) > this.txn.snapshot) throw writeConflict();
    if (!doc) return c;
    if (isInsert && this.get(id)) throw duplicateKeyError(c.ns, '_id_', { _id: 1 }, { _id: doc._id });
    for (const idx of c.indexes.values()) {
      if (!idx.unique) continue;
      const staged = this.txn.stagedKeys.get(idx);
      for (const k of idx.keysOf(doc)) {
        for (const holders of [idx.map.get(k), idx.ghosts.get(k), staged?.get(k) ?? []]) {
          for (const o of holders) {
            if (o === id) continue;
            const od = this.get(o);
            if (od && idx.keysOf(od).includes(k)) throw duplicateKeyError(c.ns, idx.name, idx.spec.key, idx.keyValue(doc));
          }
        }
      }
    }
    return c;
  }

  insert(doc: Doc): void {
    const id = idKey(doc);
    this.txn.stage(this.check(id, doc, true), id, doc);
  }

  replace(id: string, doc: Doc): void {
    this.txn.stage(this.check(id, doc, false), id, doc);
  }

  remove(id: string): void {
    this.txn.stage(this.check(id, undefined, false), id, undefined);
  }
}
