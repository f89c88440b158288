import { randomIdempotencyKey } from './api-client';
import { isApiError } from './api-error';

/**
 * The Idempotency-Key of each unsettled write, per thing it acts on (a batch to grab, a code to scan): kept
 * until the write is settled. A try whose answer never came (offline, timeout), or came as "still working
 * on it" (5xx, REQUEST_IN_PROGRESS, or a module's own pending codes), may have been applied by the server:
 * the next try sends the same key, so the server answers with that result instead of applying it again (or
 * saying "already used"). A 2xx or a definite refusal settles it: the next try gets a new key.
 */
export interface RetryKeys {
  /** The key to send for `id`: the unsettled one from an earlier try, or a new one. */
  keyFor(id: string): string;
  /** After the answer (`error` undefined on success): forget the key unless the write may still be unsettled. */
  settle(id: string, error?: unknown): void;
}

/** Whether a failed write may have been applied without the client hearing it. */
export function mayBeApplied(error: unknown, pendingCodes: readonly string[] = []): boolean {
  if (!isApiError(error)) return true;
  if (error.isNetwork || error.status === 0 || error.status >= 500) return true;
  return error.code === 'REQUEST_IN_PROGRESS' || pendingCodes.includes(error.code);
}

export function createRetryKeys(newKey: () => string = randomIdempotencyKey, pendingCodes: readonly string[] = []): RetryKeys {
  const keys = new Map<string, string>();
  return {
    keyFor(id) {
      let key = keys.get(id);
      if (!key) {
        key = newKey();
        keys.set(id, key);
      }
      return key;
    },
    settle(id, error) {
      if (error === undefined || !mayBeApplied(error, pendingCodes)) keys.delete(id);
    },
  };
}

/** One try with `id`'s current key, settling the key by its answer. */
export async function sendWithKey<T>(keys: RetryKeys, id: string, send: (id: string, key: string) => Promise<T>): Promise<T> {
  let answer: T;
  try {
    answer = await send(id, keys.keyFor(id));
  } catch (err) {
    keys.settle(id, err);
    throw err;
  }
  keys.settle(id);
  return answer;
}
