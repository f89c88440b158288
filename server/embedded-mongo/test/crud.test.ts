/** CRUD, upserts, arrayFilters, multi-updates, findAndModify, count and distinct — driver and mongoose. */
import { Long } from 'mongodb';
import { Schema, Types } from 'mongoose';
import { useClients } from './target';

const c = useClients('conf_crud');

describe('driver: insert, find, update, delete', () => {
  test('insertOne assigns an ObjectId _id and findOne returns the document', async () => {
    const coll = c.coll('basic');
    const res = await coll.insertOne({ name: 'a', n: 1 });
    expect(res.acknowledged).toBe(true);
    expect(res.insertedId).toBeInstanceOf(Types.ObjectId);
    const doc = await coll.findOne({ _id: res.insertedId });
    expect(doc).toEqual({ _id: res.insertedId, name: 'a', n: 1 });
  });

  test('insertMany, then find with filter, sort, skip, limit and projection', async () => {
    const coll = c.coll('many');
    await coll.insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: i, n: i % 3, tag: `t${i}`, nested: { v: i } })));
    const docs = await coll
      .find({ n: { $in: [0, 1] } }, { projection: { _id: 1, tag: 1 } })
      .sort({ _id: -1 })
      .skip(1)
      .limit(3)
      .toArray();
    expect(docs).toEqual([
      { _id: 7, tag: 't7' },
      { _id: 6, tag: 't6' },
      { _id: 4, tag: 't4' },
    ]);
    expect(await coll.find({ 'nested.v': { $gte: 8 } }).toArray()).toHaveLength(2);
    const excluded = await coll.findOne({ _id: 2 }, { projection: { nested: 0, tag: 0 } });
    expect(excluded).toEqual({ _id: 2, n: 2 });
  });

  test('updateOne with $set/$inc/$push/$unset changes only the matched document', async () => {
    const coll = c.coll('upd');
    await coll.insertMany([
      { _id: 1, a: 1, list: [1], gone: true },
      { _id: 2, a: 1, list: [] },
    ]);
    const res = await coll.updateOne({ a: 1 }, { $set: { b: 'x' }, $inc: { a: 2 }, $push: { list: 2 } as never, $unset: { gone: '' } });
    expect(res.matchedCount).toBe(1);
    expect(res.modifiedCount).toBe(1);
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, a: 3, list: [1, 2], b: 'x' });
    expect(await coll.findOne({ _id: 2 })).toEqual({ _id: 2, a: 1, list: [] });
  });

  test('pipeline-style updates: $set with expressions over the old document, $unset, upsert; other fields keep their types', async () => {
    const coll = c.coll('pipe');
    await coll.insertMany([
      { _id: 1, price: 10, qty: 3, big: Long.fromString('9007199254740993'), tmp: 'x' },
      { _id: 2, price: 5, qty: 2 },
    ]);
    const res = await coll.updateOne({ _id: 1 }, [
      { $set: { total: { $multiply: ['$price', '$qty'] }, label: 'sold', price: { $add: ['$price', 1] } } },
      { $unset: 'tmp' },
    ]);
    expect(res).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    // $set expressions all see the stage's input: total uses the old price.
    const one = await coll.findOne({ _id: 1 }, { promoteLongs: false });
    expect(one).toEqual({ _id: 1, price: 11, qty: 3, big: Long.fromString('9007199254740993'), total: 30, label: 'sold' });

    await coll.updateMany({}, [{ $set: { doubled: { $multiply: ['$qty', 2] } } }]);
    expect((await coll.find({}, { sort: { _id: 1 }, projection: { doubled: 1 } }).toArray()).map((d) => d.doubled)).toEqual([6, 4]);

    const up = await coll.updateOne({ _id: 3 }, [{ $set: { qty: 7, seen: { $literal: '$not-a-path' } } }], { upsert: true });
    expect(up.upsertedId).toBe(3);
    expect(await coll.findOne({ _id: 3 })).toEqual({ _id: 3, qty: 7, seen: '$not-a-path' });

    const after = await coll.findOneAndUpdate({ _id: 2 }, [{ $set: { qty: { $add: ['$qty', 10] } } }], { returnDocument: 'after' });
    expect(after).toMatchObject({ _id: 2, qty: 12 });
    await expect(coll.updateOne({ _id: 2 }, [{ $set: { _id: 99 } }])).rejects.toMatchObject({ code: 66 });
  });

  test('an update that changes nothing reports matched 1, modified 0', async () => {
    const coll = c.coll('noop');
    await coll.insertOne({ _id: 1, a: 1 });
    const res = await coll.updateOne({ _id: 1 }, { $set: { a: 1 } });
    expect(res.matchedCount).toBe(1);
    expect(res.modifiedCount).toBe(0);
  });

  test('updateMany (multi) updates every matching document', async () => {
    const coll = c.coll('multi');
    await coll.insertMany([{ k: 'x' }, { k: 'x' }, { k: 'y' }]);
    const res = await coll.updateMany({ k: 'x' }, { $set: { done: true } });
    expect(res.matchedCount).toBe(2);
    expect(res.modifiedCount).toBe(2);
    expect(await coll.countDocuments({ done: true })).toBe(2);
  });

  test('replaceOne keeps _id and replaces every other field', async () => {
    const coll = c.coll('repl');
    await coll.insertOne({ _id: 'r', a: 1, b: 2 });
    await coll.replaceOne({ _id: 'r' }, { c: 3 });
    expect(await coll.findOne({ _id: 'r' })).toEqual({ _id: 'r', c: 3 });
  });

  test('arrayFilters update only the array elements that match', async () => {
    const coll = c.coll('af');
    await coll.insertOne({
      _id: 1,
      grades: [
        { s: 80, ok: false },
        { s: 95, ok: false },
        { s: 99, ok: false },
      ],
    });
    await coll.updateOne({ _id: 1 }, { $set: { 'grades.$[g].ok': true } }, { arrayFilters: [{ 'g.s': { $gte: 90 } }] });
    const doc = await coll.findOne({ _id: 1 });
    expect(doc?.grades).toEqual([
      { s: 80, ok: false },
      { s: 95, ok: true },
      { s: 99, ok: true },
    ]);
  });

  test('positional $ updates the first matched array element', async () => {
    const coll = c.coll('pos');
    await coll.insertOne({
      _id: 1,
      items: [
        { sku: 'a', q: 1 },
        { sku: 'b', q: 1 },
      ],
    });
    await coll.updateOne({ _id: 1, 'items.sku': 'b' }, { $inc: { 'items.$.q': 5 } });
    expect((await coll.findOne({ _id: 1 }))?.items).toEqual([
      { sku: 'a', q: 1 },
      { sku: 'b', q: 6 },
    ]);
  });

  test('deleteOne removes one match, deleteMany removes all matches', async () => {
    const coll = c.coll('del');
    await coll.insertMany([{ k: 1 }, { k: 1 }, { k: 1 }, { k: 2 }]);
    expect((await coll.deleteOne({ k: 1 })).deletedCount).toBe(1);
    expect((await coll.deleteMany({ k: 1 })).deletedCount).toBe(2);
    expect(await coll.countDocuments({})).toBe(1);
  });
});

