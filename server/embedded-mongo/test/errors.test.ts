/** Unknown or unsupported commands, operators and stages fail with MongoDB's codes, never a wrong answer. */
import { MongoServerError } from 'mongodb';
import { Schema } from 'mongoose';
import { failure, useClients } from './target';

const c = useClients('conf_errors', {}, async () => {
  await c.coll('docs').insertMany([
    { _id: 1, text: 'hello world', loc: [0, 0] },
    { _id: 2, text: 'other', loc: [1, 1] },
  ]);
});

test('an unknown command fails with CommandNotFound (59) naming the command', async () => {
  const err = await failure(() => c.db.command({ frobnicate: 1 }));
  expect(err).toBeInstanceOf(MongoServerError);
  expect(err.code).toBe(59);
  expect(err.codeName).toBe('CommandNotFound');
  expect(err.message).toContain('frobnicate');
});

test('a MongoDB command the embedded server lacks fails with CommandNotSupported (115) naming it', async () => {
  await c.coll('to_rename').insertOne({ _id: 1 });
  const outcome = await c
    .coll('to_rename')
    .rename('renamed')
    .then(
      () => undefined,
      (e: MongoServerError) => e,
    );
  if (c.target.embedded) {
    expect(outcome).toBeInstanceOf(MongoServerError);
    expect(outcome!.code).toBe(115);
    expect(outcome!.codeName).toBe('CommandNotSupported');
    expect(outcome!.message).toContain('renameCollection');
    expect(await c.coll('to_rename').countDocuments()).toBe(1);
  } else {
    expect(outcome).toBeUndefined();
  }
});

test.each([
  ['an unknown query operator fails with BadValue (2) naming it', () => c.coll('docs').find({ text: { $frob: 1 } }), 2],
  ['an unknown top-level query operator fails with BadValue (2)', () => c.coll('docs').find({ $frob: [{ a: 1 }] }), 2],
  ['an unknown pipeline stage fails with 40324 naming it', () => c.coll('docs').aggregate([{ $frob: {} }]), 40324],
  [
    'an unknown expression operator fails with InvalidPipelineOperator (168)',
    () => c.coll('docs').aggregate([{ $project: { x: { $frob: 1 } } }]),
    168,
  ],
] as [string, () => { toArray(): Promise<unknown> }, number][])('%s', async (_name, cursor, code) => {
  const err = await failure(() => cursor().toArray());
  expect(err.code).toBe(code);
  expect(err.message).toContain('$frob');
});

test('an unknown update operator fails with FailedToParse (9) and changes nothing', async () => {
  const err = await failure(() => c.coll('docs').updateOne({ _id: 1 }, { $frob: { text: 'x' } } as never));
  expect(err.code).toBe(9);
  expect(err.message).toContain('$frob');
  expect((await c.coll('docs').findOne({ _id: 1 }))?.text).toBe('hello world');
});

test('$expr naming an undefined variable fails with 17276, not an internal error', async () => {
  const err = await failure(() =>
    c
      .coll('docs')
      .find({ $expr: { $eq: ['$_id', '$$nope'] } })
      .toArray(),
  );
  expect(err).toBeInstanceOf(MongoServerError);
  expect(err.code).toBe(17276);
  expect(err.message).toContain('nope');
});

test.each([
  ['$text without a text index is an error, not an empty result', () => c.coll('docs').find({ $text: { $search: 'hello' } })],
  ['$near without a geo index is an error, not an unfiltered result', () => c.coll('docs').find({ loc: { $near: [0, 0] } })],
] as [string, () => { toArray(): Promise<unknown> }][])('%s', async (_name, cursor) => {
  const err = await failure(() => cursor().toArray());
  expect(err).toBeInstanceOf(MongoServerError);
  expect(typeof err.code).toBe('number');
});

test('a write to a document with an invalid update ($set and $inc on one path) fails with 40', async () => {
  const err = await failure(() => c.coll('docs').updateOne({ _id: 1 }, { $set: { n: 1 }, $inc: { n: 1 } }));
  expect(err.code).toBe(40);
  expect(err.codeName).toBe('ConflictingUpdateOperators');
});

test('changing _id in an update fails with ImmutableField (66)', async () => {
  const err = await failure(() => c.coll('docs').updateOne({ _id: 1 }, { $set: { _id: 5 } }));
  expect(err.code).toBe(66);
});

test('$inc on a non-number fails with TypeMismatch (14)', async () => {
  const err = await failure(() => c.coll('docs').updateOne({ _id: 1 }, { $inc: { text: 1 } as never }));
  expect(err.code).toBe(14);
});

test('mongoose surfaces a server error with its code', async () => {
  const Doc = c.conn.model('Doc', new Schema({ _id: Number, text: String }), 'docs');
  const err = await failure(() => Doc.aggregate([{ $frob: {} } as never]).exec());
  expect(err.code).toBe(40324);
});

test('malformed queries and stages fail with MongoDB codes instead of an internal error or an empty answer', async () => {
  const docs = c.coll('docs');
  const cases: [string, () => Promise<unknown>, number][] = [
    ['invalid regex', () => docs.find({ text: { $regex: '(' } }).toArray(), 51091],
    ['negative skip', () => c.db.command({ find: 'docs', skip: -1 }), 51024],
    ['negative $size', () => docs.find({ loc: { $size: -1 } }).toArray(), 2],
    ['unknown $type alias', () => docs.find({ text: { $type: 'nope' } }).toArray(), 2],
    ['non-document filter', () => c.db.command({ find: 'docs', filter: 5 }), 14],
    ['$unwind path without $', () => docs.aggregate([{ $unwind: 'loc' }]).toArray(), 28818],
    ['empty $project', () => docs.aggregate([{ $project: {} }]).toArray(), 51272],
  ];
  for (const [what, run, code] of cases) {
    const err = await failure(run);
    expect({ what, code: err.code }).toEqual({ what, code });
  }
});
