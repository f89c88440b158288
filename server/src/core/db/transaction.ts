import type { ClientSession, Connection } from 'mongoose';
import { isDuplicateKey } from './mongo-errors';

export interface TransactionOptions {
  /** The error thrown when contention outlasts `maxAttempts` (the caller's domain error, e.g. "busy, retry"). */
  busy(cause: unknown): Error;
  /** Attempts before giving up with `busy` (default 200). */
  maxAttempts?: number;
}

/** A transient transaction error: a write conflict, a duplicate key under a racing insert, NoSuchTransaction… */
export function isTransient(err: unknown): boolean {
  const e = err as { code?: number; errorLabels?: string[]; hasErrorLabel?: (l: string) => boolean; errorLabelSet?: Set<string> };
  if (!e || typeof e !== 'object') return false;
  if (e.code === 112 || isDuplicateKey(e) || e.code === 251) return true;
  if (typeof e.hasErrorLabel === 'function' && e.hasErrorLabel('TransientTransactionError')) return true;
  return Array.isArray(e.errorLabels) && e.errorLabels.includes('TransientTransactionError');
}

function isUnknownCommit(err: unknown): boolean {
  const e = err as { hasErrorLabel?: (l: string) => boolean };
  return typeof e?.hasErrorLabel === 'function' && e.hasErrorLabel('UnknownTransactionCommitResult');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` in a snapshot transaction (majority write concern) and retries it on a fresh snapshot while it
 * fails transiently, with jittered back-off: contenders for one document spread out instead of colliding
 * again. A commit whose result is unknown is committed again (a few times) before the error goes up.
 */
export async function runTransaction<T>(
  db: Connection,
  fn: (session: ClientSession) => Promise<T>,
  options: TransactionOptions,
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 200;
  const session = await db.startSession();
  try {
    for (let attempt = 1; ; attempt++) {
      session.startTransaction({ readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } });
      try {
        const result = await fn(session);
        for (let c = 0; ; c++) {
          try {
            await session.commitTransaction();
            break;
          } catch (err) {
            if (isUnknownCommit(err) && c < 5) continue;
            throw err;
          }
        }
        return result;
      } catch (err) {
        if (session.inTransaction()) await session.abortTransaction().catch(() => undefined);
        if (!isTransient(err)) throw err;
        if (attempt >= maxAttempts) throw options.busy(err);
        await sleep(Math.random() * Math.min(50, 2 * attempt));
      }
    }
  } finally {
    await session.endSession();
  }
}
