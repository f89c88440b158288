/**
 * Our API in its own process for the benches (lib.ts startBenchApi, BENCH_API=child): startServer with the
 * configuration of this process's environment (the bench passes DATA_DIR, MONGODB_URI, REDIS_URL…), no cron
 * jobs, exactly as the bench ran it in-process. Spawned with an IPC channel; not a bench itself.
 *
 * IPC: sends `{ type: 'ready', url }` once listening (or `{ type: 'failed', error }`); answers requests
 * `{ id, op }` with `{ id, ok, error? }`: op 'settle' waits for this process's batched durable writes (lib.ts
 * settleWrites), 'profile-start' / 'profile-stop' (with `file`) take a V8 CPU profile, 'stop' closes
 * everything and exits. A lost channel (the bench died) stops the API too; SIGTERM stops it as main.ts does.
 */
import { loadConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/core/logger';
import { exitOnSignals, startServer, type RunningServer } from '../../server/src/main';
import { settleWrites, startCpuProfile } from './lib';

interface Request {
  id: number;
  op: 'settle' | 'profile-start' | 'profile-stop' | 'stop';
  file?: string;
}

const send = (msg: object): Promise<void> =>
  new Promise((resolve) => (process.connected ? process.send!(msg, () => resolve()) : resolve()));

async function main(): Promise<void> {
  if (!process.send) throw new Error('api-child.ts is started by scripts/bench/lib.ts with an IPC channel');
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  let running: RunningServer;
  try {
    running = await startServer(config, logger, { jobs: false });
  } catch (err) {
    await send({ type: 'failed', error: String((err as Error)?.stack ?? err) });
    process.exit(1);
  }
  let profile: ReturnType<typeof startCpuProfile> | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= running.stop());

  process.on('message', (req: Request) => {
    const work = async (): Promise<void> => {
      switch (req.op) {
        case 'settle':
          return settleWrites(running.services);
        case 'profile-start':
          profile = startCpuProfile();
          return;
        case 'profile-stop': {
          const p = profile;
          profile = undefined;
          if (p && req.file) await (await p).stop(req.file);
          return;
        }
        case 'stop':
          return stop();
      }
    };
    work().then(
      async () => {
        await send({ id: req.id, ok: true });
        if (req.op === 'stop') process.exit(0);
      },
      async (err: unknown) => {
        await send({ id: req.id, ok: false, error: String((err as Error)?.stack ?? err) });
        if (req.op === 'stop') process.exit(1);
      },
    );
  });
  // SIGTERM / SIGINT as in production (main.ts): stop taking requests, finish those in flight, flush the writers.
  exitOnSignals(logger, stop);
  // The bench went away without asking: close the connections and go.
  process.once('disconnect', () => {
    void stop().finally(() => process.exit(0));
  });
  await send({ type: 'ready', url: running.url });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
