/** Unique (single, compound), sparse, partial and TTL indexes; duplicate keys on every write path. */
import { MongoBulkWriteError, type MongoServerError, type Collection } from 'mongodb';
import { Schema } from 'mongoose';
import { TTL_SWEEP_MS, type AnyDoc, failure, useClients } from './target';

const DB = 'conf_indexes';
const c = useClients(DB);

function expectDupKey(err: MongoServerError, coll: string, index: string, keyPattern: object, keyValue: object) {
  // By name: mongoose bundles its own copy of the driver, so instanceof would compare different classes.
  expect(err.name).toBe('MongoServerError');
  expect(err.code).toBe(11000);
  expect(err.message).toMatch(new RegExp(`^E11000 duplicate key error collection: ${DB}\\.${coll} index: ${index} dup key: \\{ `));
  expect(err.keyPattern).toEqual(keyPattern);
  expect(err.keyValue).toEqual(keyValue);
}

describe('unique indexes', () => {
  let users: Collection<AnyDoc>;
  beforeAll(async () => {
    users = c.coll('users');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertMany([
      { _id: 1, email: 'a@x', n: 0 },
      { _id: 2, email: 'b@x', n: 0 },
    ]);
  });

  test('insertOne of a duplicate fails with 11000, E11000 message, keyPattern and keyValue', async () => {
    const err = await failure(() => users.insertOne({ email: 'a@x' }));
    expectDupKey(err, 'users', 'email_1', { email: 1 }, { email: 'a@x' });
    expect(err.message).toContain('dup key: { email: "a@x" }');
    expect(await users.countDocuments({ email: 'a@x' })).toBe(1);
  });

  test('a duplicate _id fails on the _id_ index', async () => {
    const err = await failure(() => users.insertOne({ _id: 1, email: 'other@x' }));
    expectDupKey(err, 'users', '_id_', { _id: 1 }, { _id: 1 });
  });

  test('insertMany stops at the duplicate (ordered) and reports it in writeErrors', async () => {
    const err = (await failure(() =>
      users.insertMany([{ email: 'c@x' }, { email: 'a@x' }, { email: 'd@x' }]),
    )) as unknown as MongoBulkWriteError;
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    expect(err.code).toBe(11000);
    expect(err.insertedCount).toBe(1);
    const writeErrors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
    expect(writeErrors[0]!.index).toBe(1);
    expect(writeErrors[0]!.errmsg).toMatch(/^E11000 duplicate key error/);
    expect(await users.countDocuments({ email: { $in: ['c@x', 'd@x'] } })).toBe(1);
  });

  test('unordered insertMany inserts everything but the duplicates', async () => {
    const err = (await failure(() =>
      users.insertMany([{ email: 'e@x' }, { email: 'b@x' }, { email: 'f@x' }], { ordered: false }),
    )) as unknown as MongoBulkWriteError;
    expect(err.code).toBe(11000);
    expect(err.insertedCount).toBe(2);
  });

  test('updateOne that would duplicate a key fails with 11000 and leaves the document unchanged', async () => {
    const err = await failure(() => users.updateOne({ _id: 2 }, { $set: { email: 'a@x' } }));
    expectDupKey(err, 'users', 'email_1', { email: 1 }, { email: 'a@x' });
    expect((await users.findOne({ _id: 2 }))?.email).toBe('b@x');
  });

  test('updateMany stops at the duplicate with 11000', async () => {
    await users.insertMany([
      { _id: 10, email: 'm1@x', grp: 'm' },
      { _id: 11, email: 'm2@x', grp: 'm' },
    ]);
    const err = await failure(() => users.updateMany({ grp: 'm' }, { $set: { email: 'same@x' } }));
    expect(err.code).toBe(11000);
    expect(await users.countDocuments({ email: 'same@x' })).toBe(1);
  });

  test('an upsert that inserts a duplicate fails with 11000', async () => {
    const err = await failure(() => users.updateOne({ _id: 99 }, { $set: { email: 'a@x' } }, { upsert: true }));
    expectDupKey(err, 'users', 'email_1', { email: 1 }, { email: 'a@x' });
    expect(await users.findOne({ _id: 99 })).toBeNull();
  });

  test('replaceOne into a duplicate fails with 11000', async () => {
    const err = await failure(() => users.replaceOne({ _id: 2 }, { email: 'a@x' }));
    expectDupKey(err, 'users', 'email_1', { email: 1 }, { email: 'a@x' });
  });

  test('findOneAndUpdate (findAndModify) into a duplicate fails with 11000 DuplicateKey', async () => {
    const err = await failure(() => users.findOneAndUpdate({ _id: 2 }, { $set: { email: 'a@x' } }));
    expectDupKey(err, 'users', 'email_1', { email: 1 }, { email: 'a@x' });
    expect(err.codeName).toBe('DuplicateKey');
  });

  test('findOneAndUpdate with upsert inserting a duplicate fails with 11000', async () => {
    const err = await failure(() =>
      users.findOneAndUpdate({ _id: 98 }, { $set: { email: 'b@x' } }, { upsert: true, returnDocument: 'after' }),
    );
    expectDupKey(err, 'users', 'email_1', { email: 1 }, { email: 'b@x' });
  });

  test('a deleted key can be reused', async () => {
    await users.insertOne({ _id: 50, email: 'reuse@x' });
    await users.deleteOne({ _id: 50 });
    await expect(users.insertOne({ _id: 51, email: 'reuse@x' })).resolves.toBeTruthy();
  });

  test('creating a unique index over existing duplicates fails with 11000 and no index is left', async () => {
    const coll = c.coll('pre_dups');
    await coll.insertMany([{ k: 1 }, { k: 1 }]);
    const err = await failure(() => coll.createIndex({ k: 1 }, { unique: true }));
    expect(err.code).toBe(11000);
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
  });

  test('missing fields count as null for a unique index: only one document may lack the key', async () => {
    const coll = c.coll('nulls');
    await coll.createIndex({ k: 1 }, { unique: true });
    await coll.insertOne({ a: 1 });
    const err = await failure(() => coll.insertOne({ a: 2 }));
    expectDupKey(err, 'nulls', 'k_1', { k: 1 }, { k: null });
  });
});

