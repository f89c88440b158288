import { randomIdempotencyKey } from '../../services/core/api-client';
import { isApiError } from '../../services/core/api-error';

/**
 * The Idempotency-Key of each batch's grab, kept until the grab is settled. A tap whose answer never came
 * (offline, timeout), or came as "still working on it" (5xx, COUPON_CLAIM_PENDING, REQUEST_IN_PROGRESS),
 * may have been admitted by the server: the next tap sends the same key, so the server answers with that
 * coupon instead of grabbing a second one (batches may allow several per person). A 2xx or a definite
 * refusal (sold out, limit reached, …) settles it: the next tap is a new grab with a new key.
 */
export interface GrabKeys {
  /** The key to send for this batch's grab: the unsettled one from an earlier tap, or a new one. */
  keyFor(batchId: string): string;
  /** After the answer (`error` undefined on success): forget the key unless the grab may still be unsettled. */
  settle(batchId: string, error?: unknown): void;
}

/** Whether a failed grab may have been admitted without the client hearing it. */
export function mayBeAdmitted(error: unknown): boolean {
  if (!isApiError(error)) return true;
  if (error.isNetwork || error.status === 0 || error.status >= 500) return true;
  return error.code === 'REQUEST_IN_PROGRESS' || error.code === 'COUPON_CLAIM_PENDING';
}

export function createGrabKeys(newKey: () => string = randomIdempotencyKey): GrabKeys {
  const keys = new Map<string, string>();
  return {
    keyFor(batchId) {
      let key = keys.get(batchId);
      if (!key) {
        key = newKey();
        keys.set(batchId, key);
      }
      return key;
    },
    settle(batchId, error) {
      if (error === undefined || !mayBeAdmitted(error)) keys.delete(batchId);
    },
  };
}

/** One grab with the batch's current key, settling the key by its answer (the hook's and the tests' path). */
export async function grabWithKey<T>(keys: GrabKeys, batchId: string, claim: (batchId: string, key: string) => Promise<T>): Promise<T> {
  let answer: T;
  try {
    answer = await claim(batchId, keys.keyFor(batchId));
  } catch (err) {
    keys.settle(batchId, err);
    throw err;
  }
  keys.settle(batchId);
  return answer;
}
