/** Aggregation: $match/$group/$sort/$project/$unwind/$lookup and countDocuments — driver and mongoose. */
import { Decimal128, Long, MongoServerError } from 'mongodb';
import { Schema } from 'mongoose';
import { useClients } from './target';

const c = useClients('conf_aggregate', {}, async () => {
  await c.coll('orders').insertMany([
    { _id: 1, user: 'u1', amount: 10, items: ['a', 'b'] },
    { _id: 2, user: 'u1', amount: 5, items: ['a'] },
    { _id: 3, user: 'u2', amount: 7, items: [] },
    { _id: 4, user: 'u3', amount: 1, items: ['c'] },
  ]);
  await c.coll('users').insertMany([
    { _id: 'u1', name: 'One' },
    { _id: 'u2', name: 'Two' },
  ]);
});

describe('driver aggregate', () => {
  test('$match + $group with $sum/$avg/$max + $sort', async () => {
    const res = await c.db
      .collection('orders')
      .aggregate([
        { $match: { amount: { $gte: 5 } } },
        { $group: { _id: '$user', total: { $sum: '$amount' }, n: { $sum: 1 }, max: { $max: '$amount' } } },
        { $sort: { total: -1 } },
      ])
      .toArray();
    expect(res).toEqual([
      { _id: 'u1', total: 15, n: 2, max: 10 },
      { _id: 'u2', total: 7, n: 1, max: 7 },
    ]);
  });

  test('$unwind + $group counts array elements', async () => {
    const res = await c.db
      .collection('orders')
      .aggregate([{ $unwind: '$items' }, { $group: { _id: '$items', n: { $sum: 1 } } }, { $sort: { _id: 1 } }])
      .toArray();
    expect(res).toEqual([
      { _id: 'a', n: 2 },
      { _id: 'b', n: 1 },
      { _id: 'c', n: 1 },
    ]);
  });

  test('$lookup joins another collection; unmatched gets an empty array', async () => {
    const res = await c.db
      .collection('orders')
      .aggregate([
        { $sort: { _id: 1 } },
        { $lookup: { from: 'users', localField: 'user', foreignField: '_id', as: 'u' } },
        { $project: { _id: 1, names: '$u.name' } },
      ])
      .toArray();
    expect(res).toEqual([
      { _id: 1, names: ['One'] },
      { _id: 2, names: ['One'] },
      { _id: 3, names: ['Two'] },
      { _id: 4, names: [] },
    ]);
  });

  test('$skip/$limit/$count and $addFields', async () => {
    const counted = await c
      .coll('orders')
      .aggregate([{ $match: { amount: { $gt: 1 } } }, { $count: 'n' }])
      .toArray();
    expect(counted).toEqual([{ n: 3 }]);
    const page = await c.db
      .collection('orders')
      .aggregate([
        { $sort: { _id: 1 } },
        { $skip: 1 },
        { $limit: 2 },
        { $addFields: { double: { $multiply: ['$amount', 2] } } },
        { $project: { items: 0, user: 0 } },
      ])
      .toArray();
    expect(page).toEqual([
      { _id: 2, amount: 5, double: 10 },
      { _id: 3, amount: 7, double: 14 },
    ]);
  });

  test('countDocuments is an aggregate and honours the filter', async () => {
    expect(await c.coll('orders').countDocuments({ user: 'u1' })).toBe(2);
    expect(await c.coll('orders').countDocuments({ user: 'nobody' })).toBe(0);
  });

  test('Decimal128 and Int64 beyond 2^53 are never approximated: exact results, or a loud refusal', async () => {
    const coll = c.coll('exact');
    const big = Long.fromString('9007199254740993');
    await coll.insertMany([
      { _id: 1, kind: 'x', price: Decimal128.fromString('0.1'), big },
      { _id: 2, kind: 'x', price: Decimal128.fromString('0.2'), big },
    ]);
    // Grouping stages that read no such field work everywhere (mongoose's countDocuments is one).
    expect(await coll.countDocuments({ kind: 'x' })).toBe(2);
    expect(await coll.aggregate([{ $match: { kind: 'x' } }, { $group: { _id: '$kind', n: { $sum: 1 } } }]).toArray()).toEqual([
      { _id: 'x', n: 2 },
    ]);
    const run = async (pipeline: object[]) => {
      try {
        return await coll.aggregate(pipeline, { promoteLongs: false }).toArray();
      } catch (e) {
        return e as MongoServerError;
      }
    };
    const passThrough = await run([{ $match: { _id: 1 } }, { $project: { price: 1, big: 1 } }]);
    const sum = await run([{ $group: { _id: null, total: { $sum: '$price' } } }]);
    if (c.target.embedded) {
      expect(passThrough).toBeInstanceOf(MongoServerError);
      expect((passThrough as MongoServerError).message).toMatch(/Decimal128 or Int64.*'price'/);
      expect(sum).toBeInstanceOf(MongoServerError);
    } else {
      expect(passThrough).toEqual([{ _id: 1, price: Decimal128.fromString('0.1'), big }]);
      expect(sum).toEqual([{ _id: null, total: Decimal128.fromString('0.3') }]);
    }
  });

  test('let variables reach $expr in a leading $match and in later stages', async () => {
    const docs = await c
      .coll('orders')
      .aggregate(
        [
          { $match: { $expr: { $eq: ['$user', '$$who'] } } },
          { $project: { _id: 1, twice: { $multiply: ['$amount', '$$k'] } } },
          { $sort: { _id: 1 } },
        ],
        { let: { who: 'u1', k: 2 } },
      )
      .toArray();
    expect(docs).toEqual([
      { _id: 1, twice: 20 },
      { _id: 2, twice: 10 },
    ]);
  });

  test('aggregate on a missing collection returns nothing', async () => {
    expect(
      await c
        .coll('nope')
        .aggregate([{ $match: {} }])
        .toArray(),
    ).toEqual([]);
  });
});

describe('mongoose aggregate', () => {
  test('Model.aggregate with $lookup and $group', async () => {
    const Order = c.conn.model('Order', new Schema({ _id: Number, user: String, amount: Number, items: [String] }), 'orders');
    const res = await Order.aggregate<{ _id: string; total: number; name: string }>([
      { $group: { _id: '$user', total: { $sum: '$amount' } } },
      { $lookup: { from: 'users', localField: '_id', foreignField: '_id', as: 'u' } },
      { $unwind: '$u' },
      { $project: { total: 1, name: '$u.name' } },
      { $sort: { total: -1 } },
    ]);
    expect(res).toEqual([
      { _id: 'u1', total: 15, name: 'One' },
      { _id: 'u2', total: 7, name: 'Two' },
    ]);
    expect(await Order.countDocuments({ amount: { $lt: 8 } })).toBe(3);
  });
});
