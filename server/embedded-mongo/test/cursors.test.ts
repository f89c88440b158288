/** Cursors: batches through getMore, killCursors, aggregate cursors — driver and mongoose. */
import { Long, type CommandStartedEvent, type Document } from 'mongodb';
import mongoose, { Schema } from 'mongoose';
import { useClients } from './target';

const started: CommandStartedEvent[] = [];
const c = useClients('conf_cursors', { monitorCommands: true }, async () => {
  c.client.on('commandStarted', (e) => started.push(e));
  await c.coll('items').insertMany(Array.from({ length: 250 }, (_, i) => ({ _id: i, v: i % 7 })));
});

function commandsSince(mark: number, name: string): CommandStartedEvent[] {
  return started.slice(mark).filter((e) => e.commandName === name);
}

describe('driver cursors', () => {
  test('find with batchSize walks every document through getMore', async () => {
    const mark = started.length;
    const docs = await c
      .coll('items')
      .find({}, { batchSize: 100, sort: { _id: 1 } })
      .toArray();
    expect(docs.map((d) => d._id)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(commandsSince(mark, 'getMore')).toHaveLength(2);
  });

  // promoteLongs: false — by default the driver turns any Int64 that fits a JS number (such as 0) into a
  // number, against a real MongoDB too; without promotion the reply shows the wire type itself.
  test('a raw find returns firstBatch and an Int64 cursor id; getMore returns nextBatch and id 0 at the end', async () => {
    const session = c.client.startSession();
    try {
      const first = await c.db.command(
        { find: 'items', filter: { v: 0 }, sort: { _id: 1 }, batchSize: 20 },
        { session, promoteLongs: false },
      );
      const cursor = first.cursor as { id: Long; ns: string; firstBatch: Document[] };
      expect(cursor.ns).toBe('conf_cursors.items');
      expect(cursor.firstBatch).toHaveLength(20);
      expect(cursor.id).toBeInstanceOf(Long);
      expect(cursor.id.isZero()).toBe(false);
      const next = await c.db.command({ getMore: cursor.id, collection: 'items', batchSize: 100 }, { session, promoteLongs: false });
      const nextCursor = next.cursor as { id: Long; nextBatch: Document[] };
      // 250 / 7 rounded up = 36 documents have v 0
      expect(nextCursor.nextBatch).toHaveLength(16);
      expect(nextCursor.id).toBeInstanceOf(Long);
      expect(nextCursor.id.isZero()).toBe(true);
    } finally {
      await session.endSession();
    }
  });

  test('a result that fits the first batch comes back with cursor id 0', async () => {
    const res = await c.db.command({ find: 'items', filter: { _id: { $lt: 3 } } }, { promoteLongs: false });
    expect(res.cursor.id).toBeInstanceOf(Long);
    expect(res.cursor.firstBatch).toHaveLength(3);
    expect((res.cursor.id as Long).isZero()).toBe(true);
  });

  test('closing a cursor early sends killCursors, and the killed cursor is gone', async () => {
    const session = c.client.startSession();
    try {
      const mark = started.length;
      const cursor = c.coll('items').find({}, { batchSize: 10, session });
      await cursor.next();
      const id = cursor.id!;
      expect(id.isZero()).toBe(false);
      await cursor.close();
      const kills = commandsSince(mark, 'killCursors');
      expect(kills).toHaveLength(1);
      expect(kills[0]!.command.cursors).toEqual([id]);
      await expect(c.db.command({ getMore: id, collection: 'items' }, { session })).rejects.toMatchObject({
        code: 43,
        codeName: 'CursorNotFound',
      });
    } finally {
      await session.endSession();
    }
  });

  test('killCursors reports the killed cursor ids', async () => {
    const session = c.client.startSession();
    try {
      const first = await c.db.command({ find: 'items', batchSize: 5 }, { session });
      const res = await c.db.command({ killCursors: 'items', cursors: [first.cursor.id] }, { session });
      expect(res.cursorsKilled).toEqual([first.cursor.id]);
    } finally {
      await session.endSession();
    }
  });

  test('limit across batches stops at the limit', async () => {
    const docs = await c
      .coll('items')
      .find({}, { batchSize: 30, limit: 75, sort: { _id: -1 } })
      .toArray();
    expect(docs).toHaveLength(75);
    expect(docs[0]!._id).toBe(249);
  });

  test('aggregate results arrive in batches too', async () => {
    const mark = started.length;
    const docs = await c.db
      .collection('items')
      .aggregate([{ $match: { v: { $lt: 5 } } }, { $sort: { _id: 1 } }], { batchSize: 50 })
      .toArray();
    expect(docs).toHaveLength(250 - 35 - 35); // v 5 and 6 occur 35 times each
    expect(commandsSince(mark, 'getMore').length).toBeGreaterThanOrEqual(3);
  });
});

describe('mongoose cursors', () => {
  test('Model.find().cursor() streams every document across getMore batches', async () => {
    const conn = await mongoose.createConnection(c.target.uri, { dbName: 'conf_cursors', monitorCommands: true }).asPromise();
    try {
      let getMores = 0;
      conn.getClient().on('commandStarted', (e: CommandStartedEvent) => {
        if (e.commandName === 'getMore') getMores++;
      });
      const Item = conn.model('Item', new Schema({ _id: Number, v: Number }), 'items');
      let count = 0;
      for await (const doc of Item.find().sort({ _id: 1 }).batchSize(60).cursor()) {
        expect(doc._id).toBe(count);
        count++;
      }
      expect(count).toBe(250);
      expect(getMores).toBe(4); // 60 in the first batch, then 60 + 60 + 60 + 10
    } finally {
      await conn.close();
    }
  });
});
