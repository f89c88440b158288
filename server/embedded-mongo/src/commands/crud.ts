/** insert, update, delete, findAndModify, find, getMore, killCursors, count, distinct. */
import { Long, ObjectId } from 'bson';
import { badValue, MongoServerError, notSupported } from '../errors';
import { compileProjection, compileSort } from '../projection';
import { anyAtPath, compileFilter } from '../query';
import { applyReplacement, applyUpdate, idFirst, isReplacement, upsertSeed } from '../update';
import { cloneDeep, isPlainObject, keyOf, toNumber, type Doc } from '../values';
import type { CollectionView } from '../views';
import { asDoc, collectionName, optNumber, readView, writeView, type CommandContext, type Handler } from './context';

export interface QueryOptions {
  filter?: Doc;
  sort?: Doc;
  skip?: number;
  limit?: number;
}

/** Matching documents as [id, doc], sorted and windowed. */
export function runQuery(view: CollectionView, o: QueryOptions): [string, Doc][] {
  const pred = compileFilter(o.filter);
  const natural = o.sort?.$natural;
  if (natural !== undefined) {
    if (Object.keys(o.sort!).length > 1) throw notSupported('$natural combined with other sort keys');
    if (toNumber(natural) === -1) {
      const all = runQuery(view, { filter: o.filter }).reverse();
      const skip = o.skip ?? 0;
      return all.slice(skip, o.limit && o.limit > 0 ? skip + o.limit : undefined);
    }
  }
  const cmp = natural === undefined ? compileSort(o.sort) : undefined;
  const skip = o.skip ?? 0;
  const limit = o.limit && o.limit > 0 ? o.limit : Infinity;
  const out: [string, Doc][] = [];
  for (const entry of view.candidates(o.filter)) {
    if (!pred(entry[1])) continue;
    out.push(entry);
    // Without a sort the scan can stop as soon as the window is full.
    if (!cmp && out.length >= skip + limit) break;
  }
  if (cmp) out.sort((a, b) => cmp(a[1], b[1]));
  return skip || limit !== Infinity ? out.slice(skip, skip + limit) : out;
}

function writeErrorOf(e: unknown, index: number): Doc {
  if (!(e instanceof MongoServerError)) throw e;
  return { index, code: e.code, codeName: e.codeName, errmsg: e.message, ...e.extra };
}

/** A write error inside a transaction aborts it, as in MongoDB; conflicts fail the whole command. */
function onWriteError(ctx: CommandContext, e: unknown): void {
  if (e instanceof MongoServerError && e.code === 112) throw e;
  if (ctx.txn) {
    ctx.txn.abort();
    throw e;
  }
}

/**
 * Runs a write command's statements in turn and returns their write errors; an ordered batch (the default)
 * stops at its first error, an unordered one goes on.
 */
function eachStatement<T>(ctx: CommandContext, stmts: T[], run: (stmt: T, index: number) => void): Doc[] {
  const ordered = ctx.cmd.ordered !== false;
  const writeErrors: Doc[] = [];
  stmts.forEach((stmt, index) => {
    if (ordered && writeErrors.length) return;
    try {
      run(stmt, index);
    } catch (e) {
      onWriteError(ctx, e);
      writeErrors.push(writeErrorOf(e, index));
    }
  });
  return writeErrors;
}

function withId(doc: Doc): Doc {
  if (doc._id === undefined) return { _id: new ObjectId(), ...doc };
  return idFirst(doc);
}

function checkStorable(doc: Doc): void {
  if (Array.isArray(doc._id)) throw badValue(`can't use an array for _id`);
  if (isPlainObject(doc._id) && Object.keys(doc._id).some((k) => k.startsWith('$')))
    throw badValue('_id fields may not contain $-prefixed fields');
  for (const k of Object.keys(doc)) {
    if (k.startsWith('$')) throw badValue(`Document can't have $ prefixed field names: ${k}`);
  }
}

const insert: Handler = (ctx) => {
  const docs = ctx.cmd.documents;
  if (!Array.isArray(docs)) throw badValue('insert needs a documents array');
  const view = writeView(ctx, collectionName(ctx, 'insert'));
  let n = 0;
  const writeErrors = eachStatement(ctx, docs as unknown[], (raw) => {
    if (!isPlainObject(raw)) throw badValue('document to insert must be an object');
    const doc = withId(raw);
    checkStorable(doc);
    view.insert(doc);
    n++;
  });
  return writeErrors.length ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
};

interface UpdateResult {
  n: number;
  modified: number;
  upsertedId?: unknown;
  before?: Doc;
  after?: Doc;
}

