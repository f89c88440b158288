import { z } from 'zod';

/**
 * The `Idempotency-Key` header of every retry-safe write (the generic middleware, the coupon grab, the vote,
 * the mall's redemption and scans): 8–128 of [A-Za-z0-9_-]. Never a ':' or '|', which the Redis gates use as
 * separators in what they store next to the key. The mini-program's keys (UUID-shaped) pass it.
 */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;
export const IDEMPOTENCY_KEY_MESSAGE = 'Idempotency-Key 须为 8–128 位字母、数字、- 或 _';
export const idempotencyKeySchema = z.string().regex(IDEMPOTENCY_KEY_PATTERN, IDEMPOTENCY_KEY_MESSAGE);
