/**
 * insertProven against the run's real MongoDB (the harness's): it returns exactly the ids that are stored,
 * whatever the insert's error says — including the driver's network error, whose writeErrors list is empty
 * although some documents were written.
 */
import { MongoBulkWriteError, MongoClient, MongoNetworkError, ObjectId, type Collection, type Document } from 'mongodb';
import { networkBulkError } from '../../../../test/harness/mongo-faults';
import { HARNESS_ENV, harnessValue } from '../../../../test/harness/env';
import { insertProven, type ProvingCollection } from './insert-proven';

let client: MongoClient;
let coll: Collection<Document>;

beforeAll(async () => {
  client = await MongoClient.connect(harnessValue(HARNESS_ENV.mongoUri));
  const db = client.db(`t_insert_proven_${process.pid}`);
  await db.dropDatabase();
  coll = db.collection('claims');
  await coll.createIndex({ user: 1, seq: 1 }, { unique: true });
});
afterAll(async () => {
  await client.db(`t_insert_proven_${process.pid}`).dropDatabase();
  await client.close();
});

let seq = 0;
const doc = (user = 'u') => ({ _id: new ObjectId(), user, seq: (seq += 1) });
const hex = (docs: Array<{ _id: ObjectId }>) => docs.map((d) => d._id.toHexString()).sort();

/** A collection that writes `landed` of the batch for real, then fails like a dying server (empty writeErrors). */
function dyingAfter(landed: number, reread: 'works' | 'fails' = 'works'): ProvingCollection {
  return {
    insertMany: (async (docs: Document[]) => {
      if (landed > 0) await coll.insertMany(docs.slice(0, landed), { ordered: false });
      throw networkBulkError();
    }) as ProvingCollection['insertMany'],
    find: ((filter: Document, options: Document) => {
      if (reread === 'fails') return { toArray: () => Promise.reject(new MongoNetworkError('connection refused')) };
      return coll.find(filter, options);
    }) as ProvingCollection['find'],
  };
}

describe('insertProven', () => {
  it('proves every id of an acknowledged insert, and they are stored', async () => {
    const docs = [doc(), doc(), doc()];
    const out = await insertProven(coll, docs);
    expect(out.error).toBeNull();
    expect([...out.stored].sort()).toEqual(hex(docs));
    expect(await coll.countDocuments({ _id: { $in: docs.map((d) => d._id) } })).toBe(3);
  });

  it('counts a duplicate key on _id as stored (someone stored it already), and the rest of the batch too', async () => {
    const earlier = doc();
    await coll.insertOne(earlier);
    const docs = [doc(), earlier, doc()];
    const out = await insertProven(coll, docs);
    expect(out.error).toBeInstanceOf(MongoBulkWriteError);
    expect([...out.stored].sort()).toEqual(hex(docs));
  });

  it('does not prove a document refused by another unique index (its _id is not stored)', async () => {
    const first = doc('v');
    await coll.insertOne(first);
    const clash = { _id: new ObjectId(), user: 'v', seq: first.seq };
    const ok = doc('v');
    const out = await insertProven(coll, [clash, ok]);
    expect([...out.stored]).toEqual([ok._id.toHexString()]);
  });

  it('after a network error with an empty writeErrors list, proves exactly the documents that landed', async () => {
    const docs = [doc(), doc(), doc(), doc(), doc()];
    const out = await insertProven(dyingAfter(2), docs);
    expect(out.error).toBeInstanceOf(MongoBulkWriteError);
    expect((out.error as MongoBulkWriteError).writeErrors).toEqual([]);
    expect([...out.stored].sort()).toEqual(hex(docs.slice(0, 2)));
  });

  it('proves nothing when nothing landed', async () => {
    const out = await insertProven(dyingAfter(0), [doc(), doc()]);
    expect(out.stored.size).toBe(0);
  });

  it('proves nothing when the re-read fails too, even though some documents landed', async () => {
    const docs = [doc(), doc(), doc()];
    const out = await insertProven(dyingAfter(2, 'fails'), docs);
    expect(out.stored.size).toBe(0);
    expect(await coll.countDocuments({ _id: { $in: docs.map((d) => d._id) } })).toBe(2);
  });
});
