/**
 * Wire protocol below the driver: the legacy OP_QUERY handshake answered with OP_REPLY, OP_MSG document
 * sequences (kind-1 sections merged into the command), moreToCome (w:0) requests that get no reply, and a
 * driver w:0 write. Raw sockets go to the first host of the target URI without authentication.
 */
import * as net from 'node:net';
import { BSON, Int32, type Document } from 'mongodb';
import { useClients } from './target';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;
const MORE_TO_COME = 2;

const c = useClients('conf_wire');

interface Reply {
  opCode: number;
  responseTo: number;
  doc: Document;
}

/** A raw connection that sends hand-built messages and collects whole replies in arrival order. */
class RawConnection {
  private buffered = Buffer.alloc(0);
  private readonly replies: Reply[] = [];
  private waiter: (() => void) | undefined;
  private nextId = 1;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 4 && this.buffered.length >= this.buffered.readInt32LE(0)) {
        const len = this.buffered.readInt32LE(0);
        this.replies.push(parseReply(this.buffered.subarray(0, len)));
        this.buffered = this.buffered.subarray(len);
      }
      this.waiter?.();
    });
  }

  static async open(uri: string): Promise<RawConnection> {
    const hostPort = uri
      .replace(/^mongodb:\/\//, '')
      .split(/[/?]/)[0]!
      .split(',')[0]!
      .split('@')
      .pop()!;
    const [host, port] = hostPort.split(':');
    const socket = net.connect(Number(port ?? 27017), host);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new RawConnection(socket);
  }

  send(opCode: number, body: Buffer): number {
    const requestId = this.nextId++;
    const header = Buffer.alloc(16);
    header.writeInt32LE(16 + body.length, 0);
    header.writeInt32LE(requestId, 4);
    header.writeInt32LE(0, 8);
    header.writeInt32LE(opCode, 12);
    this.socket.write(Buffer.concat([header, body]));
    return requestId;
  }

  async next(): Promise<Reply> {
    const deadline = Date.now() + 10_000;
    while (this.replies.length === 0) {
      if (Date.now() > deadline) throw new Error('no reply within 10 s');
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 100);
      });
    }
    return this.replies.shift()!;
  }

  close(): void {
    this.socket.destroy();
  }
}

function parseReply(msg: Buffer): Reply {
  const responseTo = msg.readInt32LE(8);
  const opCode = msg.readInt32LE(12);
  // OP_REPLY: flags, cursorId, startingFrom, numberReturned, then the document. OP_MSG: flags, kind 0, document.
  const docAt = opCode === OP_REPLY ? 16 + 20 : 16 + 5;
  return { opCode, responseTo, doc: BSON.deserialize(msg.subarray(docAt)) };
}

function cstring(s: string): Buffer {
  return Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]);
}

function opQuery(ns: string, query: Document): Buffer {
  const counts = Buffer.alloc(8);
  counts.writeInt32LE(0, 0); // numberToSkip
  counts.writeInt32LE(-1, 4); // numberToReturn
  return Buffer.concat([Buffer.alloc(4), cstring(ns), counts, BSON.serialize(query)]);
}

