import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/**
 * A throwaway redis-server on a free loopback port, for unit tests that need a server of their own (the
 * WeChat client's token tests) rather than the run's shared one.
 */
export async function startTestRedis(): Promise<{ redis: Redis; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: null });
  for (let attempt = 0; ; attempt++) {
    try {
      await redis.connect();
      await redis.ping();
      break;
    } catch (err) {
      if (spawnError) throw new Error(`redis-server could not start: ${spawnError.message}`);
      if (attempt > 100) throw err;
      redis.disconnect();
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    redis,
    stop: async () => {
      redis.disconnect();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
