/**
 * aggregate: leading $match stages run on the typed documents with our matcher (index-planned, exact
 * BSON comparison); the rest of the pipeline runs in mingo on a plain-number view of the documents.
 */
import { Aggregator } from 'mingo';
import { MongoServerError, notSupported } from '../errors';
import { idFirst } from '../update';
import { fieldRefs, isPlainObject, lossyPath, toPlain, type Doc } from '../values';
import { collectionName, optNumber, readView, type CommandContext, type Handler } from './context';
import { runQuery } from './crud';

/** Stages mingo implements with MongoDB semantics. */
const STAGES = new Set([
  '$addFields',
  '$bucket',
  '$bucketAuto',
  '$count',
  '$densify',
  '$documents',
  '$facet',
  '$fill',
  '$graphLookup',
  '$group',
  '$limit',
  '$lookup',
  '$match',
  '$project',
  '$redact',
  '$replaceRoot',
  '$replaceWith',
  '$sample',
  '$set',
  '$setWindowFields',
  '$skip',
  '$sort',
  '$sortByCount',
  '$unionWith',
  '$unset',
  '$unwind',
]);
const KNOWN_UNSUPPORTED = new Set([
  '$out',
  '$merge',
  '$geoNear',
  '$search',
  '$searchMeta',
  '$vectorSearch',
  '$collStats',
  '$indexStats',
  '$currentOp',
  '$listSessions',
  '$planCacheStats',
  '$changeStream',
  '$listLocalSessions',
]);

function validate(pipeline: unknown[]): Doc[] {
  return pipeline.map((s) => {
    if (typeof s !== 'object' || s === null || Array.isArray(s))
      throw new MongoServerError(14, 'Each element of the pipeline array must be an object');
    const keys = Object.keys(s);
    if (keys.length !== 1) throw new MongoServerError(40323, 'A pipeline stage specification object must contain exactly one field.');
    const name = keys[0]!;
    if (KNOWN_UNSUPPORTED.has(name)) throw notSupported(`aggregation stage ${name}`);
    if (!STAGES.has(name)) throw new MongoServerError(40324, `Unrecognized pipeline stage name: '${name}'`);
    const stage = s as Doc;
    for (const sub of ['$facet'] as const) {
      if (name === sub) for (const p of Object.values(stage[sub] as Doc)) validate(p as unknown[]);
    }
    if (name === '$lookup' && Array.isArray((stage.$lookup as Doc).pipeline)) validate((stage.$lookup as Doc).pipeline as unknown[]);
    // mingo answers these malformed stages with an empty or unchanged result instead of an error.
    if (name === '$unwind') {
      const path = isPlainObject(stage.$unwind) ? stage.$unwind.path : stage.$unwind;
      if (typeof path !== 'string' || !path.startsWith('$'))
        throw new MongoServerError(28818, "path option to $unwind stage should be prefixed with a '$'");
    }
    if (name === '$project' && (!isPlainObject(stage.$project) || Object.keys(stage.$project).length === 0))
      throw new MongoServerError(51272, 'Invalid $project :: caused by :: projection specification must have at least one field');
    return stage;
  });
}

/** mingo reports unknown operators as plain errors; MongoDB answers InvalidPipelineOperator (168). */
function mingoError(e: unknown): MongoServerError {
  const msg = (e as Error).message ?? String(e);
  const op = /'(\$\w+)' is not registered/.exec(msg)?.[1];
  if (op) return new MongoServerError(168, `Unrecognized expression '${op}'`);
  if (/operator|unknown|not supported|unsupported/i.test(msg))
    return new MongoServerError(168, `Unsupported or invalid expression: ${msg}`);
  return new MongoServerError(2, msg);
}

/**
 * Top-level fields a grouping stage can read, or undefined when it may read the whole document. Documents
 * handed to mingo for such a stage carry only these fields, so e.g. countDocuments on a collection holding
 * Decimal128 values works (the count reads no field).
 */
function fieldsReadBy(stage: Doc): Set<string> | undefined {
  const name = Object.keys(stage)[0]!;
  if (name === '$count') return new Set();
  if (name !== '$group' && name !== '$sortByCount') return undefined;
  return fieldRefs(stage[name]);
}

/** The plain-number view mingo works on; refuses values it would silently approximate. */
function plainForMingo(doc: Doc, fields?: Set<string>): Doc {
  let src = doc;
  if (fields) {
    src = {};
    for (const f of fields) if (doc[f] !== undefined) src[f] = doc[f];
  }
  const lossy = lossyPath(src, '');
  if (lossy) {
    throw notSupported(
      `aggregation stages after the leading $match over Decimal128 or Int64 values beyond 2^53 (field '${lossy}'), which mingo would approximate`,
    );
  }
  return toPlain(src) as Doc;
}

export function runPipeline(ctx: CommandContext, source: string | undefined, rawPipeline: unknown[]): Doc[] {
  const pipeline = validate(rawPipeline);
  let i = 0;
  let docs: Doc[] = [];
  if (source !== undefined) {
    const filters: Doc[] = [];
    // With `let` variables the $match stages stay in mingo, which knows the variables.
    const hasLet = isPlainObject(ctx.cmd.let);
    while (!hasLet && i < pipeline.length && pipeline[i]!.$match !== undefined) filters.push(pipeline[i++]!.$match as Doc);
    const filter = filters.length === 0 ? undefined : filters.length === 1 ? filters[0] : { $and: filters };
    docs = runQuery(readView(ctx, source), { filter }).map(([, d]) => d);
  }
  const rest = pipeline.slice(i);
  if (rest.length === 0) return docs;
  try {
    const agg = new Aggregator(toPlain(rest) as Doc[], {
      ...(isPlainObject(ctx.cmd.let) ? { variables: toPlain(ctx.cmd.let) as Doc } : {}),
      collectionResolver: (name: string) => runQuery(readView(ctx, name), {}).map(([, d]) => plainForMingo(d)),
    });
    const fields = fieldsReadBy(rest[0]!);
    // mingo appends _id after projected fields; MongoDB keeps it first.
    return (agg.run(docs.map((d) => plainForMingo(d, fields))) as Doc[]).map(idFirst);
  } catch (e) {
    if (e instanceof MongoServerError) throw e;
    throw mingoError(e);
  }
}

const aggregate: Handler = (ctx) => {
  const c = ctx.cmd;
  if (!Array.isArray(c.pipeline)) throw new MongoServerError(14, "'pipeline' option must be specified as an array");
  if (c.explain) throw notSupported('explain');
  const source = typeof c.aggregate === 'string' ? c.aggregate : undefined;
  if (source === undefined && (c.pipeline[0] as Doc | undefined)?.$documents === undefined) {
    throw notSupported('collection-less aggregate other than $documents');
  }
  const docs = runPipeline(ctx, source, c.pipeline);
  const cursorOpt = (c.cursor ?? {}) as Doc;
  const name = source ?? '$cmd.aggregate';
  if (source !== undefined) collectionName(ctx, 'aggregate');
  return { cursor: ctx.cursors.open(`${ctx.db}.${name}`, docs, optNumber(cursorOpt.batchSize)), ok: 1 };
};

export const aggregateCommands: Record<string, Handler> = { aggregate };
