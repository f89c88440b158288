/** Handshake, server info, namespaces and indexes. */
import { Binary } from 'bson';
import { randomUUID } from 'node:crypto';
import { badValue, MongoServerError, notSupported } from '../errors';
import { defaultIndexName } from '../indexes';
import { compileFilter } from '../query';
import { ID_INDEX_NAME } from '../storage';
import { isNumeric, isPlainObject, keyOf, toNumber, type Doc } from '../values';
import { collectionName, ensure, type CommandContext, type Handler } from './context';

export const REPLICA_SET = 'rs0';
const MAX_BSON = 16 * 1024 * 1024;

export function helloReply(ctx: Pick<CommandContext, 'server'>, legacy: boolean): Doc {
  const host = `127.0.0.1:${ctx.server.port}`;
  // No topologyVersion on purpose: with it the driver switches to streaming (exhaust) hello.
  return {
    helloOk: true,
    ...(legacy ? { ismaster: true } : {}),
    isWritablePrimary: true,
    setName: REPLICA_SET,
    setVersion: 1,
    hosts: [host],
    primary: host,
    me: host,
    maxBsonObjectSize: MAX_BSON,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.server.connectionId,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    ok: 1,
  };
}

const idIndexSpec = (): Doc => ({ v: 2, key: { _id: 1 }, name: ID_INDEX_NAME });

const UNSUPPORTED_CREATE_OPTIONS = [
  'capped',
  'timeseries',
  'viewOn',
  'pipeline',
  'validator',
  'clusteredIndex',
  'changeStreamPreAndPostImages',
];

/** Fields any command may carry (session, concerns, API version) that are not collection options. */
const GENERIC_FIELDS = new Set([
  'lsid',
  'txnNumber',
  'autocommit',
  'startTransaction',
  'writeConcern',
  'readConcern',
  'comment',
  'maxTimeMS',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
]);

const create: Handler = (ctx) => {
  const name = collectionName(ctx, 'create');
  if (ctx.store.collection(ctx.db, name)) throw new MongoServerError(48, `Collection ${ctx.db}.${name} already exists.`);
  const options: Doc = {};
  for (const [k, v] of Object.entries(ctx.cmd)) {
    if (k === 'create' || k.startsWith('$') || GENERIC_FIELDS.has(k)) continue;
    if (UNSUPPORTED_CREATE_OPTIONS.includes(k)) throw notSupported(`create option '${k}'`);
    options[k] = v;
  }
  const { records } = ctx.store.ensureCollection(ctx.db, name, options);
  ctx.records.push(...records);
  return { ok: 1 };
};

const drop: Handler = (ctx) => {
  const name = collectionName(ctx, 'drop');
  const coll = ctx.store.collection(ctx.db, name);
  if (!coll) return { ok: 1 };
  const nIndexesWas = coll.indexes.size + 1;
  ctx.store.dropCollection(ctx.db, name);
  ctx.records.push({ t: 'dropCollection', ns: coll.ns });
  return { nIndexesWas, ns: coll.ns, ok: 1 };
};

const dropDatabase: Handler = (ctx) => {
  ctx.store.dropDatabase(ctx.db);
  ctx.records.push({ t: 'dropDatabase', db: ctx.db });
  return { dropped: ctx.db, ok: 1 };
};

const listCollections: Handler = (ctx) => {
  const filter = compileFilter(isPlainObject(ctx.cmd.filter) ? ctx.cmd.filter : undefined);
  const nameOnly = Boolean(ctx.cmd.nameOnly);
  const out: Doc[] = [];
  for (const c of ctx.store.dbs.get(ctx.db)?.values() ?? []) {
    const info: Doc = nameOnly
      ? { name: c.name, type: 'collection' }
      : { name: c.name, type: 'collection', options: c.options, info: { readOnly: false }, idIndex: idIndexSpec() };
    if (filter(info)) out.push(info);
  }
  const cursorOpt = (ctx.cmd.cursor ?? {}) as Doc;
  const batch = cursorOpt.batchSize === undefined ? undefined : toNumber(cursorOpt.batchSize);
  return { cursor: ctx.cursors.open(`${ctx.db}.$cmd.listCollections`, out, batch), ok: 1 };
};

