import { MongoBulkWriteError, MongoNetworkError, type Document } from 'mongodb';

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