describe('driver: upsert', () => {
  test('upsert inserts from the filter equality fields plus $set and $setOnInsert, _id first', async () => {
    const coll = c.coll('ups');
    const res = await coll.updateOne(
      { email: 'u@x', 'profile.city': 'A' },
      { $set: { name: 'U' }, $setOnInsert: { createdAt: 'first' }, $inc: { visits: 1 } },
      { upsert: true },
    );
    expect(res.upsertedCount).toBe(1);
    expect(res.upsertedId).toBeInstanceOf(Types.ObjectId);
    const doc = await coll.findOne({ email: 'u@x' });
    expect(doc).toEqual({
      _id: res.upsertedId,
      email: 'u@x',
      profile: { city: 'A' },
      name: 'U',
      createdAt: 'first',
      visits: 1,
    });
    expect(Object.keys(doc!)[0]).toBe('_id');
  });

  test('upsert that matches an existing document ignores $setOnInsert', async () => {
    const coll = c.coll('ups2');
    await coll.insertOne({ _id: 1, email: 'v@x', createdAt: 'orig' });
    const res = await coll.updateOne({ email: 'v@x' }, { $set: { name: 'V' }, $setOnInsert: { createdAt: 'new' } }, { upsert: true });
    expect(res.matchedCount).toBe(1);
    expect(res.upsertedCount).toBe(0);
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, email: 'v@x', createdAt: 'orig', name: 'V' });
  });

  test('upsert with _id in the filter uses that _id; replacement upsert too', async () => {
    const coll = c.coll('ups3');
    const r1 = await coll.updateOne({ _id: 'given' }, { $set: { a: 1 } }, { upsert: true });
    expect(r1.upsertedId).toBe('given');
    const r2 = await coll.replaceOne({ _id: 'rep' }, { b: 2 }, { upsert: true });
    expect(r2.upsertedId).toBe('rep');
    expect(await coll.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 'given', a: 1 },
      { _id: 'rep', b: 2 },
    ]);
  });
});

