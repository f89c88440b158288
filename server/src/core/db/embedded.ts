import { startEmbeddedMongo } from '../../../embedded-mongo';
import type { Logger } from '../logger';

export interface LocalMongo {
  uri: string;
  stop(): Promise<void>;
}

/**
 * The project's own MongoDB-compatible server, for a machine without MONGODB_URI: data under `dataDir`
 * (npm start) or in memory when `dataDir` is undefined (tests).
 */
export async function startLocalMongo(dataDir: string | undefined, logger: Logger): Promise<LocalMongo> {
  const log = logger.child({ component: 'embedded-mongo' });
  const server = await startEmbeddedMongo({ ...(dataDir ? { dataDir } : {}), log: (msg: string) => log.info(msg) });
  logger.warn({ uri: server.uri, dataDir: dataDir ?? '(memory)' }, 'MONGODB_URI not set: using the embedded MongoDB-compatible server');
  return { uri: server.uri, stop: () => server.stop() };
}
