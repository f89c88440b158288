import mongoose, { type Connection } from 'mongoose';
import type { Logger } from '../logger';

export interface MongoConnectOptions {
  uri: string;
  dbName: string;
  logger: Logger;
}

/**
 * Connects the default mongoose connection. Indexes are not built implicitly per model (autoIndex off)
 * but explicitly by ensureIndexes() at start, so startup waits for them and failures stop the process.
 */
export async function connectMongo({ uri, dbName, logger }: MongoConnectOptions): Promise<Connection> {
  mongoose.set('strictQuery', true);
  await mongoose.connect(uri, { dbName, autoIndex: false, autoCreate: false, serverSelectionTimeoutMS: 10_000 });
  logger.info({ dbName }, 'mongo connected');
  return mongoose.connection;
}

/** Model name → names of indexes its schema no longer declares (see retireIndexes). */
const retired = new Map<string, readonly string[]>();

/**
 * Names indexes a model's schema used to declare: ensureIndexes drops them where an older database still has
 * them (each costs every write; startup would otherwise create the new ones and keep the old). Only these
 * names are dropped, never an index an operator added by hand.
 */
export function retireIndexes(modelName: string, names: readonly string[]): void {
  retired.set(modelName, [...(retired.get(modelName) ?? []), ...names]);
}

/**
 * Creates every collection and the indexes its schema declares, for all models registered on `db`, after
 * dropping the model's retired indexes (first: a new index may reuse a retired one's key pattern).
 */
export async function ensureIndexes(db: Connection, logger?: Logger): Promise<void> {
  for (const model of Object.values(db.models)) {
    await model.createCollection().catch((err: { codeName?: string; code?: number }) => {
      if (err.code !== 48 && err.codeName !== 'NamespaceExists') throw err;
    });
    const old = retired.get(model.modelName) ?? [];
    if (old.length > 0) {
      const present = new Set((await model.collection.indexes()).map((i) => i.name));
      for (const name of old.filter((n) => present.has(n))) {
        await model.collection.dropIndex(name);
        logger?.info({ collection: model.collection.collectionName, index: name }, 'retired index dropped');
      }
    }
    await model.createIndexes();
  }
}

export async function disconnectMongo(): Promise<void> {
  await mongoose.disconnect();
}

export { createOrExisting, DUPLICATE_KEY_CODE, duplicateKeysOnly, isDuplicateKey } from './mongo-errors';
export { oid } from './object-id';
export { pageByIdAsc, pageByIdDesc, type IdPage } from './id-page';
export { pageByKey, encodeKeyCursor } from './key-page';
export { allPages } from './all-pages';
export { containsPattern } from './contains';
export { cursorPages } from './cursor-pages';
