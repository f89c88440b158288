/** Retryable writes: a write resent with the same session and txnNumber is applied once. */
import { Long, type CommandStartedEvent } from 'mongodb';
import { useClients } from './target';

const started: CommandStartedEvent[] = [];
const c = useClients('conf_retry', { monitorCommands: true, retryWrites: true }, async () => {
  c.client.on('commandStarted', (e) => started.push(e));
});

test('the driver sends writes as retryable (lsid + txnNumber) to this server', async () => {
  const mark = started.length;
  await c.coll('auto').insertOne({ a: 1 });
  await c.coll('auto').updateOne({ a: 1 }, { $set: { b: 1 } });
  const writes = started.slice(mark).filter((e) => e.commandName === 'insert' || e.commandName === 'update');
  expect(writes).toHaveLength(2);
  for (const w of writes) {
    expect(w.command.lsid).toBeDefined();
    expect(w.command.txnNumber).toBeDefined();
  }
});

test('a retried $inc update with the same txnNumber is applied once and answers like the first', async () => {
  const coll = c.coll('counters');
  await coll.insertOne({ _id: 'x', n: 0 });
  await c.withSession(async (session) => {
    const cmd = { update: 'counters', updates: [{ q: { _id: 'x' }, u: { $inc: { n: 1 } } }], txnNumber: Long.fromNumber(7) };
    const first = await c.db.command(cmd, { session });
    const retry = await c.db.command(cmd, { session });
    expect(first).toMatchObject({ ok: 1, n: 1, nModified: 1 });
    expect(retry).toMatchObject({ ok: 1, n: 1, nModified: 1 });
    // A new txnNumber is a new write.
    await c.db.command({ ...cmd, txnNumber: Long.fromNumber(8) }, { session });
  });
  expect((await coll.findOne({ _id: 'x' }))?.n).toBe(2);
});

test('a retried insert with the same txnNumber does not insert twice nor report a duplicate', async () => {
  await c.withSession(async (session) => {
    const cmd = { insert: 'once', documents: [{ _id: 1 }, { _id: 2 }], txnNumber: Long.fromNumber(1) };
    expect(await c.db.command(cmd, { session })).toMatchObject({ ok: 1, n: 2 });
    const retry = await c.db.command(cmd, { session });
    expect(retry).toMatchObject({ ok: 1, n: 2 });
    expect(retry.writeErrors).toBeUndefined();
  });
  expect(await c.coll('once').countDocuments()).toBe(2);
});

test('a retried findAndModify returns the original result without applying again', async () => {
  const coll = c.coll('fam');
  await coll.insertOne({ _id: 'f', n: 10 });
  await c.withSession(async (session) => {
    const cmd = { findAndModify: 'fam', query: { _id: 'f' }, update: { $inc: { n: -1 } }, new: true, txnNumber: Long.fromNumber(3) };
    const first = await c.db.command(cmd, { session });
    const retry = await c.db.command(cmd, { session });
    expect(first.value).toEqual({ _id: 'f', n: 9 });
    expect(retry.value).toEqual({ _id: 'f', n: 9 });
  });
  expect((await coll.findOne({ _id: 'f' }))?.n).toBe(9);
});

test('the same txnNumber on a different session is a different write', async () => {
  const coll = c.coll('sessions');
  await coll.insertOne({ _id: 's', n: 0 });
  const cmd = { update: 'sessions', updates: [{ q: { _id: 's' }, u: { $inc: { n: 1 } } }], txnNumber: Long.fromNumber(1) };
  // Both sessions are open at once, so the driver gives them different lsids.
  const a = c.client.startSession();
  const b = c.client.startSession();
  try {
    await c.db.command(cmd, { session: a });
    await c.db.command(cmd, { session: b });
  } finally {
    await a.endSession();
    await b.endSession();
  }
  expect((await coll.findOne({ _id: 's' }))?.n).toBe(2);
});