describe('driver: findAndModify', () => {
  test('findOneAndUpdate returns the document before by default and after with returnDocument', async () => {
    const coll = c.coll('fam');
    await coll.insertOne({ _id: 1, n: 1 });
    const before = await coll.findOneAndUpdate({ _id: 1 }, { $inc: { n: 1 } });
    expect(before).toEqual({ _id: 1, n: 1 });
    const after = await coll.findOneAndUpdate({ _id: 1 }, { $inc: { n: 1 } }, { returnDocument: 'after' });
    expect(after).toEqual({ _id: 1, n: 3 });
  });

  test('findOneAndUpdate with upsert creates the document (new: after) and applies $setOnInsert', async () => {
    const coll = c.coll('fam2');
    const doc = await coll.findOneAndUpdate(
      { key: 'k' },
      { $inc: { n: 5 }, $setOnInsert: { first: true } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(doc).toMatchObject({ key: 'k', n: 5, first: true });
    const none = await coll.findOneAndUpdate({ key: 'missing' }, { $set: { a: 1 } });
    expect(none).toBeNull();
  });

  test('findOneAndUpdate with sort picks the first by that order', async () => {
    const coll = c.coll('fam3');
    await coll.insertMany([
      { _id: 1, q: 'x', p: 2 },
      { _id: 2, q: 'x', p: 1 },
    ]);
    const doc = await coll.findOneAndUpdate({ q: 'x' }, { $set: { taken: true } }, { sort: { p: 1 }, returnDocument: 'after' });
    expect(doc?._id).toBe(2);
  });

  test('findOneAndDelete (remove) returns and deletes; findOneAndReplace replaces', async () => {
    const coll = c.coll('fam4');
    await coll.insertMany([
      { _id: 1, a: 1 },
      { _id: 2, a: 2 },
    ]);
    expect(await coll.findOneAndDelete({ _id: 1 })).toEqual({ _id: 1, a: 1 });
    expect(await coll.findOne({ _id: 1 })).toBeNull();
    const replaced = await coll.findOneAndReplace({ _id: 2 }, { z: 9 }, { returnDocument: 'after' });
    expect(replaced).toEqual({ _id: 2, z: 9 });
  });

  test('findOneAndUpdate with includeResultMetadata reports upserted vs updated', async () => {
    const coll = c.coll('fam5');
    const first = await coll.findOneAndUpdate({ _id: 'm' }, { $set: { a: 1 } }, { upsert: true, includeResultMetadata: true });
    expect(first.ok).toBe(1);
    expect(first.value).toBeNull();
    expect(first.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false, upserted: 'm' });
    const second = await coll.findOneAndUpdate({ _id: 'm' }, { $set: { a: 2 } }, { includeResultMetadata: true });
    expect(second.lastErrorObject).toMatchObject({ n: 1, updatedExisting: true });
    expect(second.value).toEqual({ _id: 'm', a: 1 });
  });
});

describe('driver: count and distinct', () => {
  beforeAll(async () => {
    await c.coll('cnt').insertMany([{ k: 'a', tags: ['x', 'y'] }, { k: 'a', tags: ['y'] }, { k: 'b', tags: [] }, { k: 'c' }]);
  });

  test('countDocuments with and without filter, with skip and limit', async () => {
    const coll = c.coll('cnt');
    expect(await coll.countDocuments()).toBe(4);
    expect(await coll.countDocuments({ k: 'a' })).toBe(2);
    expect(await coll.countDocuments({}, { skip: 1, limit: 2 })).toBe(2);
  });

  test('estimatedDocumentCount and the count command', async () => {
    expect(await c.coll('cnt').estimatedDocumentCount()).toBe(4);
    const res = await c.db.command({ count: 'cnt', query: { k: 'a' } });
    expect(res.n).toBe(2);
    expect(res.ok).toBe(1);
    expect((await c.db.command({ count: 'nothing_here' })).n).toBe(0);
  });

  test('distinct returns unique values, flattening arrays, honouring the filter', async () => {
    const coll = c.coll('cnt');
    expect((await coll.distinct('k')).sort()).toEqual(['a', 'b', 'c']);
    expect((await coll.distinct('tags')).sort()).toEqual(['x', 'y']);
    expect(await coll.distinct('k', { tags: 'x' })).toEqual(['a']);
  });
});

describe('mongoose', () => {
  const userSchema = new Schema(
    {
      name: { type: String, required: true },
      email: { type: String, required: true, unique: true },
      points: { type: Number, default: 0 },
      tags: [String],
    },
    { timestamps: true },
  );
  const postSchema = new Schema({ title: String, author: { type: Schema.Types.ObjectId, ref: 'User' } });

  test('create, findById, lean, timestamps', async () => {
    const User = c.conn.model('User', userSchema);
    await User.init();
    const u = await User.create({ name: '张三', email: 'z@x' });
    const found = await User.findById(u._id);
    expect(found?.name).toBe('张三');
    expect(found?.createdAt).toBeInstanceOf(Date);
    const lean = await User.findOne({ email: 'z@x' }).lean();
    expect(lean?.points).toBe(0);
  });

  test('updateOne, findOneAndUpdate (new, upsert) and deleteOne', async () => {
    const User = c.conn.model('User', userSchema);
    await User.create({ name: 'L', email: 'l@x' });
    const res = await User.updateOne({ email: 'l@x' }, { $inc: { points: 5 } });
    expect(res.modifiedCount).toBe(1);
    const updated = await User.findOneAndUpdate({ email: 'l@x' }, { $push: { tags: 't' } }, { new: true });
    expect(updated?.points).toBe(5);
    expect(updated?.tags).toEqual(['t']);
    const upserted = await User.findOneAndUpdate({ email: 'new@x' }, { $set: { name: 'N' } }, { new: true, upsert: true });
    expect(upserted?.email).toBe('new@x');
    expect(upserted?.createdAt).toBeInstanceOf(Date);
    expect((await User.deleteOne({ email: 'new@x' })).deletedCount).toBe(1);
  });

  test('populate resolves references', async () => {
    const User = c.conn.model('User', userSchema);
    const Post = c.conn.model('Post', postSchema);
    const author = await User.create({ name: 'A', email: 'a@x' });
    await Post.create({ title: 'T', author: author._id });
    const post = await Post.findOne({ title: 'T' }).populate<{ author: { name: string } }>('author');
    expect(post?.author.name).toBe('A');
  });

  test('countDocuments, estimatedDocumentCount, distinct, exists', async () => {
    const Item = c.conn.model('Item', new Schema({ kind: String }));
    await Item.insertMany([{ kind: 'a' }, { kind: 'a' }, { kind: 'b' }]);
    expect(await Item.countDocuments({ kind: 'a' })).toBe(2);
    expect(await Item.estimatedDocumentCount()).toBe(3);
    expect((await Item.distinct('kind')).sort()).toEqual(['a', 'b']);
    expect(await Item.exists({ kind: 'b' })).toBeTruthy();
    expect(await Item.exists({ kind: 'zz' })).toBeNull();
  });
});
