/**
 * Runs the WeChat fake standalone for development: `npm run wechat-fake`.
 * Environment: WECHAT_FAKE_PORT (default 3900), WECHAT_APP_ID, WECHAT_APP_SECRET, WECHAT_PUSH_URL,
 * WECHAT_PUSH_TOKEN, WECHAT_TEMPLATE_IDS (comma-separated).
 */
import { startWechatFake } from './index';

async function main(): Promise<void> {
  const env = process.env;
  const fake = await startWechatFake({
    port: Number(env.WECHAT_FAKE_PORT ?? 3900),
    appId: env.WECHAT_APP_ID ?? 'wx_dev_appid',
    appSecret: env.WECHAT_APP_SECRET ?? 'dev_app_secret',
    pushUrl: env.WECHAT_PUSH_URL,
    pushToken: env.WECHAT_PUSH_TOKEN,
    templateIds: env.WECHAT_TEMPLATE_IDS ? env.WECHAT_TEMPLATE_IDS.split(',').map((t) => t.trim()) : undefined,
    // Users in the dev database outlive the fake's in-memory state.
    acceptAnyOpenid: true,
    log: (msg) => console.log(msg),
  });
  console.log(`WeChat fake listening on ${fake.url} (login codes: POST ${fake.url}/__fake/login-code)`);
  const shutdown = () => void fake.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
