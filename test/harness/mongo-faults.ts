import mongoose from 'mongoose';
import { MongoBulkWriteError, MongoNetworkError, type Document } from 'mongodb';

/*
 * Fault injection for tests of code that must survive MongoDB dying mid-write: each helper makes ONE driver
 * call fail the way a killed or unreachable server makes it fail, on the real database, until restore().
 */

/** The error the driver throws when the connection dies mid-insertMany (mongodb/lib/bulk/common.js): writeErrors is []. */
export function networkBulkError(): MongoBulkWriteError {
  return new MongoBulkWriteError(new MongoNetworkError('connection 7 to 127.0.0.1:27017 closed'), undefined as never);
}

interface InsertingCollection {
  insertMany(docs: Document[], options?: Document): Promise<unknown>;
}

/**
 * Fault injection for one collection: until `restore()`, every insertMany writes the first half of its batch
 * for real (rounded down) and then throws what the driver throws when MongoDB is killed mid-write — an error
 * with an EMPTY writeErrors list although part of the batch landed. Everything else (reads, other
 * collections) is the real database.
 */
export function dieMidInsert(collection: InsertingCollection): { restore(): void; readonly calls: number } {
  const real = collection.insertMany.bind(collection);
  let calls = 0;
  const spy = jest.spyOn(collection, 'insertMany').mockImplementation(async (docs: Document[], options?: Document) => {
    calls += 1;
    const landed = docs.slice(0, Math.floor(docs.length / 2));
    if (landed.length > 0) await real(landed, options);
    throw networkBulkError();
  });
  return {
    restore: () => spy.mockRestore(),
    get calls() {
      return calls;
    },
  };
}

/**
 * Until `restore()`, transaction commits fail like a dying server:
 * - `answer-lost`: the first transaction committed while active lands, but every answer to its commit (the
 *   driver's retries included) is a network error labelled UnknownTransactionCommitResult; others go through.
 * - `down`: no commit reaches the server (a network error, nothing written).
 */
export function failCommits(how: 'answer-lost' | 'down'): { restore(): void; readonly calls: number } {
  const proto = mongoose.mongo.ClientSession.prototype;
  const real = proto.commitTransaction;
  const victim = new WeakSet<object>();
  let chosen = false;
  let calls = 0;
  const spy = jest.spyOn(proto, 'commitTransaction').mockImplementation(async function (this: typeof proto, ...args) {
    calls += 1;
    if (how === 'down') throw new mongoose.mongo.MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017');
    if (!chosen) victim.add(this);
    chosen = true;
    if (!victim.has(this)) return real.apply(this, args);
    await real.apply(this, args);
    const err = new mongoose.mongo.MongoNetworkError('connection 9 to 127.0.0.1:27017 closed');
    err.addErrorLabel('UnknownTransactionCommitResult');
    throw err;
  });
  return {
    restore: () => spy.mockRestore(),
    get calls() {
      return calls;
    },
  };
}

interface InsertingOneCollection {
  insertOne(doc: Document, options?: Document): Promise<unknown>;
}

/**
 * Until `restore()`, the first insertOne on the collection is written for real (in the caller's transaction, if
 * any) and then answered with a network error, as when the connection dies right after the server applied it.
 * Later inserts go through.
 */
export function loseInsertAnswer(collection: InsertingOneCollection): { restore(): void; readonly calls: number } {
  const real = collection.insertOne.bind(collection);
  let calls = 0;
  const spy = jest.spyOn(collection, 'insertOne').mockImplementation(async (doc: Document, options?: Document) => {
    calls += 1;
    const result = await real(doc, options);
    if (calls > 1) return result;
    throw new MongoNetworkError('connection 11 to 127.0.0.1:27017 closed');
  });
  return {
    restore: () => spy.mockRestore(),
    get calls() {
      return calls;
    },
  };
}
