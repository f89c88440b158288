/**
 * A fake of WeChat's server API for dev and tests: a real HTTP server on loopback that answers like
 * api.weixin.qq.com (see shared/reference/wechat-api.md) plus /__fake control endpoints. Self-contained:
 * it imports nothing from server/src, so it can never agree with our client by sharing its bugs.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWechatFakeApp } from './app';
import { WechatFakeState } from './state';
import type { WechatFakeControl, WechatFakeOptions } from './types';

export type * from './types';

export interface RunningWechatFake {
  /** e.g. http://127.0.0.1:41234 — the app's WeChat base URL. */
  url: string;
  port: number;
  control: WechatFakeControl;
  stop(): Promise<void>;
}

/** Starts the fake WeChat API server on loopback (a free port unless `port` is given). */
export async function startWechatFake(options: WechatFakeOptions): Promise<RunningWechatFake> {
  const state = new WechatFakeState(options);
  const server = createServer(createWechatFakeApp(state, options.log).callback());
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    control: state,
    stop: async () => {
      state.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
