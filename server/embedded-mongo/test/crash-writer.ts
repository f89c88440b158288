/**
 * Child process of crash.test.ts: starts the embedded server on the data folder given as argv[2] and
 * writes as fast as it can, printing one stdout line per acknowledged write, until it is killed.
 *   ready <uri>      the server is up
 *   ack <id>         insertOne of { _id: id } was acknowledged
 *   inc <n>          the counter's $inc was acknowledged with value n
 */
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../index';

const WRITERS = 16;

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: crash-writer.ts DATA_DIR');
  const server = await startEmbeddedMongo({ dataDir });
  const client = await new MongoClient(server.uri).connect();
  const coll = client.db('crash').collection<{ _id: number | string; w?: number; pad?: string; n?: number }>('docs');
  await coll.updateOne({ _id: 'counter' }, { $setOnInsert: { n: 0 } }, { upsert: true });
  process.stdout.write(`ready ${server.uri}\n`);
  let next = 0;
  const pad = 'x'.repeat(200);
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (;;) {
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
}

main().catch((err: unknown) => {
  process.stderr.write(`${String((err as Error).stack ?? err)}\n`);
  process.exit(1);
});
