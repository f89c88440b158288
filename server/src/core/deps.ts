import type Router from '@koa/router';
import type { Connection } from 'mongoose';
import type { Redis } from 'ioredis';
import type { Config } from '../config';
import type { Clock } from './clock';
import type { Logger } from './logger';
import type { WechatClient } from './wechat';

/*
 * The contract between the app and its feature modules. It lives in core, not in app.ts: app.ts lists
 * every module, so a module that took its types from there closed a circle through all of them.
 */

/** Everything a module may use. Built once by main.ts (or the test harness) and passed down. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  /** The mongoose connection (the default one: models declared with `mongoose.model` live on it). */
  db: Connection;
  redis: Redis;
  /** WeChat's server API (the fake in dev and tests), sharing its access token through Redis. */
  wechat: WechatClient;
}

/** What a feature module hands to the app. A module may return more (its service…) for tests and jobs. */
export interface AppModule {
  router: Router;
}
