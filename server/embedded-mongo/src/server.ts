/**
 * The TCP server: one in-process MongoDB-compatible node presented as a one-member replica set.
 *
 * Atomicity: every command handler is synchronous — it checks and applies its writes in one tick — and
 * only then awaits the journal (so an acknowledged write is durable). Concurrent commands from other
 * connections interleave only between commands, never inside one.
 */
import * as net from 'node:net';
import { aggregateCommands } from './commands/aggregate';
import { adminCommands } from './commands/admin';
import type { CommandContext, Handler, ServerInfo } from './commands/context';
import { crudCommands } from './commands/crud';
import { CursorRegistry } from './cursors';
import { MongoServerError, notSupported } from './errors';
import { openJournal, type Journal, type JournalRecord } from './journal';
import { Store } from './storage';
import { SessionRegistry, txnNumberOf, type Session, type Transaction } from './transactions';
import { isPlainObject, type Doc } from './values';
import { CommittedView } from './views';
import { decode, encodeReply, MessageReader, type Request } from './wire';

export interface EmbeddedMongoOptions {
  /** Folder for the durable journal; without it everything stays in memory. */
  dataDir?: string;
  /** TCP port on 127.0.0.1; 0 or undefined picks a free one. */
  port?: number;
  log?: (msg: string) => void;
  /** How often expired TTL documents are deleted (mongod: 60 s). */
  ttlSweepMs?: number;
  /** Transactions still open this long after their start are aborted (mongod: transactionLifetimeLimitSeconds = 60). */
  transactionLifetimeMs?: number;
  /** Compact the journal once it grows past this many bytes (and has doubled since the last compaction). */
  compactThresholdBytes?: number;
}

export interface EmbeddedMongo {
  uri: string;
  port: number;
  stop(): Promise<void>;
}

const COMMANDS: Record<string, Handler> = { ...adminCommands, ...crudCommands, ...aggregateCommands };
const RETRYABLE_WRITES = new Set(['insert', 'update', 'delete', 'findAndModify', 'findandmodify']);
/**
 * mongod commands this server does not implement: answered with CommandNotSupported (115) naming them, so
 * nobody mistakes a missing feature for a typo (unknown names get mongod's own 59 CommandNotFound).
 */
const UNSUPPORTED_COMMANDS = new Set([
  'renameCollection',
  'explain',
  'collMod',
  'collStats',
  'dataSize',
  'validate',
  'compact',
  'reIndex',
  'convertToCapped',
  'cloneCollectionAsCapped',
  'mapReduce',
  'geoSearch',
  'bulkWrite',
  'dbHash',
  'profile',
  'top',
  'currentOp',
  'killOp',
  'fsync',
  'shutdown',
  'getLog',
  'saslStart',
  'saslContinue',
  'authenticate',
  'logout',
  'createUser',
  'updateUser',
  'dropUser',
  'usersInfo',
  'createRole',
  'dropRole',
  'rolesInfo',
  'grantRolesToUser',
  'revokeRolesFromUser',
  'replSetGetStatus',
  'replSetGetConfig',
  'replSetInitiate',
  'replSetReconfig',
  'replSetStepDown',
  'setFeatureCompatibilityVersion',
  'createSearchIndexes',
  'listSearchIndexes',
  'dropSearchIndex',
  'updateSearchIndex',
  'planCacheClear',
  'planCacheClearFilters',
  'planCacheListFilters',
  'planCacheSetFilter',
  'filemd5',
]);
/** Fields every command may carry that say nothing about the command itself. */
const TXN_FIELDS = ['lsid', 'txnNumber', 'autocommit', 'startTransaction'];

/** Options that would change results if ignored: refuse them instead of answering differently from MongoDB. */
function refuseUnsupportedOptions(cmd: Doc): void {
  const statements = [cmd, ...(['updates', 'deletes'] as const).flatMap((f) => (Array.isArray(cmd[f]) ? (cmd[f] as Doc[]) : []))];
  for (const s of statements) {
    const collation = s.collation;
    if (isPlainObject(collation) && collation.locale !== 'simple') throw notSupported('collation');
  }
  if (cmd.tailable || cmd.awaitData) throw notSupported('tailable cursors');
}

