/**
 * Durable journal of the embedded MongoDB-compatible server.
 *
 * File `<dir>/journal.bin` is a sequence of frames, one per appended batch:
 *   [u32 LE payload length][u32 LE zlib.crc32(payload)][payload = the batch's records, each a BSON document]
 * A batch is atomic on replay: a frame is either intact (CRC matches) or discarded as a whole.
 *
 * Contract with the server (mongo-core):
 * - `append(batch)` resolves once the batch is on disk (fdatasync). Batches appended while a sync is in
 *   flight are written together and all resolve after the next sync (group commit). Once a write or sync
 *   fails the journal refuses further appends: after a failed fsync the kernel may have dropped the dirty
 *   pages, so retrying could silently lose data.
 * - `compact(snapshot)`: the snapshot must include the effect of every batch passed to `append()` before
 *   `compact()` was called (take it from the in-memory state, then call compact). Batches appended after
 *   the call land after the snapshot in the new file. The swap is temp file + fsync + rename + dir fsync,
 *   so a crash leaves either the old journal or the new one, never a mix.
 * - Replay values come from `BSON.deserialize(…, { promoteValues: false })`: every number keeps its BSON
 *   type as a wrapper (Int32, Double, Long, Decimal128); strings, booleans, null, Date, ObjectId and
 *   Binary come back as themselves. Records are replayed in append order; applying them must not enforce
 *   constraints again (the journal holds only writes that were already accepted).
 * - On open, an unreadable tail with no intact frame after it (torn write of the last batch, or garbage)
 *   is truncated away with one log line; an unreadable frame followed by intact ones is corruption in the
 *   middle and `openJournal` rejects rather than dropping acknowledged data.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import { BSON } from 'bson';

export type JournalRecord =
  | { t: 'put'; ns: string; doc: Record<string, unknown> } // insert or full replacement by _id ("db.coll" ns)
  | { t: 'del'; ns: string; id: unknown }
  | { t: 'createCollection'; ns: string; options?: Record<string, unknown> }
  | { t: 'dropCollection'; ns: string }
  | { t: 'dropDatabase'; db: string }
  | { t: 'createIndex'; ns: string; spec: Record<string, unknown> }
  | { t: 'dropIndex'; ns: string; name: string };

export interface Journal {
  append(batch: JournalRecord[]): Promise<void>;
  compact(snapshot: JournalRecord[]): Promise<void>;
  close(): Promise<void>;
  readonly sizeBytes: number;
}

export const JOURNAL_FILE = 'journal.bin';
const TEMP_FILE = 'journal.bin.compact';
const HEADER_BYTES = 8;
/** Smallest possible payload: one empty BSON document. */
const MIN_PAYLOAD = 5;
/** Snapshot frames are cut at about this size so compaction never builds one giant buffer. */
const SNAPSHOT_FRAME_BYTES = 1 << 20;

const DESERIALIZE_OPTIONS = { promoteValues: false } as const;

function encodeRecords(records: JournalRecord[]): Buffer[] {
  return records.map((r) => Buffer.from(BSON.serialize(r, { ignoreUndefined: true })));
}

function frame(parts: Buffer[]): Buffer {
  const payload = Buffer.concat(parts);
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32(payload), 4);
  return Buffer.concat([header, payload]);
}

/** Decodes a payload into its records, or null when it is not a clean sequence of BSON documents. */
function decodePayload(payload: Buffer): JournalRecord[] | null {
  const records: JournalRecord[] = [];
  let off = 0;
  try {
    while (off < payload.length) {
      if (payload.length - off < MIN_PAYLOAD) return null;
      const size = payload.readInt32LE(off);
      if (size < MIN_PAYLOAD || off + size > payload.length) return null;
      records.push(BSON.deserialize(payload.subarray(off, off + size), DESERIALIZE_OPTIONS) as JournalRecord);
      off += size;
    }
  } catch {
    return null;
  }
  return records;
}

/** The frame starting at `off`, or null when it is torn, corrupt or out of bounds. */
function readFrame(buf: Buffer, off: number): { records: JournalRecord[]; end: number } | null {
  if (buf.length - off < HEADER_BYTES) return null;
  const len = buf.readUInt32LE(off);
  const end = off + HEADER_BYTES + len;
  if (len < MIN_PAYLOAD || end > buf.length) return null;
  const payload = buf.subarray(off + HEADER_BYTES, end);
  if (crc32(payload) !== buf.readUInt32LE(off + 4)) return null;
  const records = decodePayload(payload);
  return records ? { records, end } : null;
}

/** Offset of the first intact frame after `from`, if any; only run once a frame failed to read. */
function findIntactFrameAfter(buf: Buffer, from: number): number | null {
  for (let off = from + 1; off + HEADER_BYTES + MIN_PAYLOAD <= buf.length; off++) {
    if (readFrame(buf, off)) return off;
  }
  return null;
}

interface PendingBatch {
  bytes: Buffer;
  resolve: () => void;
  reject: (err: Error) => void;
}

class FileJournal implements Journal {
  private pending: PendingBatch[] = [];
  private flushing: Promise<void> | null = null;
  private compacting: Promise<void> | null = null;
  private failure: Error | null = null;
  private closed = false;
  private size: number;
  /** Number of data syncs issued; group commit keeps it below the number of appends. */
  syncCount = 0;

