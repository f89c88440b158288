import { randomIdempotencyKey } from '../../services/core/api-client';
import { createRetryKeys, mayBeApplied, sendWithKey, type RetryKeys } from '../../services/core/retry-keys';

/**
 * The Idempotency-Key of each batch's grab, kept until the grab is settled (services/core/retry-keys.ts). A tap
 * whose answer never came (offline, timeout), or came as "still working on it" (5xx, COUPON_CLAIM_PENDING,
 * REQUEST_IN_PROGRESS), may have been admitted by the server: the next tap sends the same key, so the server
 * answers with that coupon instead of grabbing a second one (batches may allow several per person). A 2xx or a
 * definite refusal (sold out, limit reached, …) settles it: the next tap is a new grab with a new key.
 */
export type GrabKeys = RetryKeys;

const PENDING = ['COUPON_CLAIM_PENDING'];

/** Whether a failed grab may have been admitted without the client hearing it. */
export const mayBeAdmitted = (error: unknown): boolean => mayBeApplied(error, PENDING);

export const createGrabKeys = (newKey: () => string = randomIdempotencyKey): GrabKeys => createRetryKeys(newKey, PENDING);

/** One grab with the batch's current key, settling the key by its answer (the hook's and the tests' path). */
export const grabWithKey = <T>(keys: GrabKeys, batchId: string, claim: (batchId: string, key: string) => Promise<T>): Promise<T> =>
  sendWithKey(keys, batchId, claim);
