/**
 * Where the conformance suite runs: a real MongoDB when MONGODB_URI is set (a replica set, so that
 * transactions work), else a fresh in-memory embedded server per test file.
 */
import {
  MongoClient,
  type ClientSession,
  type Collection,
  type Db,
  type Document,
  type MongoClientOptions,
  type MongoServerError,
  type ObjectId,
} from 'mongodb';
import mongoose, { type Connection } from 'mongoose';
import { startEmbeddedMongo } from '../index';

/** Small TTL sweep so expiry tests finish in about a second (mongod's default is 60 s). */
export const TTL_SWEEP_MS = 200;

export interface Target {
  uri: string;
  /** True when the suite runs against the embedded server rather than a real MongoDB. */
  embedded: boolean;
  stop(): Promise<void>;
}

export async function startTarget(): Promise<Target> {
  const external = process.env.MONGODB_URI;
  if (external) return { uri: external, embedded: false, stop: async () => undefined };
  const options: Parameters<typeof startEmbeddedMongo>[0] & { ttlSweepMs?: number } = { ttlSweepMs: TTL_SWEEP_MS };
  const server = await startEmbeddedMongo(options);
  return { uri: server.uri, embedded: true, stop: () => server.stop() };
}

/** Tests store any _id type (numbers, strings), not only ObjectId. */
export interface AnyDoc extends Document {
  _id?: string | number | ObjectId;
}

export interface Clients {
  target: Target;
  client: MongoClient;
  db: Db;
  conn: Connection;
  /** A collection of `db` typed for any document shape. */
  coll(name: string): Collection<AnyDoc>;
  /** Runs `fn` in a fresh session of `client`, ended afterwards whatever happens. */
  withSession<T>(fn: (session: ClientSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * A driver client and a mongoose connection on database `dbName` (emptied first, so reruns against a
 * real MongoDB start clean).
 */
export async function connectClients(dbName: string, clientOptions: MongoClientOptions = {}): Promise<Clients> {
  const target = await startTarget();
  const client = await new MongoClient(target.uri, clientOptions).connect();
  const db = client.db(dbName);
  await db.dropDatabase();
  const conn = await mongoose.createConnection(target.uri, { dbName }).asPromise();
  return {
    target,
    client,
    db,
    conn,
    coll: (name) => db.collection<AnyDoc>(name),
    async withSession(fn) {
      const session = client.startSession();
      try {
        return await fn(session);
      } finally {
        await session.endSession();
      }
    },
    async close() {
      await conn.close();
      await client.close();
      await target.stop();
    },
  };
}

/**
 * A test file's clients: connected (then `setup` run) before its tests, closed after them. The returned
 * object is filled in by beforeAll, so tests use it directly.
 */
export function useClients(dbName: string, clientOptions: MongoClientOptions = {}, setup?: () => Promise<void> | void): Clients {
  const c = {} as Clients;
  beforeAll(async () => {
    Object.assign(c, await connectClients(dbName, clientOptions));
    await setup?.();
  });
  afterAll(async () => {
    await c.close();
  });
  return c;
}

/** Runs `fn` and returns the error it must throw (fails the test when it does not). */
export async function failure<E = MongoServerError>(fn: () => Promise<unknown>): Promise<E> {
  try {
    await fn();
  } catch (err) {
    return err as E;
  }
  throw new Error('expected the operation to fail');
}