  constructor(
    private readonly dir: string,
    private fh: fs.FileHandle,
    size: number,
  ) {
    this.size = size;
  }

  get sizeBytes(): number {
    return this.size;
  }

  append(batch: JournalRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('journal is closed'));
    if (this.failure) return Promise.reject(this.failure);
    if (batch.length === 0) return Promise.resolve();
    let bytes: Buffer;
    try {
      bytes = frame(encodeRecords(batch));
    } catch (err) {
      return Promise.reject(err as Error);
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ bytes, resolve, reject });
      this.kick();
    });
  }

  /** Starts the flush loop unless it runs already or a compaction holds the file. */
  private kick(): void {
    if (this.flushing || this.compacting || this.pending.length === 0) return;
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = null;
      this.kick();
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length > 0 && !this.compacting) {
      const group = this.pending;
      this.pending = [];
      await this.writeGroup(group);
    }
  }

  /** Writes one group with a single write and one sync; settles every batch in it. */
  private async writeGroup(group: PendingBatch[]): Promise<void> {
    if (group.length === 0) return;
    if (this.failure) {
      for (const b of group) b.reject(this.failure);
      return;
    }
    const bytes = group.length === 1 ? group[0]!.bytes : Buffer.concat(group.map((b) => b.bytes));
    try {
      await writeAll(this.fh, bytes);
      this.syncCount++;
      await this.fh.datasync();
      this.size += bytes.length;
      for (const b of group) b.resolve();
    } catch (err) {
      this.failure = new Error(`journal write failed, further writes refused: ${(err as Error).message}`);
      for (const b of group) b.reject(this.failure);
    }
  }

  compact(snapshot: JournalRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('journal is closed'));
    if (this.failure) return Promise.reject(this.failure);
    // Batches appended before this call are covered by the snapshot, but they still go to the current
    // file first so that a crash before the rename loses nothing that was acknowledged.
    const before = this.pending;
    this.pending = [];
    const previous = this.compacting ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(async () => {
        await this.flushing;
        await this.writeGroup(before);
        await this.rewrite(snapshot);
      });
    const mine: Promise<void> = run.finally(() => {
      if (this.compacting === mine) this.compacting = null;
      this.kick();
    });
    this.compacting = mine;
    return mine;
  }

  private async rewrite(snapshot: JournalRecord[]): Promise<void> {
    if (this.failure) throw this.failure;
    const finalPath = path.join(this.dir, JOURNAL_FILE);
    const tempPath = path.join(this.dir, TEMP_FILE);
    const tmp = await fs.open(tempPath, 'w');
    let written = 0;
    try {
      let parts: Buffer[] = [];
      let partsBytes = 0;
      const flushParts = async () => {
        if (parts.length === 0) return;
        const f = frame(parts);
        await writeAll(tmp, f);
        written += f.length;
        parts = [];
        partsBytes = 0;
      };
      for (const part of encodeRecords(snapshot)) {
        parts.push(part);
        partsBytes += part.length;
        if (partsBytes >= SNAPSHOT_FRAME_BYTES) await flushParts();
      }
      await flushParts();
      await tmp.sync();
    } finally {
      await tmp.close();
    }
    await fs.rename(tempPath, finalPath);
    await syncDir(this.dir);
    const old = this.fh;
    this.fh = await fs.open(finalPath, 'a');
    this.size = written;
    await old.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.compacting?.catch(() => undefined);
    while (this.flushing) await this.flushing;
    await this.fh.close();
  }
}

async function writeAll(fh: fs.FileHandle, bytes: Buffer): Promise<void> {
  let off = 0;
  while (off < bytes.length) {
    const { bytesWritten } = await fh.write(bytes, off, bytes.length - off);
    off += bytesWritten;
  }
}

async function syncDir(dir: string): Promise<void> {
  const dh = await fs.open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

/**
 * Opens (creating if needed) the journal in `dir` and returns the records to replay, in order.
 * Rejects when a frame in the middle is corrupt.
 */
export async function openJournal(
  dir: string,
  log: (msg: string) => void = () => undefined,
): Promise<{ journal: Journal; replay: JournalRecord[] }> {
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, JOURNAL_FILE);
  // A leftover temp file is a compaction that crashed before its rename: the old journal is still whole.
  await fs.rm(path.join(dir, TEMP_FILE), { force: true });

  let buf: Buffer;
  try {
    buf = await fs.readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    buf = Buffer.alloc(0);
  }

  const replay: JournalRecord[] = [];
  let off = 0;
  while (off < buf.length) {
    const f = readFrame(buf, off);
    if (!f) break;
    for (const r of f.records) replay.push(r);
    off = f.end;
  }

  if (off < buf.length) {
    const intact = findIntactFrameAfter(buf, off);
    if (intact !== null) {
      throw new Error(`journal ${file} is corrupt at byte ${off} (intact records follow at byte ${intact}); refusing to start`);
    }
    log(`journal ${file}: discarded ${buf.length - off} byte(s) of torn or corrupt last record at byte ${off}`);
    await fs.truncate(file, off);
  }

  const fh = await fs.open(file, 'a');
  if (buf.length === 0) await syncDir(dir);
  return { journal: new FileJournal(dir, fh, off), replay };
}
