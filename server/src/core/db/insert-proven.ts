/** An `_id` as the driver and mongoose both give it (bson's ObjectId, of whichever copy of bson). */
interface ObjectId {
  toHexString(): string;
}
type Document = Record<string, unknown>;

/**
 * The two collection calls the proof needs: a mongoose Model.collection or a driver collection (structural,
 * as mongoose carries its own copy of the driver), or, in a unit test, one that fails like a dying server.
 */
export interface ProvingCollection {
  insertMany(docs: object[], options: { ordered: false }): Promise<unknown>;
  find(
    filter: { _id: { $in: ObjectId[] } },
    options: { projection: { _id: 1 }; readConcern: { level: 'majority' } },
  ): { toArray(): Promise<Document[]> };
}

export interface InsertProven {
  /** Hex ids of the documents proven to be in the collection (inserted now, or earlier under the same _id). */
  stored: Set<string>;
  /** The insert's error, when there was one (for the log); null when the insert was acknowledged whole. */
  error: unknown;
}

/**
 * Inserts a batch of documents whose `_id`s the caller chose (an admission's id: a claim, a vote) and returns
 * exactly the ids it can PROVE are stored. Callers drop their pending entries for these ids only; every
 * other document stays pending for their retry or reconciliation, which write it under the same `_id`.
 *
 * Why a re-read: an error from an unordered insertMany is not a complete list of what failed. On a network
 * error (server killed, connection reset, failover) the driver's error carries an EMPTY writeErrors list
 * while some, all or none of the documents may have been written (mongodb/lib/bulk/common.js); trusting the
 * list would confirm documents that were never written, losing acknowledged claims and votes. So after any
 * error the ids are looked up: found = stored (a duplicate key on `_id` means someone — reconciliation,
 * another process — already stored it, also fine); a document refused by another unique index is not found,
 * so it stays pending. If the look-up fails too, nothing is proven. Costs nothing on the happy path.
 */
export async function insertProven(collection: ProvingCollection, docs: ReadonlyArray<{ _id: ObjectId }>): Promise<InsertProven> {
  if (docs.length === 0) return { stored: new Set(), error: null };
  try {
    await collection.insertMany([...docs], { ordered: false });
    return { stored: new Set(docs.map((d) => d._id.toHexString())), error: null };
  } catch (error) {
    return {
      stored: await storedIds(
        collection,
        docs.map((d) => d._id),
      ).catch(() => new Set<string>()),
      error,
    };
  }
}

/**
 * Which of these ids the collection holds (hex), read with majority read concern: on a replica set an
 * insert seen only by the primary may still be rolled back after a failover, so it proves nothing yet.
 */
export async function storedIds(collection: Pick<ProvingCollection, 'find'>, ids: readonly ObjectId[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const found = await collection.find({ _id: { $in: [...ids] } }, { projection: { _id: 1 }, readConcern: { level: 'majority' } }).toArray();
  return new Set(found.map((d) => (d._id as ObjectId).toHexString()));
}
