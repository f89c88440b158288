/** What every command handler gets: the store, the target database, the session/transaction and a journal sink. */
import type { CursorRegistry } from '../cursors';
import { MongoServerError } from '../errors';
import type { JournalRecord } from '../journal';
import type { Collection, Store } from '../storage';
import type { SessionRegistry, Session, Transaction } from '../transactions';
import { isNumeric, isPlainObject, toNumber, type Doc } from '../values';
import { CommittedView, TransactionView, type CollectionView } from '../views';

export interface ServerInfo {
  port: number;
  startedAt: Date;
  connectionId: number;
  /** Sets the TTL sweep period; returns the previous one. */
  setTtlSweepMs(ms: number): number;
}

export interface CommandContext {
  store: Store;
  db: string;
  cmd: Doc;
  cursors: CursorRegistry;
  sessions: SessionRegistry;
  session?: Session;
  txn?: Transaction;
  /** Journal records of this command's committed effects; appended (and fsynced) before the reply. */
  records: JournalRecord[];
  server: ServerInfo;
}

export type Handler = (ctx: CommandContext) => Doc;

export function collectionName(ctx: CommandContext, field: string): string {
  const v = ctx.cmd[field];
  if (typeof v !== 'string' || v === '') throw new MongoServerError(73, `collection name has invalid type ${typeof v}`);
  return v;
}

export function readView(ctx: CommandContext, name: string): CollectionView {
  const coll = ctx.store.collection(ctx.db, name);
  return ctx.txn ? new TransactionView(coll, ctx.txn) : new CommittedView(coll, ctx.records);
}

/** A view for writing: creates the collection implicitly like MongoDB (the creation itself is not transactional). */
export function writeView(ctx: CommandContext, name: string): CollectionView {
  const { coll, records } = ctx.store.ensureCollection(ctx.db, name);
  ctx.records.push(...records);
  return ctx.txn ? new TransactionView(coll, ctx.txn) : new CommittedView(coll, ctx.records);
}

export function ensure(ctx: CommandContext, name: string): Collection {
  const { coll, records } = ctx.store.ensureCollection(ctx.db, name);
  ctx.records.push(...records);
  return coll;
}

export function optNumber(v: unknown): number | undefined {
  return v === undefined || v === null ? undefined : isNumeric(v) ? toNumber(v) : undefined;
}

export function asDoc(v: unknown, what: string): Doc | undefined {
  if (v === undefined || v === null) return undefined;
  // Numbers arrive as BSON wrapper objects (Int32, Double…): only a plain document is a document.
  if (!isPlainObject(v)) throw new MongoServerError(14, `${what} must be an object`);
  return v as Doc;
}