/** One update statement: the shared core of `update` and `findAndModify`. */
function updateDocs(
  view: CollectionView,
  q: Doc | undefined,
  u: Doc,
  o: { multi: boolean; upsert: boolean; arrayFilters?: Doc[]; sort?: Doc },
): UpdateResult {
  const replacement = isReplacement(u);
  if (replacement && o.multi) throw badValue('multi update is not supported for replacement-style update');
  const query = compileFilter(q);
  const matched = runQuery(view, { filter: q, sort: o.sort, limit: o.multi ? undefined : 1 });
  const res: UpdateResult = { n: 0, modified: 0 };
  for (const [id, doc] of matched) {
    const next = replacement ? applyReplacement(doc, u) : applyUpdate(doc, u, { isInsert: false, arrayFilters: o.arrayFilters, query });
    if (replacement) checkStorable(next.doc);
    res.n++;
    res.before ??= doc;
    if (next.modified) {
      view.replace(id, next.doc);
      res.modified++;
    }
    res.after ??= next.doc;
  }
  if (res.n === 0 && o.upsert) {
    let doc: Doc;
    if (replacement) {
      const seed = upsertSeed(q);
      doc = cloneDeep(u);
      if (doc._id === undefined && seed._id !== undefined) doc._id = seed._id;
    } else doc = applyUpdate(upsertSeed(q), u, { isInsert: true, arrayFilters: o.arrayFilters, query }).doc;
    doc = withId(doc);
    checkStorable(doc);
    view.insert(doc);
    res.n = 1;
    res.upsertedId = doc._id;
    res.after = doc;
  }
  return res;
}

const update: Handler = (ctx) => {
  const stmts = ctx.cmd.updates;
  if (!Array.isArray(stmts)) throw badValue('update needs an updates array');
  if (ctx.cmd.let !== undefined || stmts.some((st: Doc) => isPlainObject(st) && st.c !== undefined))
    throw notSupported("update option 'let'");
  const view = writeView(ctx, collectionName(ctx, 'update'));
  let n = 0;
  let nModified = 0;
  const upserted: Doc[] = [];
  const writeErrors = eachStatement(ctx, stmts as Doc[], (s, index) => {
    if (!isPlainObject(s.u) && !Array.isArray(s.u)) throw badValue('update statement needs a u document');
    const r = updateDocs(view, asDoc(s.q, 'q'), s.u as Doc, {
      multi: Boolean(s.multi),
      upsert: Boolean(s.upsert),
      arrayFilters: s.arrayFilters as Doc[] | undefined,
      sort: asDoc(s.sort, 'sort'),
    });
    n += r.n;
    nModified += r.modified;
    if (r.upsertedId !== undefined) upserted.push({ index, _id: r.upsertedId });
  });
  const reply: Doc = { n, nModified };
  if (upserted.length) reply.upserted = upserted;
  if (writeErrors.length) reply.writeErrors = writeErrors;
  reply.ok = 1;
  return reply;
};

const del: Handler = (ctx) => {
  const stmts = ctx.cmd.deletes;
  if (!Array.isArray(stmts)) throw badValue('delete needs a deletes array');
  if (ctx.cmd.let !== undefined) throw notSupported("delete option 'let'");
  const view = readView(ctx, collectionName(ctx, 'delete'));
  let n = 0;
  const writeErrors = eachStatement(ctx, stmts as Doc[], (s) => {
    const limit = optNumber(s.limit) ?? 0;
    const matched = runQuery(view, { filter: asDoc(s.q, 'q'), limit: limit === 1 ? 1 : undefined });
    for (const [id] of matched) view.remove(id);
    n += matched.length;
  });
  return writeErrors.length ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
};

const findAndModify: Handler = (ctx) => {
  const name = collectionName(ctx, Object.keys(ctx.cmd)[0]!);
  const c = ctx.cmd;
  if (c.let !== undefined) throw notSupported("findAndModify option 'let'");
  const query = asDoc(c.query, 'query');
  const sort = asDoc(c.sort, 'sort');
  const project = compileProjection(asDoc(c.fields, 'fields'));
  const shape = (d: Doc | undefined): Doc | null => (d ? (project ? project(d) : d) : null);
  try {
    if (c.remove) {
      if (c.update !== undefined) throw badValue('Cannot specify both an update and remove=true');
      const view = readView(ctx, name);
      const [hit] = runQuery(view, { filter: query, sort, limit: 1 });
      if (hit) view.remove(hit[0]);
      return { lastErrorObject: { n: hit ? 1 : 0 }, value: shape(hit?.[1]), ok: 1 };
    }
    if (!isPlainObject(c.update) && !Array.isArray(c.update)) throw badValue('Either an update or remove=true must be specified');
    const view = writeView(ctx, name);
    const r = updateDocs(view, query, c.update as Doc, {
      multi: false,
      upsert: Boolean(c.upsert),
      arrayFilters: c.arrayFilters as Doc[] | undefined,
      sort,
    });
    const lastErrorObject: Doc = { n: r.n, updatedExisting: r.n > 0 && r.upsertedId === undefined };
    if (r.upsertedId !== undefined) lastErrorObject.upserted = r.upsertedId;
    const value = c.new ? r.after : r.upsertedId !== undefined ? undefined : r.before;
    return { lastErrorObject, value: shape(value), ok: 1 };
  } catch (e) {
    if (ctx.txn && !(e instanceof MongoServerError && e.code === 112)) ctx.txn.abort();
    throw e;
  }
};