const listDatabases: Handler = (ctx) => {
  const filter = compileFilter(isPlainObject(ctx.cmd.filter) ? ctx.cmd.filter : undefined);
  const databases: Doc[] = [];
  for (const [name, colls] of ctx.store.dbs) {
    let docs = 0;
    for (const c of colls.values()) docs += c.docs.size;
    const d: Doc = ctx.cmd.nameOnly ? { name } : { name, sizeOnDisk: docs * 100, empty: docs === 0 };
    if (filter(d)) databases.push(d);
  }
  return ctx.cmd.nameOnly ? { databases, ok: 1 } : { databases, totalSize: databases.reduce((s, d) => s + Number(d.sizeOnDisk), 0), ok: 1 };
};

const INDEX_OPTIONS = new Set([
  'key',
  'name',
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
  'background',
  'v',
  'ns',
  'collation',
  'hidden',
]);

const createIndexes: Handler = (ctx) => {
  const name = collectionName(ctx, 'createIndexes');
  const specs = ctx.cmd.indexes;
  if (!Array.isArray(specs) || specs.length === 0) throw badValue('Must specify at least one index to create');
  const existed = ctx.store.collection(ctx.db, name) !== undefined;
  const coll = ensure(ctx, name);
  const before = coll.indexes.size + 1;
  for (const raw of specs) {
    if (!isPlainObject(raw)) throw badValue('index specification must be an object');
    for (const k of Object.keys(raw)) {
      if (!INDEX_OPTIONS.has(k))
        throw new MongoServerError(
          197,
          `The field '${k}' is not valid for an index specification (not supported by the embedded MongoDB server)`,
        );
    }
    if (raw.collation !== undefined) throw notSupported('index collation');
    if (!isPlainObject(raw.key)) throw new MongoServerError(9, "The 'key' field is a required property of an index specification");
    // listIndexes shows v, key, name first, like mongod.
    const spec: Doc = { v: 2, key: raw.key, name: raw.name ?? defaultIndexName(raw.key), ...raw };
    delete spec.background;
    delete spec.ns;
    if (ctx.store.createIndex(coll, spec)) ctx.records.push({ t: 'createIndex', ns: coll.ns, spec });
  }
  return { numIndexesBefore: before, numIndexesAfter: coll.indexes.size + 1, createdCollectionAutomatically: !existed, ok: 1 };
};

const listIndexes: Handler = (ctx) => {
  const name = collectionName(ctx, 'listIndexes');
  const coll = ctx.store.collection(ctx.db, name);
  if (!coll) throw new MongoServerError(26, `ns does not exist: ${ctx.db}.${name}`);
  const out = [idIndexSpec(), ...[...coll.indexes.values()].map((i) => i.spec)];
  return { cursor: ctx.cursors.open(coll.ns, out, undefined), ok: 1 };
};

const dropIndexes: Handler = (ctx) => {
  const name = collectionName(ctx, 'dropIndexes');
  const coll = ctx.store.collection(ctx.db, name);
  if (!coll) throw new MongoServerError(26, `ns not found ${ctx.db}.${name}`);
  const nIndexesWas = coll.indexes.size + 1;
  const target = ctx.cmd.index;
  let names: string[];
  if (target === '*') names = [...coll.indexes.keys()];
  else if (typeof target === 'string') names = [target];
  else if (Array.isArray(target)) names = target.map(String);
  else if (isPlainObject(target)) {
    const found = [...coll.indexes.values()].find((i) => keyOf(i.spec.key) === keyOf(target));
    if (!found) throw new MongoServerError(27, `can't find index with key: ${JSON.stringify(target)}`);
    names = [found.name];
  } else throw badValue('dropIndexes needs an index name, key pattern or "*"');
  for (const n of names) {
    if (n === ID_INDEX_NAME) throw badValue('cannot drop _id index');
    if (!coll.indexes.has(n)) throw new MongoServerError(27, `index not found with name [${n}]`);
  }
  for (const n of names) {
    coll.indexes.delete(n);
    ctx.records.push({ t: 'dropIndex', ns: coll.ns, name: n });
  }
  return { nIndexesWas, ok: 1 };
};

