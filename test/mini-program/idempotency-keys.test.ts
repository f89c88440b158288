/**
 * The mini-program's Idempotency-Keys (miniprogram/src/services/core/api-client.ts randomIdempotencyKey,
 * the default of every retry-key store) pass the server's one rule for the header (shared/schemas/idempotency.ts):
 * a key the server refused would turn every retry-safe write into a 400.
 */
import { idempotencyKeySchema } from '@shared/schemas/idempotency';
import { randomIdempotencyKey } from '../../miniprogram/src/services/core/api-client';
import { createRetryKeys } from '../../miniprogram/src/services/core/retry-keys';

describe('mini-program Idempotency-Keys', () => {
  it('every generated key passes the shared Idempotency-Key schema, and they differ', () => {
    const keys = Array.from({ length: 200 }, () => randomIdempotencyKey());
    for (const key of keys) expect(idempotencyKeySchema.safeParse(key).success).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('the retry-key store hands out such keys by default', () => {
    expect(idempotencyKeySchema.safeParse(createRetryKeys().keyFor('batch-1')).success).toBe(true);
  });

  it('the schema refuses what the server refuses (too short, a separator, a space)', () => {
    for (const bad of ['short', 'has:colon-key', 'has|bar-key', 'bad key!', 'x'.repeat(129)]) {
      expect(idempotencyKeySchema.safeParse(bad).success).toBe(false);
    }
  });
});