/** find options that change results; refused rather than ignored. */
const UNSUPPORTED_FIND_OPTIONS = ['min', 'max', 'returnKey', 'showRecordId', 'let', 'oplogReplay'];

const find: Handler = (ctx) => {
  const name = collectionName(ctx, 'find');
  const c = ctx.cmd;
  for (const o of UNSUPPORTED_FIND_OPTIONS) if (c[o] !== undefined && c[o] !== false) throw notSupported(`find option '${o}'`);
  let limit = optNumber(c.limit);
  let singleBatch = Boolean(c.singleBatch);
  if (limit !== undefined && limit < 0) {
    limit = -limit;
    singleBatch = true;
  }
  const skip = optNumber(c.skip);
  if (skip !== undefined && skip < 0) throw new MongoServerError(51024, `Skip value must be non-negative, but received: ${skip}`);
  const hits = runQuery(readView(ctx, name), {
    filter: asDoc(c.filter, 'filter'),
    sort: asDoc(c.sort, 'sort'),
    skip,
    limit,
  });
  const project = compileProjection(asDoc(c.projection, 'projection'));
  const docs = hits.map(([, d]) => (project ? project(d) : d));
  let batchSize = optNumber(c.batchSize);
  if (limit && (batchSize === undefined || batchSize > limit)) batchSize = limit;
  return { cursor: ctx.cursors.open(`${ctx.db}.${name}`, docs, batchSize, singleBatch), ok: 1 };
};

const getMore: Handler = (ctx) => {
  const id = ctx.cmd.getMore;
  const big = id instanceof Long ? id.toBigInt() : BigInt(Number(id));
  return { cursor: ctx.cursors.more(big, `${ctx.db}.${collectionName(ctx, 'collection')}`, optNumber(ctx.cmd.batchSize)), ok: 1 };
};

const killCursors: Handler = (ctx) => {
  const ids = (Array.isArray(ctx.cmd.cursors) ? ctx.cmd.cursors : []).map((v: unknown) =>
    v instanceof Long ? v.toBigInt() : BigInt(Number(v)),
  );
  const { killed, notFound } = ctx.cursors.kill(ids);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

const count: Handler = (ctx) => {
  const query = asDoc(ctx.cmd.query, 'query');
  // estimatedDocumentCount: no filter, no window, outside a transaction → the collection size.
  if (!ctx.txn && (!query || Object.keys(query).length === 0) && ctx.cmd.skip === undefined && ctx.cmd.limit === undefined) {
    return { n: ctx.store.collection(ctx.db, collectionName(ctx, 'count'))?.docs.size ?? 0, ok: 1 };
  }
  const hits = runQuery(readView(ctx, collectionName(ctx, 'count')), {
    filter: asDoc(ctx.cmd.query, 'query'),
    skip: optNumber(ctx.cmd.skip),
    limit: optNumber(ctx.cmd.limit),
  });
  return { n: hits.length, ok: 1 };
};

const distinct: Handler = (ctx) => {
  const key = ctx.cmd.key;
  if (typeof key !== 'string') throw badValue('distinct needs a key string');
  const parts = key.split('.');
  const seen = new Map<string, unknown>();
  for (const [, doc] of runQuery(readView(ctx, collectionName(ctx, 'distinct')), { filter: asDoc(ctx.cmd.query, 'query') })) {
    anyAtPath(
      doc,
      parts,
      0,
      (v) => {
        if (v !== undefined && !Array.isArray(v)) {
          const k = keyOf(v);
          if (!seen.has(k)) seen.set(k, v);
        }
        return false;
      },
      true,
    );
  }
  return { values: [...seen.values()], ok: 1 };
};

export const crudCommands: Record<string, Handler> = {
  insert,
  update,
  delete: del,
  findAndModify,
  findandmodify: findAndModify,
  find,
  getMore,
  killCursors,
  count,
  distinct,
};