const startSession: Handler = () => ({
  id: { id: new Binary(Buffer.from(randomUUID().replace(/-/g, ''), 'hex'), 4) },
  timeoutMinutes: 30,
  ok: 1,
});

const endSessions: Handler = (ctx) => {
  for (const lsid of Array.isArray(ctx.cmd.endSessions) ? ctx.cmd.endSessions : []) {
    if (isPlainObject(lsid)) ctx.sessions.end(lsid);
  }
  return { ok: 1 };
};

/** The parameters mongod lets tests shorten: the TTL monitor's period and the transaction lifetime. */
const setParameter: Handler = (ctx) => {
  const generic = new Set(['setParameter', 'lsid', 'comment', 'maxTimeMS', 'readConcern', 'writeConcern']);
  const names = Object.keys(ctx.cmd).filter((k) => !generic.has(k) && !k.startsWith('$'));
  const unknown = names.filter((k) => k !== 'ttlMonitorSleepSecs' && k !== 'transactionLifetimeLimitSeconds');
  if (unknown.length || names.length === 0) throw notSupported(`setParameter ${unknown.join(', ') || '(nothing)'}`);
  const reply: Doc = { ok: 1 };
  for (const k of names) {
    const secs = ctx.cmd[k];
    if (!isNumeric(secs) || toNumber(secs) < 1) throw badValue(`${k} must be a number of seconds >= 1`);
    if (k === 'ttlMonitorSleepSecs') reply.was = ctx.server.setTtlSweepMs(toNumber(secs) * 1000) / 1000;
    else {
      reply.was = ctx.sessions.transactionLifetimeMs / 1000;
      ctx.sessions.transactionLifetimeMs = toNumber(secs) * 1000;
    }
  }
  return reply;
};

const ok: Handler = () => ({ ok: 1 });

export const adminCommands: Record<string, Handler> = {
  hello: (ctx) => helloReply(ctx, false),
  ismaster: (ctx) => helloReply(ctx, true),
  isMaster: (ctx) => helloReply(ctx, true),
  ping: ok,
  buildInfo: () => ({
    version: '7.0.0',
    gitVersion: 'embedded',
    versionArray: [7, 0, 0, 0],
    bits: 64,
    maxBsonObjectSize: MAX_BSON,
    storageEngines: ['embedded'],
    ok: 1,
  }),
  buildinfo: () => ({ version: '7.0.0', versionArray: [7, 0, 0, 0], ok: 1 }),
  getParameter: (ctx) => (ctx.cmd.featureCompatibilityVersion ? { featureCompatibilityVersion: { version: '7.0' }, ok: 1 } : { ok: 1 }),
  setParameter,
  serverStatus: (ctx) => ({
    host: `127.0.0.1:${ctx.server.port}`,
    version: '7.0.0',
    process: 'embedded-mongo',
    uptime: (Date.now() - ctx.server.startedAt.getTime()) / 1000,
    localTime: new Date(),
    ok: 1,
  }),
  hostInfo: () => ({ system: { currentTime: new Date(), hostname: '127.0.0.1' }, ok: 1 }),
  whatsmyuri: (ctx) => ({ you: `127.0.0.1:${ctx.server.connectionId}`, ok: 1 }),
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  getCmdLineOpts: () => ({ argv: ['embedded-mongo'], parsed: {}, ok: 1 }),
  dbStats: (ctx) => {
    const colls = ctx.store.dbs.get(ctx.db);
    let objects = 0;
    for (const c of colls?.values() ?? []) objects += c.docs.size;
    return { db: ctx.db, collections: colls?.size ?? 0, objects, ok: 1 };
  },
  create,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
  startSession,
  endSessions,
  refreshSessions: ok,
  killSessions: ok,
  killAllSessions: ok,
};
