import { loadConfig } from '../server/src/config';
import { createLogger } from '../server/src/core/logger';
import { exitOnSignals, startServer } from '../server/src/main';
import { startWechatFake } from '../server/wechat-fake';
import { runSeed } from './seed/run-seed';

/**
 * `npm start`: the whole product on one machine with zero set-up. Without MONGODB_URI / REDIS_URL the
 * API brings up the embedded MongoDB (data in DATA_DIR, default .data/) and a redis-server child; without
 * WECHAT_API_BASE_URL the WeChat fake starts on loopback and the API is pointed at it. Then the seed
 * data is applied (idempotent) and the URLs are printed.
 */
async function main(): Promise<void> {
  const stops: Array<() => Promise<void>> = [];
  const print = (line: string) => console.log(line);

  let wechatFakeUrl: string | undefined;
  if (!process.env.WECHAT_API_BASE_URL && process.env.NODE_ENV !== 'production') {
    const devConfig = loadConfig();
    const fake = await startWechatFake({
      appId: devConfig.wechat.appId,
      appSecret: devConfig.wechat.appSecret,
      pushToken: devConfig.wechat.pushToken,
      port: Number(process.env.WECHAT_FAKE_PORT ?? 0),
      // The dev database outlives a fake restart: openids it issued last time stay valid.
      acceptAnyOpenid: true,
    });
    stops.push(fake.stop);
    wechatFakeUrl = fake.url;
    process.env.WECHAT_API_BASE_URL = fake.url;
  }

  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  const running = await startServer(config, logger, { beforeListen: (deps) => runSeed(deps, print) });
  stops.unshift(running.stop);

  // H5 app: teammate "miniprogram" serves miniprogram/dist/h5 from the API (see README "H5 app"); its URL is printed here.
  print('');
  print('融媒社区 is running');
  print(`  API            ${running.url}/api/v1`);
  print(`  API reference  ${running.url}/api/docs`);
  print(`  Health         ${running.url}/healthz  ·  ${running.url}/readyz`);
  if (wechatFakeUrl) print(`  WeChat fake    ${wechatFakeUrl}`);
  print(`  Data           ${config.mongodbUri ? 'MONGODB_URI' : config.dataDir}`);
  print('Press Ctrl+C to stop.');

  exitOnSignals(logger, async () => {
    for (const stop of stops) await stop();
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
