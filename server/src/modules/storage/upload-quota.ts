import type { Redis } from 'ioredis';
import type { Clock } from '../../core/clock';
import { AppError } from '../../core/errors';
import { msToShanghaiMidnight, shanghaiDay } from '../../core/time';

export interface UploadQuotaPolicy {
  filesPerDay: number;
  bytesPerDay: number;
}

/** A person's uploads per Shanghai day: files and the bytes actually stored. */
export interface UploadQuota {
  /**
   * Counts one file of `bytes` against today's quota; over it → 429 UPLOAD_DAILY_QUOTA (nothing counted).
   * The answer gives the file back when it could not be stored after all.
   */
  reserve(userId: string, bytes: number): Promise<{ release(): Promise<void> }>;
}

/**
 * Check and count in one atomic step, so concurrent uploads cannot overshoot together.
 * KEYS[1] the user's hash for the day; ARGV bytes, filesPerDay, bytesPerDay, ttlSeconds.
 * Returns {1} when counted, {0, files, bytes} (the day's use so far) when refused.
 */
const RESERVE = `
local size, maxFiles, maxBytes, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local h = redis.call('HMGET', KEYS[1], 'files', 'bytes')
local files, bytes = tonumber(h[1]) or 0, tonumber(h[2]) or 0
if files + 1 > maxFiles or bytes + size > maxBytes then return {0, files, bytes} end
redis.call('HINCRBY', KEYS[1], 'files', 1)
redis.call('HINCRBY', KEYS[1], 'bytes', size)
redis.call('EXPIRE', KEYS[1], ttl)
return {1}
`;

/**
 * Per-user daily upload quota in Redis (shared by every API process), on the business clock's Shanghai
 * day: each image also costs one of WeChat's media checks, which have a daily quota of their own.
 */
export function createUploadQuota(redis: Redis, clock: Clock, policy: UploadQuotaPolicy): UploadQuota {
  const today = () => {
    const now = clock.now();
    return { day: shanghaiDay(now), msLeft: msToShanghaiMidnight(now) };
  };
  const key = (userId: string, day: string) => `quota:upload:${userId}:${day}`;
  return {
    async reserve(userId, bytes) {
      const { day, msLeft } = today();
      // Kept a day past its own so the count survives a business clock that is behind the wall clock.
      const ttlSeconds = Math.ceil(msLeft / 1000) + 24 * 3600;
      const result = (await redis.eval(
        RESERVE,
        1,
        key(userId, day),
        bytes,
        policy.filesPerDay,
        policy.bytesPerDay,
        ttlSeconds,
      )) as number[];
      if (result[0] === 1) {
        return {
          async release() {
            await redis.multi().hincrby(key(userId, day), 'files', -1).hincrby(key(userId, day), 'bytes', -bytes).exec();
          },
        };
      }
      const [, files = 0, used = 0] = result;
      throw new AppError('UPLOAD_DAILY_QUOTA', {
        details: {
          retryAfterSeconds: Math.ceil(msLeft / 1000),
          filesPerDay: policy.filesPerDay,
          bytesPerDay: policy.bytesPerDay,
          filesToday: files,
          bytesToday: used,
        },
      });
    },
  };
}
