/**
 * MongoDB wire protocol framing: OP_MSG (2013) with body and document-sequence sections, and the legacy
 * OP_QUERY (2004) / OP_REPLY (1) pair every driver still uses for the first handshake on a socket.
 */
import { BSON } from 'bson';
import type { Doc } from './values';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;
const CHECKSUM_PRESENT = 1;
export const MORE_TO_COME = 2;
/** hello advertises maxMessageSizeBytes 48 000 000; anything longer is a broken or hostile stream. */
const MAX_MESSAGE_BYTES = 48_000_000;

/** Commands arrive with every number kept as its BSON wrapper, so types survive into storage. */
const DESERIALIZE = { promoteValues: false } as const;
const SERIALIZE = { ignoreUndefined: true } as const;

export interface Request {
  requestId: number;
  opCode: number;
  db: string;
  body: Doc;
  moreToCome: boolean;
}

function cstring(buf: Buffer, pos: number): [string, number] {
  const end = buf.indexOf(0, pos);
  return [buf.toString('utf8', pos, end), end + 1];
}

/** Decodes one complete message (header included). Returns undefined for opcodes we don't speak. */
export function decode(msg: Buffer): Request | undefined {
  const requestId = msg.readInt32LE(4);
  const opCode = msg.readInt32LE(12);
  if (opCode === OP_MSG) {
    const flags = msg.readUInt32LE(16);
    const end = msg.length - (flags & CHECKSUM_PRESENT ? 4 : 0);
    let pos = 20;
    let body: Doc | undefined;
    const sequences: [string, Doc[]][] = [];
    while (pos < end) {
      const kind = msg[pos++];
      const size = msg.readInt32LE(pos);
      if (kind === 0) {
        body = BSON.deserialize(msg.subarray(pos, pos + size), DESERIALIZE);
        pos += size;
      } else {
        const secEnd = pos + size;
        const [id, afterId] = cstring(msg, pos + 4);
        let p = afterId;
        const docs: Doc[] = [];
        while (p < secEnd) {
          const len = msg.readInt32LE(p);
          docs.push(BSON.deserialize(msg.subarray(p, p + len), DESERIALIZE));
          p += len;
        }
        sequences.push([id, docs]);
        pos = secEnd;
      }
    }
    if (!body) throw new Error('OP_MSG without a body section');
    for (const [id, docs] of sequences) body[id] = docs;
    const db = typeof body.$db === 'string' ? body.$db : 'admin';
    return { requestId, opCode, db, body, moreToCome: (flags & MORE_TO_COME) !== 0 };
  }
  if (opCode === OP_QUERY) {
    const [ns, nsEnd] = cstring(msg, 20);
    const pos = nsEnd + 8; // skip numberToSkip, numberToReturn
    const size = msg.readInt32LE(pos);
    let body = BSON.deserialize(msg.subarray(pos, pos + size), DESERIALIZE);
    if (body.$query && typeof body.$query === 'object') body = body.$query as Doc;
    return { requestId, opCode, db: ns.slice(0, ns.indexOf('.')), body, moreToCome: false };
  }
  return undefined;
}

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

let nextResponseId = 1;

export function encodeReply(req: Request, reply: Doc): Buffer {
  const doc = BSON.serialize(reply, SERIALIZE);
  const id = nextResponseId++ & 0x7fffffff;
  if (req.opCode === OP_QUERY) {
    const prefix = Buffer.alloc(20);
    prefix.writeInt32LE(0, 0); // responseFlags
    prefix.writeBigInt64LE(0n, 4); // cursorID
    prefix.writeInt32LE(0, 12); // startingFrom
    prefix.writeInt32LE(1, 16); // numberReturned
    return Buffer.concat([header(16 + 20 + doc.length, id, req.requestId, OP_REPLY), prefix, doc]);
  }
  const prefix = Buffer.alloc(5); // flagBits (0) + section kind 0
  return Buffer.concat([header(16 + 5 + doc.length, id, req.requestId, OP_MSG), prefix, doc]);
}

/**
 * Splits a byte stream into whole messages. Chunks are joined only once a whole message has arrived, so a
 * large message (a 16 MiB insert arrives in hundreds of chunks) costs one copy, not one per chunk.
 */
export class MessageReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: Buffer[] = [];
    while (this.buffered >= 4) {
      if (this.chunks[0]!.length < 4) this.chunks = [Buffer.concat(this.chunks)];
      const len = this.chunks[0]!.readInt32LE(0);
      if (len < 16 || len > MAX_MESSAGE_BYTES) throw new Error(`invalid message length ${len}`);
      if (this.buffered < len) break;
      if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
      const buf = this.chunks[0]!;
      out.push(buf.subarray(0, len));
      const rest = buf.subarray(len);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
    }
    return out;
  }
}
