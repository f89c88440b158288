import type { Redis } from 'ioredis';
import { ACCESS_TOKEN_TTL_SECONDS } from './access-tokens';
import { AUTH_CHANGES_CHANNEL, versionMessage } from './auth-mirror';

/**
 * Access tokens carry the holder's roles, so a role change must retire the tokens issued before it.
 * Each user has a roles version (kept on the user document); when it changes, the new value is also put
 * in Redis for one access-token lifetime. A token whose `rv` is below the Redis value is refused as
 * expired and the client refreshes, getting the new roles. After one lifetime no older token is alive,
 * so a missing key simply means "nothing changed lately".
 */
export const rolesVersionKey = (userId: string) => `auth:rv:${userId}`;
const key = rolesVersionKey;

/**
 * The Redis side of a role change (the key, and its news for every process's mirror). The API calls it
 * through TokenChecks.publishRolesVersion, which also updates this process's own copy at once.
 */
export async function publishRolesVersion(redis: Redis, userId: string, version: number): Promise<void> {
  // The key and the news of it in one step, as in token-denylist.ts.
  const results = await redis
    .multi()
    .set(key(userId), String(version), 'EX', ACCESS_TOKEN_TTL_SECONDS + 60)
    .publish(AUTH_CHANGES_CHANNEL, versionMessage(userId, version))
    .exec();
  const failed = results?.find(([err]) => err);
  if (!results || failed) throw failed?.[0] ?? new Error('roles version not recorded in Redis');
}

export async function currentRolesVersion(redis: Redis, userId: string): Promise<number | null> {
  const raw = await redis.get(key(userId));
  return raw === null ? null : Number(raw);
}
