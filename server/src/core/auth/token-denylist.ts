import type { Redis } from 'ioredis';
import type { Clock } from '../clock';
import { forgetChecks } from './recent-checks';

/**
 * Access tokens are stateless, so logging out cannot recall one: instead its jti is denied in Redis
 * until the token would have expired anyway (every API process sees the same list). The entry outlives
 * the token by a minute so clock skew between processes never lets it back in.
 */
export const denyKey = (jti: string) => `auth:deny:${jti}`;

export async function denyAccessToken(redis: Redis, clock: Clock, token: { jti: string; exp: number }): Promise<void> {
  const secondsLeft = token.exp - Math.floor(clock.now().getTime() / 1000);
  if (secondsLeft <= 0) return;
  await redis.set(denyKey(token.jti), '1', 'EX', secondsLeft + 60);
  forgetChecks({ jti: token.jti });
}
