import type { Redis } from 'ioredis';
import type { Clock } from '../clock';
import { AUTH_CHANGES_CHANNEL, deniedMessage } from './auth-mirror';

/**
 * Access tokens are stateless, so logging out cannot recall one: instead its jti is denied in Redis
 * until the token would have expired anyway (every API process sees the same list). The entry outlives
 * the token by a minute so clock skew between processes never lets it back in.
 */
export const denyKey = (jti: string) => `auth:deny:${jti}`;

/**
 * The Redis side of a logout (the key, and its news for every process's mirror). The API calls it through
 * TokenChecks.revoke, which also updates this process's own copy at once.
 */
export async function denyAccessToken(redis: Redis, clock: Clock, token: { jti: string; exp: number }): Promise<void> {
  const secondsLeft = token.exp - Math.floor(clock.now().getTime() / 1000);
  if (secondsLeft <= 0) return;
  // The key and the news of it in one step: every process's copy (auth-mirror.ts) hears of it, or none does
  // and the logout fails as a whole.
  const results = await redis
    .multi()
    .set(denyKey(token.jti), '1', 'EX', secondsLeft + 60)
    .publish(AUTH_CHANGES_CHANNEL, deniedMessage(token.jti))
    .exec();
  const failed = results?.find(([err]) => err);
  if (!results || failed) throw failed?.[0] ?? new Error('logout not recorded in Redis');
}
