import type Router from '@koa/router';
import Koa from 'koa';
import { writeLimitPlan } from './config';
import type { AppDeps, AppModule } from './core/deps';
import { authenticate } from './core/auth';
import {
  corsForH5,
  dispatchRouters,
  errorHandler,
  jsonBody,
  notFound,
  requestId,
  requestLogger,
  securityHeaders,
  serveConsole,
} from './core/middleware';
import { createOpenApiRouter } from './core/openapi';
import { applyWriteLimits, retryAfterHeader } from './core/rate-limit';
import { createWechatClient } from './core/wechat';
import { createHealthModule } from './modules/health';
import { createAuditModule } from './modules/audit';
import { createAuthModule } from './modules/auth';
import { createUsersModule } from './modules/users';
import { cachedPublicReads, createNewsroomModule } from './modules/newsroom';
import { createCirclesModule } from './modules/circles';
import { createCommentsModule } from './modules/comments';
import { createStorageModule } from './modules/storage';
import { createSubmissionsModule } from './modules/submissions';
import { createWenzhengModule } from './modules/wenzheng';
import { createMerchantsModule } from './modules/merchants';
import { createCouponsModule } from './modules/coupons';
import { createPointsModule } from './modules/points';
import { createMallModule } from './modules/mall';
import { createContestsModule } from './modules/contests';
import { createCampaignsModule } from './modules/campaigns';
import { createSearchModule } from './modules/search';
import { createVolunteersModule } from './modules/volunteers';
import { createConsoleModule } from './modules/console';
import { createStatsModule } from './modules/stats';
import { createNotificationsModule } from './modules/notifications';
import type { Services } from './services';

/** Builds the deps main.ts and the test harness share, from what each of them connected. */
export function assembleDeps(base: Omit<AppDeps, 'wechat'>): AppDeps {
  const { config, redis, logger, clock } = base;
  const wechat = createWechatClient({
    baseUrl: config.wechat.apiBaseUrl,
    appId: config.wechat.appId,
    appSecret: config.wechat.appSecret,
    redis,
    logger: logger.child({ component: 'wechat' }),
    clock,
  });
  return { ...base, wechat };
}

/** A module's router, made from the app's deps and its built services (each module takes the ones it uses). */
type ModuleFactory = (deps: AppDeps, services: Services) => AppModule;

/**
 * The modules mounted by the app, in order. To add a feature: its service in services.ts (buildServices),
 * `create<Feature>Module(deps, services)` in `modules/<feature>/index.ts`, then one line here.
 */
const MODULES: readonly ModuleFactory[] = [
  createHealthModule,
  createAuthModule,
  createUsersModule,
  createAuditModule,
  createNewsroomModule,
  createCirclesModule,
  createCommentsModule,
  createStorageModule,
  createSubmissionsModule,
  createWenzhengModule,
  createMerchantsModule,
  createCouponsModule,
  createPointsModule,
  createMallModule,
  createContestsModule,
  createCampaignsModule,
  createVolunteersModule,
  createConsoleModule,
  createStatsModule,
  createSearchModule,
  createNotificationsModule,
];

/**
 * Every module's router, each write route behind its rate limit (server/src/config/write-limits.ts says
 * which budget, or why none).
 */
export function moduleRouters(deps: AppDeps, services: Services): Router[] {
  const routers = MODULES.map((create) => create(deps, services).router);
  applyWriteLimits(routers, deps.redis, writeLimitPlan(deps.config.rateLimits));
  return routers;
}

/** The Koa app and the routers it mounted (the route table that test/http/authz-matrix.test.ts walks). */
export type ApiApp = Koa & { readonly routers: readonly Router[] };

/**
 * Builds the Koa app on services built once by the caller (`buildServices(deps)`: main.ts, the test harness).
 * Never listens and never starts jobs: main.ts and supertest do that.
 */
export function createApp(deps: AppDeps, services: Services): ApiApp {
  const app = new Koa();
  app.proxy = deps.config.trustProxy;
  // The client is the address the outermost of our proxies saw, not whatever the client itself put first.
  app.maxIpsCount = deps.config.trustProxyHops;
  // Koa would print errors itself; the error handler already logged them with the request id.
  app.silent = true;

  app.use(requestId());
  app.use(requestLogger(deps.logger));
  app.use(errorHandler(deps.logger));
  app.use(retryAfterHeader());
  app.use(securityHeaders());
  // The staff console's build at /console (its own CSP and caching); everything else passes on.
  app.use(serveConsole(deps.config.consoleDir));
  app.use(corsForH5(deps.config.h5Origins));
  // Anonymous feed/article GETs whose cached bytes are ready: answered here, as the routes would answer them.
  app.use(cachedPublicReads(services));
  app.use(jsonBody(deps.config.bodyLimit));
  // Sets ctx.state.user from a bearer token when one is present; routes decide whether they need it.
  app.use(authenticate(services));

  const routers = moduleRouters(deps, services);
  routers.push(createOpenApiRouter(routers));
  app.use(notFound());
  // Each request visits only the routers with a route under its first path segments (same order).
  app.use(dispatchRouters(routers));
  const routes: readonly Router[] = routers;
  return Object.assign(app, { routers: routes });
}