function opMsg(flags: number, body: Document, sequences: Record<string, Document[]> = {}): Buffer {
  const flagBits = Buffer.alloc(4);
  flagBits.writeUInt32LE(flags, 0);
  const parts = [flagBits, Buffer.from([0]), BSON.serialize(body)];
  for (const [id, docs] of Object.entries(sequences)) {
    const payload = Buffer.concat([cstring(id), ...docs.map((d) => BSON.serialize(d))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + payload.length, 0);
    parts.push(Buffer.from([1]), size, payload);
  }
  return Buffer.concat(parts);
}

test('the legacy OP_QUERY ismaster handshake is answered with an OP_REPLY describing a replica-set primary', async () => {
  const conn = await RawConnection.open(c.target.uri);
  try {
    const id = conn.send(
      OP_QUERY,
      opQuery('admin.$cmd', { ismaster: 1, helloOk: true, client: { driver: { name: 'raw', version: '0' } } }),
    );
    const reply = await conn.next();
    expect(reply.opCode).toBe(OP_REPLY);
    expect(reply.responseTo).toBe(id);
    expect(reply.doc).toMatchObject({ ok: 1, ismaster: true, helloOk: true });
    expect(typeof reply.doc.setName).toBe('string');
    expect(reply.doc.maxWireVersion).toBeGreaterThanOrEqual(9);
    expect(reply.doc.logicalSessionTimeoutMinutes).toBeGreaterThan(0);

    const pingId = conn.send(OP_MSG, opMsg(0, { ping: 1, $db: 'admin' }));
    const pong = await conn.next();
    expect(pong).toMatchObject({ opCode: OP_MSG, responseTo: pingId, doc: { ok: 1 } });
  } finally {
    conn.close();
  }
});

test('OP_MSG document sequences are merged into the command: insert `documents`, update `updates`, delete `deletes`', async () => {
  const conn = await RawConnection.open(c.target.uri);
  try {
    conn.send(
      OP_MSG,
      opMsg(
        0,
        { insert: 'seq', $db: 'conf_wire' },
        {
          documents: [
            { _id: 1, v: 1 },
            { _id: 2, v: 2 },
            { _id: 3, v: 3 },
          ],
        },
      ),
    );
    expect((await conn.next()).doc).toMatchObject({ ok: 1, n: 3 });

    conn.send(
      OP_MSG,
      opMsg(
        0,
        { update: 'seq', $db: 'conf_wire' },
        {
          updates: [
            { q: { _id: 1 }, u: { $set: { v: 10 } } },
            { q: { _id: 2 }, u: { $set: { v: 20 } } },
          ],
        },
      ),
    );
    expect((await conn.next()).doc).toMatchObject({ ok: 1, n: 2, nModified: 2 });

    conn.send(OP_MSG, opMsg(0, { delete: 'seq', $db: 'conf_wire' }, { deletes: [{ q: { _id: 3 }, limit: new Int32(1) }] }));
    expect((await conn.next()).doc).toMatchObject({ ok: 1, n: 1 });
  } finally {
    conn.close();
  }
  expect(
    await c
      .coll('seq')
      .find({}, { sort: { _id: 1 } })
      .toArray(),
  ).toEqual([
    { _id: 1, v: 10 },
    { _id: 2, v: 20 },
  ]);
});

test('a request flagged moreToCome gets no reply but is applied before the next request on the connection', async () => {
  const conn = await RawConnection.open(c.target.uri);
  try {
    conn.send(
      OP_MSG,
      opMsg(MORE_TO_COME, { insert: 'fire', $db: 'conf_wire', writeConcern: { w: 0 } }, { documents: [{ _id: 'a' }, { _id: 'b' }] }),
    );
    const findId = conn.send(OP_MSG, opMsg(0, { find: 'fire', filter: {}, sort: { _id: 1 }, $db: 'conf_wire' }));
    const reply = await conn.next();
    // The first reply on the socket answers the find: nothing was sent back for the moreToCome insert.
    expect(reply.responseTo).toBe(findId);
    expect(reply.doc.cursor.firstBatch).toEqual([{ _id: 'a' }, { _id: 'b' }]);
  } finally {
    conn.close();
  }
});

test('a driver write with writeConcern w:0 is applied', async () => {
  const fire = c.coll('fire_driver');
  const res = await fire.insertOne({ _id: 'w0' }, { writeConcern: { w: 0 } });
  expect(res.acknowledged).toBe(false);
  let found: Document | null = null;
  for (const deadline = Date.now() + 10_000; !found && Date.now() < deadline;) {
    found = await fire.findOne({ _id: 'w0' });
    if (!found) await new Promise((r) => setTimeout(r, 50));
  }
  expect(found).toEqual({ _id: 'w0' });
});
