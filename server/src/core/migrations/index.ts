import type { Connection } from 'mongoose';
import type { Logger } from '../logger';

/**
 * A one-off change to data already stored (what a schema change alone can't do: files uploaded before a rule
 * existed). `run` must be idempotent: a process stopped between the run and its record runs it again at the next
 * start, and two API processes starting together may both run it. Its answer (counts) is logged and recorded.
 */
export interface Migration<C> {
  /** Stable and dated, e.g. `2026-12-07-licence-photos-private`: the record's key; never renamed. */
  id: string;
  description: string;
  run(ctx: C): Promise<Record<string, number>>;
}

export interface MigrationRecord {
  _id: string;
  description: string;
  doneAt: Date;
  result: Record<string, number>;
}

/** Where each finished migration is recorded (one document per id). */
export const MIGRATIONS_COLLECTION = 'migrations';

/**
 * Runs, in list order, every migration without a record in `migrations`, recording each once it has finished;
 * returns the ids it ran (none when all were done before). A failing migration stops the run (and startup) with
 * its error: the ones after it may depend on it.
 */
export async function runMigrations<C>(
  db: Connection,
  migrations: readonly Migration<C>[],
  ctx: C,
  logger: Logger,
  now: () => Date = () => new Date(),
): Promise<string[]> {
  const records = db.collection<MigrationRecord>(MIGRATIONS_COLLECTION);
  const done = new Set((await records.find({}, { projection: { _id: 1 } }).toArray()).map((r) => r._id));
  const ran: string[] = [];
  for (const m of migrations) {
    if (done.has(m.id)) continue;
    const started = Date.now();
    const result = await m.run(ctx);
    await records.replaceOne({ _id: m.id }, { description: m.description, doneAt: now(), result }, { upsert: true });
    logger.info({ migration: m.id, result, ms: Date.now() - started }, 'migration done');
    ran.push(m.id);
  }
  return ran;
}
