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

/** Creates every collection and the indexes its schema declares, for all models registered on `db`. */
export async function ensureIndexes(db: Connection): Promise<void> {
  for (const model of Object.values(db.models)) {
    await model.createCollection().catch((err: { codeName?: string; code?: number }) => {
      if (err.code !== 48 && err.codeName !== 'NamespaceExists') throw err;
    });
    await model.createIndexes();
  }
}

export async function disconnectMongo(): Promise<void> {
  await mongoose.disconnect();
}
