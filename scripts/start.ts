import { loadConfig } from '../server/src/config';
import { createLogger } from '../server/src/core/logger';
import { exitOnSignals, startServer } from '../server/src/main';
import { startWechatFake } from '../server/wechat-fake';
import { buildConsole, consoleBuildExists, consoleBuildState } from './console-build';
import { buildH5, h5BuildState } from './h5-build';
import { DEFAULT_H5_ROOT, h5BuildExists, startH5Server } from './h5-server';
import { runSeed } from './seed/run-seed';

/**
 * `npm start`: the whole product on one machine with zero set-up. Without MONGODB_URI / REDIS_URL the
 * API brings up the embedded MongoDB (data in DATA_DIR, default .data/) and a redis-server child; without
 * WECHAT_API_BASE_URL the WeChat fake starts on loopback and the API is pointed at it. Then the seed
 * data is applied (idempotent) and the URLs are printed. The H5 app is built first when the build is missing
 * or older than its sources (while the API starts; H5_BUILD=skip serves whatever is there), and so is the staff
 * console (CONSOLE_BUILD=skip).
 */
async function main(): Promise<void> {
  const stops: Array<() => Promise<void>> = [];
  const print = (line: string) => console.log(line);

  const h5State = process.env.H5_BUILD === 'skip' ? null : await h5BuildState(DEFAULT_H5_ROOT);
  if (h5State)
    print(`H5 app ${h5State === 'missing' ? 'not built yet' : 'older than its sources'}: building it (a few minutes the first time)…`);
  const h5Build = h5State ? buildH5(print) : Promise.resolve();
  // Don't crash on an early rejection: it is awaited (and reported) before the H5 server starts.
  h5Build.catch(() => undefined);

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

  // The staff console (server/console), built when missing or older than its sources, while the API starts;
  // the API serves it at /console (503 CONSOLE_NOT_BUILT until the build is written). CONSOLE_BUILD=skip serves what is there.
  const consoleReason = process.env.CONSOLE_BUILD === 'skip' ? null : await consoleBuildState(config.consoleDir);
  let consoleNote = '';
  const consoleBuild = consoleReason ? buildConsole(config.consoleDir, print) : Promise.resolve();
  if (consoleReason)
    print(`Staff console ${consoleReason === 'missing' ? 'not built yet' : 'older than its sources'}: building it → ${config.consoleDir}`);
  const consoleStarted = Date.now();
  const consoleBuilt = consoleBuild.then(
    () => {
      if (consoleReason) print(`Staff console built in ${((Date.now() - consoleStarted) / 1000).toFixed(1)} s`);
    },
    (err: unknown) => {
      // The API and the H5 app work without it: say so and go on.
      const why = err instanceof Error ? err.message : String(err);
      consoleNote = `  (build failed: ${why}; npm run build:console)`;
      print(`Staff console build failed: ${why}`);
    },
  );
  const running = await startServer(config, logger, { beforeListen: (deps, services) => runSeed(deps, services, print) });
  stops.unshift(running.stop);
  if (wechatFakeUrl) {
    // The fake pushes image-check verdicts like WeChat does; only now is the API's address known.
    const res = await fetch(`${wechatFakeUrl}/__fake/push-target`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${running.url}/api/v1/wechat/push` }),
    });
    if (!res.ok) throw new Error(`WeChat fake refused the push target: ${res.status} ${await res.text()}`);
  }

  // H5 app (miniprogram/dist/h5) on its own port, forwarding /api to the API: see README "H5 app".
  let h5Url: string | undefined;
  const h5Built = await h5Build.then(
    () => true,
    (err: unknown) => (print(`H5 build failed: ${err instanceof Error ? err.message : String(err)}`), false),
  );
  if (h5Built && (await h5BuildExists(DEFAULT_H5_ROOT))) {
    const h5Port = Number(process.env.H5_PORT ?? 3001);
    const h5 = await startH5Server({
      root: DEFAULT_H5_ROOT,
      apiUrl: running.url,
      wechatFakeUrl: wechatFakeUrl ?? null,
      host: process.env.H5_HOST ?? '127.0.0.1',
      port: h5Port,
    }).catch((err: unknown) => {
      // A busy default port should not stop the API: take any free one.
      if ((err as { code?: string }).code === 'EADDRINUSE' && !process.env.H5_PORT) {
        return startH5Server({ root: DEFAULT_H5_ROOT, apiUrl: running.url, wechatFakeUrl: wechatFakeUrl ?? null, port: 0 });
      }
      throw err;
    });
    stops.unshift(h5.stop);
    h5Url = `${h5.url}/`;
  }

  await consoleBuilt;
  if (!consoleNote && !consoleBuildExists(config.consoleDir)) consoleNote = '  (not built: npm run build:console)';
  print('');
  print('融媒社区 is running');
  print(`  API            ${running.url}/api/v1`);
  print(`  API reference  ${running.url}/api/docs`);
  print(`  Health         ${running.url}/healthz  ·  ${running.url}/readyz`);
  print(`  Console        ${running.url}/console/${consoleNote}`);
  print(
    `  H5 app         ${h5Url ?? (h5State ? '(build failed: see above; fix it and run npm start again)' : '(not built: npm run build:h5)')}`,
  );
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
