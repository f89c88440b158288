/** Atomic guarded updates under concurrency: the guard filter and the update apply as one step. */
import { Schema } from 'mongoose';
import { useClients } from './target';

const c = useClients('conf_concurrency');

test('100 concurrent guarded $inc -1 on a stock of 30: exactly 30 succeed and stock ends at 0', async () => {
  const coll = c.coll('stock');
  await coll.insertOne({ _id: 'sku', stock: 30 });
  const results = await Promise.all(
    Array.from({ length: 100 }, () => coll.updateOne({ _id: 'sku', stock: { $gt: 0 } }, { $inc: { stock: -1 } })),
  );
  expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(30);
  expect((await coll.findOne({ _id: 'sku' }))?.stock).toBe(0);
});

test('100 concurrent guarded findOneAndUpdate debits never take a balance below zero', async () => {
  const coll = c.coll('wallets');
  await coll.insertOne({ _id: 'w', balance: 250 });
  const results = await Promise.all(
    Array.from({ length: 100 }, () =>
      coll.findOneAndUpdate({ _id: 'w', balance: { $gte: 7 } }, { $inc: { balance: -7 } }, { returnDocument: 'after' }),
    ),
  );
  const won = results.filter((r) => r !== null);
  expect(won).toHaveLength(35); // 35 × 7 = 245, leaving 5
  expect(new Set(won.map((r) => r!.balance)).size).toBe(35); // every winner saw a distinct balance
  expect((await coll.findOne({ _id: 'w' }))?.balance).toBe(5);
});

test('100 concurrent unguarded $inc +1 through mongoose all count', async () => {
  const Counter = c.conn.model('Counter', new Schema({ _id: String, n: Number }));
  await Counter.create({ _id: 'c', n: 0 });
  await Promise.all(Array.from({ length: 100 }, () => Counter.updateOne({ _id: 'c' }, { $inc: { n: 1 } })));
  expect((await Counter.findById('c').lean())?.n).toBe(100);
});

test('100 concurrent guarded $inc -1 through mongoose never go below zero', async () => {
  const Points = c.conn.model('Points', new Schema({ _id: String, points: Number }));
  await Points.create({ _id: 'p', points: 42 });
  const results = await Promise.all(
    Array.from({ length: 100 }, () => Points.updateOne({ _id: 'p', points: { $gte: 1 } }, { $inc: { points: -1 } })),
  );
  expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(42);
  expect((await Points.findById('p').lean())?.points).toBe(0);
});

test('concurrent upserts on the same unique key create exactly one document', async () => {
  const coll = c.coll('claims');
  await coll.createIndex({ key: 1 }, { unique: true });
  const settled = await Promise.allSettled(
    Array.from({ length: 50 }, (_, i) => coll.updateOne({ key: 'once' }, { $setOnInsert: { by: i } }, { upsert: true })),
  );
  const rejected = settled.filter((s) => s.status === 'rejected');
  // MongoDB may report a racing upsert as 11000 (and may retry it internally); it never inserts twice.
  for (const r of rejected) expect((r as PromiseRejectedResult).reason.code).toBe(11000);
  const upserted = settled.filter((s) => s.status === 'fulfilled' && s.value.upsertedCount === 1);
  expect(upserted).toHaveLength(1);
  expect(await coll.countDocuments({ key: 'once' })).toBe(1);
});