export async function startEmbeddedMongo(opts: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const log = opts.log ?? (() => undefined);
  const store = new Store();
  const cursors = new CursorRegistry();
  const sessions = new SessionRegistry(store, opts.transactionLifetimeMs ?? 60_000);
  const compactThreshold = opts.compactThresholdBytes ?? 64 * 1024 * 1024;
  let journal: Journal | undefined;
  let compacting: Promise<void> | undefined;
  let sizeAfterCompaction = 0;

  if (opts.dataDir) {
    const opened = await openJournal(opts.dataDir, log);
    journal = opened.journal;
    store.replay(opened.replay);
    await journal.compact(store.snapshotRecords());
    sizeAfterCompaction = journal.sizeBytes;
    log(`embedded-mongo: loaded ${opened.replay.length} journal records from ${opts.dataDir}`);
  }

  const maybeCompact = (): void => {
    if (!journal || compacting || journal.sizeBytes < compactThreshold || journal.sizeBytes < 2 * sizeAfterCompaction) return;
    const j = journal;
    // The snapshot is taken synchronously: it includes every batch whose append() has already been called.
    compacting = j
      .compact(store.snapshotRecords())
      .then(() => {
        sizeAfterCompaction = j.sizeBytes;
      })
      .catch((e: unknown) => log(`embedded-mongo: journal compaction failed: ${(e as Error).message}`))
      .finally(() => {
        compacting = undefined;
      });
  };

  const persist = async (records: JournalRecord[]): Promise<void> => {
    if (!journal || records.length === 0) return;
    await journal.append(records);
    maybeCompact();
  };

  const server = net.createServer();
  const sockets = new Set<net.Socket>();
  let connectionIds = 0;
  let ttlSweepMs = opts.ttlSweepMs ?? 60_000;
  let port = 0;
  const startedAt = new Date();

  const info = (connectionId: number): ServerInfo => ({
    port,
    startedAt,
    connectionId,
    setTtlSweepMs: (ms) => {
      const was = ttlSweepMs;
      ttlSweepMs = ms;
      scheduleTtl();
      return was;
    },
  });

  async function dispatch(req: Request, connectionId: number): Promise<Doc> {
    const cmd = req.body;
    const name = Object.keys(cmd)[0] ?? '';
    const ctx: CommandContext = { store, db: req.db, cmd, cursors, sessions, records: [], server: info(connectionId) };
    let session: Session | undefined;
    let retryKey: bigint | undefined;
    try {
      if (isPlainObject(cmd.lsid)) session = ctx.session = sessions.get(cmd.lsid);
      if (name === 'commitTransaction' || name === 'abortTransaction') return await endTransaction(name, cmd, session);
      if (session && cmd.txnNumber !== undefined) {
        const txnNumber = txnNumberOf(cmd.txnNumber);
        if (cmd.autocommit === false) {
          ctx.txn = sessions.transactionFor(session, txnNumber, cmd.startTransaction === true);
        } else if (RETRYABLE_WRITES.has(name)) {
          const done = session.retryReplies.get(txnNumber);
          if (done) return done;
          retryKey = txnNumber;
        }
      }
      const handler = COMMANDS[name];
      if (!handler) {
        if (UNSUPPORTED_COMMANDS.has(name))
          throw new MongoServerError(115, `command ${name} is not supported by the embedded MongoDB server`);
        throw new MongoServerError(59, `no such command: '${name}'`);
      }
      refuseUnsupportedOptions(cmd);
      for (const f of TXN_FIELDS) if (f !== 'lsid') delete cmd[f];
      let reply: Doc;
      try {
        reply = handler(ctx);
      } finally {
        // Effects already applied in memory must reach the journal even when the command failed midway.
        await persist(ctx.records);
      }
      if (session && retryKey !== undefined) {
        session.retryReplies.set(retryKey, reply);
        if (retryKey > session.highestTxnNumber) session.highestTxnNumber = retryKey;
        // Only the newest retryable write of a session can be retried.
        for (const k of session.retryReplies.keys()) if (k < retryKey) session.retryReplies.delete(k);
      }
      return reply;
    } catch (e) {
      // As in mongod, a failed command inside a transaction aborts it: the commit then fails with
      // NoSuchTransaction and withTransaction retries from the start.
      if (ctx.txn?.state === 'active') ctx.txn.abort();
      if (e instanceof MongoServerError) return e.toReply();
      log(`embedded-mongo: internal error in ${name}: ${(e as Error).stack ?? String(e)}`);
      return { ok: 0, errmsg: `internal error: ${(e as Error).message}`, code: 1, codeName: 'InternalError' };
    }
  }

  async function endTransaction(name: string, cmd: Doc, session: Session | undefined): Promise<Doc> {
    if (!session || cmd.txnNumber === undefined)
      throw new MongoServerError(251, 'Given transaction number does not match any in-progress transactions.', {}, [
        'TransientTransactionError',
      ]);
    const txnNumber = txnNumberOf(cmd.txnNumber);
    const t: Transaction | undefined = session.txn?.txnNumber === txnNumber ? session.txn : undefined;
    if (name === 'abortTransaction') {
      if (!t || t.state !== 'active') {
        throw new MongoServerError(251, `Transaction with { txnNumber: ${txnNumber} } has been aborted.`, {}, [
          'TransientTransactionError',
        ]);
      }
      t.abort();
      return { ok: 1 };
    }
    if (t?.state === 'committed') return { ok: 1 }; // a retried commit
    if (!t || t.state !== 'active') {
      throw new MongoServerError(251, `Transaction with { txnNumber: ${txnNumber} } has been aborted.`, {}, ['TransientTransactionError']);
    }
    await persist(t.commit());
    return { ok: 1 };
  }

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const connectionId = ++connectionIds;
    const reader = new MessageReader();
    // Requests on one connection are answered in order; the chain also keeps one command at a time per socket.
    let chain: Promise<void> = Promise.resolve();
    socket.on('data', (chunk) => {
      let messages: Buffer[];
      try {
        messages = reader.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const m of messages) {
        chain = chain.then(async () => {
          let req: Request | undefined;
          try {
            req = decode(m);
          } catch (e) {
            log(`embedded-mongo: bad message: ${(e as Error).message}`);
            socket.destroy();
            return;
          }
          if (!req) {
            log(`embedded-mongo: unsupported opcode ${m.readInt32LE(12)}`);
            socket.destroy();
            return;
          }
          const reply = await dispatch(req, connectionId);
          if (!req.moreToCome && !socket.destroyed) socket.write(encodeReply(req, reply));
        });
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });

  // ---------------------------------------------------------------- background work: TTL, idle transactions, cursors
  let ttlTimer: NodeJS.Timeout | undefined;
  let sweeping = false;
  function sweepTtl(): void {
    if (sweeping) return;
    const now = Date.now();
    const records: JournalRecord[] = [];
    for (const colls of store.dbs.values()) {
      for (const coll of colls.values()) {
        for (const idx of coll.indexes.values()) {
          if (idx.expireAfterSeconds === undefined || idx.fields.length !== 1) continue;
          const cutoff = now - idx.expireAfterSeconds * 1000;
          const view = new CommittedView(coll, records);
          const parts = idx.fields[0]!.parts;
          for (const [id, doc] of [...coll.docs]) {
            if (idx.partial && !idx.partial(doc)) continue;
            let v: unknown = doc;
            for (const p of parts) v = isPlainObject(v) ? v[p] : undefined;
            const dates = (Array.isArray(v) ? v : [v]).filter((d): d is Date => d instanceof Date);
            if (dates.length && Math.min(...dates.map((d) => d.getTime())) <= cutoff) view.remove(id);
          }
        }
      }
    }
    if (records.length) {
      sweeping = true;
      persist(records)
        .catch((e: unknown) => log(`embedded-mongo: TTL journal write failed: ${(e as Error).message}`))
        .finally(() => {
          sweeping = false;
        });
    }
  }
  function scheduleTtl(): void {
    if (ttlTimer) clearInterval(ttlTimer);
    ttlTimer = setInterval(sweepTtl, Math.max(10, ttlSweepMs));
    ttlTimer.unref();
  }
  scheduleTtl();
  const reaper = setInterval(() => {
    sessions.reapIdle();
    cursors.reapIdle(10 * 60_000);
  }, 1000);
  reaper.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as net.AddressInfo).port;
  const uri = `mongodb://127.0.0.1:${port}/?replicaSet=rs0`;
  log(`embedded-mongo: listening on ${uri}${opts.dataDir ? ` (data in ${opts.dataDir})` : ' (in memory)'}`);

  let stopped: Promise<void> | undefined;
  return {
    uri,
    port,
    stop: () =>
      (stopped ??= (async () => {
        if (ttlTimer) clearInterval(ttlTimer);
        clearInterval(reaper);
        for (const s of sockets) s.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await compacting;
        sessions.closeAll();
        cursors.clear();
        await journal?.close();
      })()),
  };
}