describe('compound, sparse and partial unique indexes', () => {
  test('compound unique rejects only the same combination', async () => {
    const coll = c.coll('compound');
    await coll.createIndex({ a: 1, b: -1 }, { unique: true });
    await coll.insertMany([
      { a: 1, b: 1 },
      { a: 1, b: 2 },
      { a: 2, b: 1 },
    ]);
    const err = await failure(() => coll.insertOne({ a: 1, b: 2 }));
    expectDupKey(err, 'compound', 'a_1_b_-1', { a: 1, b: -1 }, { a: 1, b: 2 });
  });

  test('sparse unique allows many documents without the field but no duplicate values', async () => {
    const coll = c.coll('sparse');
    await coll.createIndex({ phone: 1 }, { unique: true, sparse: true });
    await coll.insertMany([{ n: 1 }, { n: 2 }, { phone: '1' }]);
    const err = await failure(() => coll.insertOne({ phone: '1' }));
    expectDupKey(err, 'sparse', 'phone_1', { phone: 1 }, { phone: '1' });
  });

  test('partial unique applies only to documents matching the filter', async () => {
    const coll = c.coll('partial');
    await coll.createIndex({ slot: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await coll.insertMany([
      { slot: 'A', active: false },
      { slot: 'A', active: false },
      { slot: 'A', active: true },
    ]);
    const err = await failure(() => coll.insertOne({ slot: 'A', active: true }));
    expectDupKey(err, 'partial', 'slot_1', { slot: 1 }, { slot: 'A' });
    // An update moving a document into the filter is checked too.
    const err2 = await failure(() => coll.updateOne({ active: false }, { $set: { active: true } }));
    expect(err2.code).toBe(11000);
  });

  test('ordinary (non-unique) indexes allow duplicates and serve equality lookups', async () => {
    const coll = c.coll('plain');
    await coll.createIndex({ city: 1 });
    await coll.insertMany([{ city: 'x' }, { city: 'x' }, { city: 'y' }]);
    expect(await coll.countDocuments({ city: 'x' })).toBe(2);
    await coll.updateOne({ city: 'y' }, { $set: { city: 'x' } });
    expect(await coll.find({ city: 'x' }).toArray()).toHaveLength(3);
    expect(await coll.find({ city: 'y' }).toArray()).toHaveLength(0);
  });
});

describe('TTL indexes', () => {
  test('the sweeper deletes documents whose date is past expireAfterSeconds, and only those', async () => {
    if (!c.target.embedded) {
      // mongod sweeps every 60 s by default; make it sweep every second for this test.
      await c.client.db('admin').command({ setParameter: 1, ttlMonitorSleepSecs: 1 });
    }
    const coll = c.coll('ttl');
    await coll.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    const now = Date.now();
    await coll.insertMany([
      { _id: 'old', expiresAt: new Date(now - 60_000) },
      { _id: 'oldInArray', expiresAt: [new Date(now + 3_600_000), new Date(now - 60_000)] },
      { _id: 'future', expiresAt: new Date(now + 3_600_000) },
      { _id: 'notADate', expiresAt: 'yesterday' },
      { _id: 'noField' },
    ]);
    const deadline = Date.now() + (c.target.embedded ? 20 * TTL_SWEEP_MS : 70_000);
    while ((await coll.countDocuments()) > 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, TTL_SWEEP_MS / 2));
    }
    const left = (await coll.find({}, { sort: { _id: 1 } }).toArray()).map((d) => d._id);
    expect(left).toEqual(['future', 'noField', 'notADate']);
  }, 90_000);
});

describe('mongoose surfaces duplicate keys unchanged', () => {
  const schema = new Schema({ handle: { type: String, unique: true }, n: Number });

  test('create, insertMany, updateOne and findOneAndUpdate all give code 11000 with keyPattern/keyValue', async () => {
    const Account = c.conn.model('Account', schema);
    await Account.init();
    await Account.create({ handle: 'h1', n: 1 });
    const other = await Account.create({ handle: 'h2', n: 2 });

    const onCreate = await failure(() => Account.create({ handle: 'h1' }));
    expectDupKey(onCreate, 'accounts', 'handle_1', { handle: 1 }, { handle: 'h1' });

    const onInsertMany = await failure(() => Account.insertMany([{ handle: 'h1' }]));
    expect(onInsertMany.code).toBe(11000);

    const onUpdate = await failure(() => Account.updateOne({ _id: other._id }, { $set: { handle: 'h1' } }));
    expectDupKey(onUpdate, 'accounts', 'handle_1', { handle: 1 }, { handle: 'h1' });

    const onUpsert = await failure(() => Account.updateOne({ n: 77 }, { $set: { handle: 'h1' } }, { upsert: true }));
    expectDupKey(onUpsert, 'accounts', 'handle_1', { handle: 1 }, { handle: 'h1' });

    const onFam = await failure(() => Account.findOneAndUpdate({ _id: other._id }, { handle: 'h1' }, { new: true }));
    expectDupKey(onFam, 'accounts', 'handle_1', { handle: 1 }, { handle: 'h1' });

    const doc = await Account.findById(other._id);
    doc!.handle = 'h1';
    const onSave = await failure(() => doc!.save());
    expectDupKey(onSave, 'accounts', 'handle_1', { handle: 1 }, { handle: 'h1' });
  });
});
