/**
 * Logical sessions, multi-document transactions and retryable writes.
 *
 * A transaction reads the store as of its start (snapshot isolation, see storage.ts) and stages its writes.
 * Write-write conflicts are detected eagerly (another open transaction staged the same document, or the
 * document was committed after our snapshot) and again at commit (a non-transactional write may have
 * landed since), both answering WriteConflict with TransientTransactionError so drivers retry.
 */
import { Long } from 'bson';
import type { JournalRecord } from './journal';
import { MongoServerError, writeConflict } from './errors';
import type { Index } from './indexes';
import type { Collection, Store } from './storage';
import { keyOf, toNumber, type Doc } from './values';

export interface StagedWrite {
  coll: Collection;
  id: string;
  doc: Doc | undefined;
}

export class Transaction {
  readonly writes = new Map<string, StagedWrite>();
  /** Unique index → key → ids of documents this transaction staged with that key (possibly since rewritten). */
  readonly stagedKeys = new Map<Index, Map<string, Set<string>>>();
  state: 'active' | 'committed' | 'aborted' = 'active';
  /** mongod's transactionLifetimeLimitSeconds counts from the start, not from the last command. */
  readonly startedAt = Date.now();
  readonly snapshot: number;

  constructor(
    readonly store: Store,
    readonly txnNumber: bigint,
    readonly locks: Map<string, Transaction>,
  ) {
    this.snapshot = store.beginSnapshot();
  }

  key(coll: Collection, id: string): string {
    return `${coll.ns}\u0000${id}`;
  }

  stage(coll: Collection, id: string, doc: Doc | undefined): void {
    const k = this.key(coll, id);
    this.writes.set(k, { coll, id, doc });
    this.locks.set(k, this);
    if (!doc) return;
    for (const idx of coll.indexes.values()) {
      if (!idx.unique) continue;
      let byKey = this.stagedKeys.get(idx);
      if (!byKey) this.stagedKeys.set(idx, (byKey = new Map()));
      for (const key of idx.keysOf(doc)) {
        let ids = byKey.get(key);
        if (!ids) byKey.set(key, (ids = new Set()));
        ids.add(id);
      }
    }
  }

  /** Applies every staged write atomically (all or none) and returns them as one journal batch. */
  commit(): JournalRecord[] {
    for (const w of this.writes.values()) {
      if ((w.coll.lastWrite.get(w.id) ?? 0) > this.snapshot || this.store.collection(w.coll.db, w.coll.name) !== w.coll) {
        this.abort();
        throw writeConflict();
      }
    }
    const undo: { coll: Collection; id: string; before: Doc | undefined }[] = [];
    const records: JournalRecord[] = [];
    try {
      for (const w of this.writes.values()) {
        if (w.doc) w.coll.checkUnique(w.id, w.doc, false);
        undo.push({ coll: w.coll, id: w.id, before: w.coll.write(w.id, w.doc) });
        const before = undo[undo.length - 1]!.before;
        if (w.doc) records.push({ t: 'put', ns: w.coll.ns, doc: w.doc });
        else if (before) records.push({ t: 'del', ns: w.coll.ns, id: before._id });
      }
    } catch (e) {
      for (const u of undo.reverse()) u.coll.write(u.id, u.before);
      this.abort();
      if (e instanceof MongoServerError && e.code === 11000) throw writeConflict();
      throw e;
    }
    this.finish('committed');
    return records;
  }

  abort(): void {
    if (this.state === 'active') this.finish('aborted');
  }

  private finish(state: 'committed' | 'aborted'): void {
    this.state = state;
    for (const k of this.writes.keys()) if (this.locks.get(k) === this) this.locks.delete(k);
    this.store.endSnapshot();
  }
}

const SESSION_TIMEOUT_MS = 30 * 60_000;

export interface Session {
  key: string;
  txn?: Transaction;
  /** Replies of retryable writes by txnNumber, so a retry is answered without applying twice. */
  retryReplies: Map<bigint, Doc>;
  highestTxnNumber: bigint;
  lastUse: number;
}

export function txnNumberOf(v: unknown): bigint {
  if (v instanceof Long) return v.toBigInt();
  if (typeof v === 'bigint') return v;
  return BigInt(Math.trunc(toNumber(v)));
}

export class SessionRegistry {
  readonly sessions = new Map<string, Session>();
  readonly locks = new Map<string, Transaction>();

  constructor(
    private readonly store: Store,
    /** Settable at run time through setParameter transactionLifetimeLimitSeconds, as on mongod. */
    public transactionLifetimeMs: number,
  ) {}

  get(lsid: Doc): Session {
    const key = keyOf(lsid.id);
    let s = this.sessions.get(key);
    if (!s) this.sessions.set(key, (s = { key, retryReplies: new Map(), highestTxnNumber: -1n, lastUse: Date.now() }));
    s.lastUse = Date.now();
    return s;
  }

  /** The transaction a command with autocommit:false runs in (starting it when asked). */
  transactionFor(session: Session, txnNumber: bigint, start: boolean): Transaction {
    if (txnNumber < session.highestTxnNumber) {
      throw new MongoServerError(
        225,
        `Cannot start transaction ${txnNumber} on session because a newer transaction ${session.highestTxnNumber} has already started`,
      );
    }
    if (start) {
      if (session.txn && session.txn.txnNumber === txnNumber) {
        throw new MongoServerError(251, `Given transaction number ${txnNumber} does not match any in-progress transactions.`, {}, [
          'TransientTransactionError',
        ]);
      }
      session.txn?.abort();
      session.txn = new Transaction(this.store, txnNumber, this.locks);
      session.highestTxnNumber = txnNumber;
      return session.txn;
    }
    const t = session.txn;
    if (!t || t.txnNumber !== txnNumber || t.state !== 'active') {
      const committed = t?.state === 'committed' && t.txnNumber === txnNumber;
      throw new MongoServerError(
        committed ? 256 : 251,
        committed ? `Transaction ${txnNumber} has been committed.` : `Transaction with { txnNumber: ${txnNumber} } has been aborted.`,
        {},
        committed ? [] : ['TransientTransactionError'],
      );
    }
    return t;
  }

  end(lsid: Doc): void {
    const key = keyOf(lsid.id);
    this.sessions.get(key)?.txn?.abort();
    this.sessions.delete(key);
  }

  /**
   * Aborts transactions open longer than the lifetime (MongoDB: transactionLifetimeLimitSeconds, 60 s, counted
   * from the transaction's start, so an abandoned transaction never holds its snapshot and locks for long) and
   * forgets sessions unused for logicalSessionTimeoutMinutes (30), as mongod does.
   */
  reapIdle(now = Date.now()): void {
    for (const [key, s] of this.sessions) {
      if (s.txn?.state === 'active' && now - s.txn.startedAt > this.transactionLifetimeMs) s.txn.abort();
      if (now - s.lastUse > SESSION_TIMEOUT_MS) {
        s.txn?.abort();
        this.sessions.delete(key);
      }
    }
  }

  closeAll(): void {
    for (const s of this.sessions.values()) s.txn?.abort();
    this.sessions.clear();
  }
}
