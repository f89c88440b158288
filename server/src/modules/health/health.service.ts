import type { AppDeps } from '../../core/deps';

export type CheckResult = 'ok' | 'down';
export interface HealthService {
  check(): Promise<{ mongo: CheckResult; redis: CheckResult }>;
}

/** A dependency that doesn't answer within this long counts as down: a load balancer must not wait. */
const CHECK_TIMEOUT_MS = 1500;

async function probe(run: () => Promise<unknown>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve('down'), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      run().then(
        (): CheckResult => 'ok',
        (): CheckResult => 'down',
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function createHealthService({ db, redis }: Pick<AppDeps, 'db' | 'redis'>): HealthService {
  return {
    async check() {
      const [mongo, redisResult] = await Promise.all([
        probe(async () => {
          if (!db.db) throw new Error('not connected');
          await db.db.admin().ping();
        }),
        probe(async () => {
          if ((await redis.ping()) !== 'PONG') throw new Error('unexpected PING reply');
        }),
      ]);
      return { mongo, redis: redisResult };
    },
  };
}
