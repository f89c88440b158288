/** Server-side cursors: results are computed once, then handed out in batches by getMore. */
import { BSON, Long } from 'bson';
import { randomBytes } from 'node:crypto';
import { MongoServerError } from './errors';
import type { Doc } from './values';

interface Cursor {
  ns: string;
  docs: Doc[];
  pos: number;
  lastUse: number;
}

const DEFAULT_FIRST_BATCH = 101;
const MAX_BATCH_DOCS = 100_000;
/** mongod caps a batch at 16 MiB so the reply stays under maxMessageSizeBytes. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;

/** How many documents from `start` fit a batch of at most `n` documents and MAX_BATCH_BYTES (at least one). */
function fit(docs: Doc[], start: number, n: number): number {
  let bytes = 0;
  let count = 0;
  while (count < n && start + count < docs.length) {
    bytes += BSON.calculateObjectSize(docs[start + count]!, { ignoreUndefined: true });
    if (bytes > MAX_BATCH_BYTES && count > 0) break;
    count++;
  }
  return count;
}

/**
 * Random positive 63-bit ids above 2^53, like mongod's: the driver then keeps them as Long instead of
 * promoting them to JS numbers.
 */
function newCursorId(): bigint {
  return (randomBytes(8).readBigUInt64LE() & ((1n << 62n) - 1n)) | (1n << 60n);
}

export class CursorRegistry {
  private readonly cursors = new Map<bigint, Cursor>();

  /** Builds the `cursor` reply field for a fresh result set, registering a cursor if more remain. */
  open(ns: string, docs: Doc[], batchSize: number | undefined, singleBatch = false): Doc {
    const n = fit(docs, 0, Math.min(batchSize ?? DEFAULT_FIRST_BATCH, MAX_BATCH_DOCS));
    const firstBatch = docs.slice(0, n);
    let id = 0n;
    if (!singleBatch && docs.length > n) {
      id = newCursorId();
      this.cursors.set(id, { ns, docs, pos: n, lastUse: Date.now() });
    }
    return { firstBatch, id: Long.fromBigInt(id), ns };
  }

  more(id: bigint, ns: string, batchSize: number | undefined): Doc {
    const c = this.cursors.get(id);
    if (!c || c.ns !== ns) throw new MongoServerError(43, `cursor id ${id} not found`);
    const n = fit(c.docs, c.pos, Math.min(batchSize && batchSize > 0 ? batchSize : MAX_BATCH_DOCS, MAX_BATCH_DOCS));
    const nextBatch = c.docs.slice(c.pos, c.pos + n);
    c.pos += n;
    c.lastUse = Date.now();
    let outId = id;
    if (c.pos >= c.docs.length) {
      this.cursors.delete(id);
      outId = 0n;
    }
    return { nextBatch, id: Long.fromBigInt(outId), ns };
  }

  kill(ids: bigint[]): { killed: Long[]; notFound: Long[] } {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) (this.cursors.delete(id) ? killed : notFound).push(Long.fromBigInt(id));
    return { killed, notFound };
  }

  /** MongoDB times idle cursors out after 10 minutes. */
  reapIdle(maxIdleMs: number, now = Date.now()): void {
    for (const [id, c] of this.cursors) if (now - c.lastUse > maxIdleMs) this.cursors.delete(id);
  }

  clear(): void {
    this.cursors.clear();
  }
}
