import { loadConfig } from '../server/src/config';
import { ensureIndexes } from '../server/src/core/db';
import { createLogger } from '../server/src/core/logger';
import { runMigrations } from '../server/src/core/migrations';
import { openInfrastructure } from '../server/src/main';
import { MIGRATIONS } from '../server/src/migrations';
import { buildServices } from '../server/src/services';

/**
 * `npm run migrate`: runs the data migrations not yet recorded on the configured database (the API does the same
 * at start; this is for running them before a deploy, or on a database no API has opened since).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info' });
  const infra = await openInfrastructure(config, logger);
  const services = buildServices(infra.deps);
  try {
    await ensureIndexes(infra.deps.db);
    const ran = await runMigrations(infra.deps.db, MIGRATIONS, { deps: infra.deps, services }, logger);
    console.log(ran.length ? `migrations run: ${ran.join(', ')}` : 'no migration to run');
  } finally {
    await services.close();
    await infra.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
