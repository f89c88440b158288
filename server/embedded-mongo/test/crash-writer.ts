/**
 * Child process of crash.test.ts: starts the embedded server on the data folder given as argv[2] and
 * inserts ids from argv[3] (default 0) upwards as fast as it can, printing one stdout line per acknowledged write, until it is killed.
 *   ready <uri>      the server is up
 *   ack <id>         insertOne of { _id: id } was acknowledged
 *   inc <n>          the counter's $inc was acknowledged with value n
 *
 * It is bounded even if nobody kills it: it exits on its own after MAX_WRITES inserts, after
 * MAX_RUN_MS, or as soon as its stdin closes (the test process that spawned it went away).
 */
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../index';

const WRITERS = 8;
const MAX_WRITES = 20_000;
const MAX_RUN_MS = 20_000;

function bail(code: number, why: string): never {
  process.stderr.write(`crash-writer: ${why}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: crash-writer.ts DATA_DIR [FIRST_ID]');
  const firstId = Number(process.argv[3] ?? 0);
  setTimeout(() => bail(3, `not killed within ${MAX_RUN_MS} ms`), MAX_RUN_MS).unref();
  process.stdin.on('end', () => bail(4, 'stdin closed (parent gone)'));
  process.stdin.resume();

  const server = await startEmbeddedMongo({ dataDir });
  const client = await new MongoClient(server.uri).connect();
  const coll = client.db('crash').collection<{ _id: number | string; w?: number; pad?: string; n?: number }>('docs');
  await coll.updateOne({ _id: 'counter' }, { $setOnInsert: { n: 0 } }, { upsert: true });
  process.stdout.write(`ready ${server.uri}\n`);
  let next = firstId;
  const end = firstId + MAX_WRITES;
  const pad = 'x'.repeat(200);
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      while (next < end) {
        const id = next++;
        await coll.insertOne({ _id: id, w, pad });
        process.stdout.write(`ack ${id}\n`);
        if (id % 10 === 0) {
          const after = await coll.findOneAndUpdate({ _id: 'counter' }, { $inc: { n: 1 } }, { returnDocument: 'after' });
          process.stdout.write(`inc ${after!.n}\n`);
        }
      }
    }),
  );
  bail(5, `wrote ${MAX_WRITES} documents without being killed`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String((err as Error).stack ?? err)}\n`);
  process.exit(1);
});
