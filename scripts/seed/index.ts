import { loadConfig } from '../../server/src/config';
import { ensureIndexes } from '../../server/src/core/db';
import { createLogger } from '../../server/src/core/logger';
import { openInfrastructure } from '../../server/src/main';
import { buildServices } from '../../server/src/services';
import { runSeed } from './run-seed';

/** `npm run seed`: fills the configured database (or the embedded one under DATA_DIR) with the county's data. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
  const infra = await openInfrastructure(config, logger);
  const services = buildServices(infra.deps);
  try {
    await ensureIndexes(infra.deps.db);
    await runSeed(infra.deps, services, (line) => console.log(line));
  } finally {
    await services.close();
    await infra.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
