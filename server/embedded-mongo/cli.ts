/**
 * Standalone embedded MongoDB-compatible server: `npm run db -- [--port 27017] [--data-dir DIR]`.
 * Prints the connection URI on stdout; stops cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startEmbeddedMongo } from './index';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '27017' },
      'data-dir': { type: 'string' },
      'ttl-sweep-ms': { type: 'string' },
      'compact-threshold-mb': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write('usage: npm run db -- [--port 27017] [--data-dir DIR] [--ttl-sweep-ms 60000] [--compact-threshold-mb 64]\n');
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${values.port}`);
  const server = await startEmbeddedMongo({
    port,
    dataDir: values['data-dir'],
    ttlSweepMs: values['ttl-sweep-ms'] ? Number(values['ttl-sweep-ms']) : undefined,
    // A bulk load of millions of documents: compaction snapshots the whole store synchronously (seconds), so a
    // loader may push it past the load; the journal is compacted at the next start anyway.
    compactThresholdBytes: values['compact-threshold-mb'] ? Number(values['compact-threshold-mb']) * 1024 * 1024 : undefined,
    log: (msg) => process.stderr.write(`${msg}\n`),
  });
  process.stdout.write(`${server.uri}\n`);
  const shutdown = (): void => {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`embedded-mongo: ${(err as Error).message}\n`);
  process.exit(1);
});
