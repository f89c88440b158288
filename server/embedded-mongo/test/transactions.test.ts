/** Multi-document transactions: commit, abort, snapshot isolation, write conflicts and retry. */
import { MongoServerError } from 'mongodb';
import { Schema } from 'mongoose';
import { useClients } from './target';

const c = useClients('conf_txn', {}, async () => {
  // Transactions cannot create collections implicitly on older servers; create them up front.
  await c.db.createCollection('accounts');
  await c.db.createCollection('ledger');
});

test('a committed transaction makes all its writes visible together', async () => {
  const accounts = c.coll('accounts');
  const ledger = c.coll('ledger');
  await accounts.insertOne({ _id: 'commit', balance: 100 });
  await c.withSession(async (s) => {
    await s.withTransaction(async () => {
      await accounts.updateOne({ _id: 'commit' }, { $inc: { balance: -30 } }, { session: s });
      await ledger.insertOne({ account: 'commit', delta: -30 }, { session: s });
    });
  });
  expect((await accounts.findOne({ _id: 'commit' }))?.balance).toBe(70);
  expect(await ledger.countDocuments({ account: 'commit' })).toBe(1);
});

test('uncommitted writes are visible inside the transaction only, and an abort discards them', async () => {
  const accounts = c.coll('accounts');
  const ledger = c.coll('ledger');
  await accounts.insertOne({ _id: 'abort', balance: 100 });
  await c.withSession(async (s) => {
    s.startTransaction();
    await accounts.updateOne({ _id: 'abort' }, { $inc: { balance: -50 } }, { session: s });
    await ledger.insertOne({ account: 'abort', delta: -50 }, { session: s });
    expect((await accounts.findOne({ _id: 'abort' }, { session: s }))?.balance).toBe(50);
    expect(await ledger.countDocuments({ account: 'abort' }, { session: s })).toBe(1);
    expect((await accounts.findOne({ _id: 'abort' }))?.balance).toBe(100);
    expect(await ledger.countDocuments({ account: 'abort' })).toBe(0);
    await s.abortTransaction();
  });
  expect((await accounts.findOne({ _id: 'abort' }))?.balance).toBe(100);
  expect(await ledger.countDocuments({ account: 'abort' })).toBe(0);
});

test('ending a session with an open transaction rolls it back', async () => {
  const ledger = c.coll('ledger');
  const s = c.client.startSession();
  s.startTransaction();
  await ledger.insertOne({ account: 'ended' }, { session: s });
  await s.endSession();
  expect(await ledger.countDocuments({ account: 'ended' })).toBe(0);
});

test('a transaction reads from its snapshot, not writes committed after it started', async () => {
  const accounts = c.coll('accounts');
  await accounts.insertOne({ _id: 'snap', balance: 1 });
  await c.withSession(async (s) => {
    s.startTransaction();
    expect((await accounts.findOne({ _id: 'snap' }, { session: s }))?.balance).toBe(1);
    await accounts.updateOne({ _id: 'snap' }, { $set: { balance: 2 } }); // outside the transaction
    await c.coll('ledger').insertOne({ account: 'snap' }); // another collection, also outside
    expect((await accounts.findOne({ _id: 'snap' }, { session: s }))?.balance).toBe(1);
    expect(await c.coll('ledger').countDocuments({ account: 'snap' }, { session: s })).toBe(0);
    await s.commitTransaction(); // read-only: nothing to conflict with
  });
  expect((await accounts.findOne({ _id: 'snap' }))?.balance).toBe(2);
});

test('two transactions writing the same document: one gets WriteConflict (112) labelled TransientTransactionError', async () => {
  const accounts = c.coll('accounts');
  await accounts.insertOne({ _id: 'wc', balance: 0 });
  const s1 = c.client.startSession();
  const s2 = c.client.startSession();
  try {
    s1.startTransaction();
    s2.startTransaction();
    await accounts.updateOne({ _id: 'wc' }, { $inc: { balance: 1 } }, { session: s1 });
    let err: MongoServerError | undefined;
    // MongoDB reports the conflict at the second write; an optimistic server may report it at commit.
    try {
      await accounts.updateOne({ _id: 'wc' }, { $inc: { balance: 10 } }, { session: s2 });
      await s1.commitTransaction();
      await s2.commitTransaction();
    } catch (e) {
      err = e as MongoServerError;
    }
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err!.code).toBe(112);
    expect(err!.codeName).toBe('WriteConflict');
    expect(err!.hasErrorLabel('TransientTransactionError')).toBe(true);
    if (s1.inTransaction()) await s1.commitTransaction();
    if (s2.inTransaction()) await s2.abortTransaction();
  } finally {
    await s1.endSession();
    await s2.endSession();
  }
  expect((await accounts.findOne({ _id: 'wc' }))?.balance).toBe(1);
});

test('driver withTransaction retries a write conflict to success', async () => {
  const accounts = c.coll('accounts');
  await accounts.insertOne({ _id: 'retry', balance: 0 });
  let attempts = 0;
  await c.withSession(async (s) => {
    await s.withTransaction(async () => {
      attempts++;
      await accounts.findOne({ _id: 'retry' }, { session: s });
      if (attempts === 1) {
        await c.withSession((other) =>
          other.withTransaction(() => accounts.updateOne({ _id: 'retry' }, { $inc: { balance: 100 } }, { session: other })),
        );
      }
      await accounts.updateOne({ _id: 'retry' }, { $inc: { balance: 1 } }, { session: s });
    });
  });
  expect(attempts).toBe(2);
  expect((await accounts.findOne({ _id: 'retry' }))?.balance).toBe(101);
});

test('a transaction open past transactionLifetimeLimitSeconds is aborted: later commands and the commit fail with 251', async () => {
  const admin = c.client.db('admin');
  const ledger = c.coll('ledger');
  await admin.command({ setParameter: 1, transactionLifetimeLimitSeconds: 1 });
  const s = c.client.startSession();
  try {
    s.startTransaction();
    await ledger.insertOne({ account: 'expired' }, { session: s });
    // Poll inside the transaction until the server has aborted it (a bound, not a timing assertion).
    let err: MongoServerError | undefined;
    for (const deadline = Date.now() + 15_000; !err && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 250));
      err = await ledger.findOne({ account: 'expired' }, { session: s }).then(
        () => undefined,
        (e: MongoServerError) => e,
      );
    }
    expect(err?.code).toBe(251);
    expect(err?.codeName).toBe('NoSuchTransaction');
    await expect(s.commitTransaction()).rejects.toMatchObject({ code: 251 });
  } finally {
    await admin.command({ setParameter: 1, transactionLifetimeLimitSeconds: 60 });
    await s.endSession();
  }
  expect(await ledger.countDocuments({ account: 'expired' })).toBe(0);
});

describe('mongoose transactions', () => {
  const walletSchema = new Schema({ _id: String, balance: Number });
  const Wallet = () => c.conn.model('Wallet', walletSchema);

  test('connection.transaction retries after a write conflict and commits once', async () => {
    const W = Wallet();
    await W.createCollection();
    await W.create({ _id: 'm1', balance: 10 });
    let attempts = 0;
    await c.conn.transaction(async (session) => {
      attempts++;
      const w = await W.findById('m1').session(session);
      if (attempts === 1) {
        await c.conn.transaction((other) =>
          W.updateOne({ _id: 'm1' }, { $inc: { balance: 5 } })
            .session(other)
            .exec(),
        );
      }
      w!.balance = w!.balance! - 3;
      await w!.save({ session });
    });
    expect(attempts).toBe(2);
    expect((await W.findById('m1').lean())?.balance).toBe(12);
  });

  test('an error thrown inside connection.transaction aborts every write', async () => {
    const W = Wallet();
    await W.create({ _id: 'm2', balance: 10 });
    await expect(
      c.conn.transaction(async (session) => {
        await W.updateOne({ _id: 'm2' }, { $inc: { balance: -10 } }).session(session);
        await W.create([{ _id: 'm3', balance: 1 }], { session });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect((await W.findById('m2').lean())?.balance).toBe(10);
    expect(await W.findById('m3').lean()).toBeNull();
  });
});
