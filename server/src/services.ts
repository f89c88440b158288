import { accessTokensFor, createTokenChecks, type AccessTokens, type TokenChecks } from './core/auth';
import type { AppDeps } from './core/deps';
import { createAuditNames, createAuditService, type AuditNames, type AuditService } from './modules/audit';
import { createAuthService, type AuthService } from './modules/auth';
import { createCampaignsService, type CampaignsService } from './modules/campaigns';
import { createCirclesService, type CirclesService } from './modules/circles';
import { createCommentsService, type CommentsService } from './modules/comments';
import { createConsoleService, type ConsoleService } from './modules/console';
import { createContestsService, type ContestsService } from './modules/contests';
import { createCouponsService, type CouponsService } from './modules/coupons';
import { createHealthService, type HealthService } from './modules/health';
import { createMallService, type MallService } from './modules/mall';
import { createMerchantsService, type MerchantsService } from './modules/merchants';
import { createNotificationsService, type NotificationsService } from './modules/notifications';
import { createFeedCache, createNewsroomService, type FeedCache, type NewsroomService } from './modules/newsroom';
import { createPointsService, type PointsService } from './modules/points';
import { createStatsService, type StatsService } from './modules/stats';
import { createStorageService, type StorageService } from './modules/storage';
import { createSubmissionsService, type SubmissionsService } from './modules/submissions';
import { createUsersService, type UsersService } from './modules/users';
import { createSearchService, type SearchService } from './modules/search';
import { createVolunteersService, type VolunteersService } from './modules/volunteers';
import { createWenzhengService, type WenzhengService } from './modules/wenzheng';

/**
 * Every service of the API process, each built once (buildServices). The app's routers, the middleware in
 * app.ts, the cron jobs, the seed and the tests all use these instances: process state (the feed cache, the
 * token checks, the batched writers) lives in the object that owns it, not in module-level maps.
 */
export interface Services {
  /** Issues and verifies access tokens (one verified-token cache for the process). */
  accessTokens: AccessTokens;
  /** The Redis facts behind tokens (logouts, role changes): pub/sub mirror + recent checks. */
  tokenChecks: TokenChecks;
  /** Serialised feed and article pages, shared by the newsroom service and the anonymous fast path. */
  feedCache: FeedCache;
  health: HealthService;
  audit: AuditService;
  /**
   * Names on the audit log's pages (actors, targets), read through the modules that own them: built after them,
   * since they all write to the audit log.
   */
  auditNames: AuditNames;
  users: UsersService;
  /** The one outbox of notices: in-app messages, consent-gated subscribe messages, the message centre. */
  notifications: NotificationsService;
  points: PointsService;
  newsroom: NewsroomService;
  circles: CirclesService;
  comments: CommentsService;
  storage: StorageService;
  submissions: SubmissionsService;
  wenzheng: WenzhengService;
  merchants: MerchantsService;
  coupons: CouponsService;
  mall: MallService;
  contests: ContestsService;
  campaigns: CampaignsService;
  search: SearchService;
  volunteers: VolunteersService;
  auth: AuthService;
  /** The staff console's to-do counts (over submissions, 问政, circles and merchants). */
  console: ConsoleService;
  /** Daily roll-ups (the stats-rollup job), the 数据看板 and the console's exports. */
  stats: StatsService;
  /**
   * Stops what the services own (the token mirror's subscription), then writes what the batched writers hold
   * (coupon claims, votes, mall redemptions: answered, not yet stored) and closes them (retries waiting for
   * their back-off are left pending). Graceful shutdown awaits it, bounded
   * (main.ts); whatever it could not write stays pending for reconciliation.
   */
  close(): Promise<void>;
}

/**
 * The composition root: builds every service once, in dependency order, each given the built services it
 * uses. To add a module: its `create<Feature>Service(deps, ports)` here (one line, after what it needs, and
 * its field in Services), and its `create<Feature>Module` in app.ts's MODULES.
 */
export function buildServices(deps: AppDeps): Services {
  const accessTokens = accessTokensFor(deps);
  const tokenChecks = createTokenChecks(deps);
  const feedCache = createFeedCache(deps.redis, deps.clock);

  const health = createHealthService(deps);
  const audit = createAuditService(deps);
  const storage = createStorageService(deps);
  const users = createUsersService(deps, { audit, tokenChecks, uploads: storage });
  const notifications = createNotificationsService(deps, { users });
  const points = createPointsService(deps, { audit, notifications });
  const newsroom = createNewsroomService(deps, { points, feedCache, audit });
  const circles = createCirclesService(deps, { users, audit, notifications });
  const comments = createCommentsService(deps, { users, newsroom, audit, notifications });
  const submissions = createSubmissionsService(deps, { users, circles, storage, newsroom, points, notifications });
  const wenzheng = createWenzhengService(deps, { users, storage, notifications });
  const merchants = createMerchantsService(deps, { users, newsroom, storage, notifications });
  const coupons = createCouponsService(deps, { notifications, merchants });
  const mall = createMallService(deps, { points, audit });
  const contests = createContestsService(deps, { users, submissions, points, notifications });
  const campaigns = createCampaignsService(deps, { users, notifications, circles, submissions, newsroom, points });
  const volunteers = createVolunteersService(deps, { users, points, notifications });
  const search = createSearchService(deps, { newsroom, merchants, volunteers });
  const auth = createAuthService(deps, { users, audit, accessTokens, tokenChecks });
  const auditNames = createAuditNames({ users, circles, merchants, newsroom, mall, volunteers, wenzheng });
  const consoleService = createConsoleService(deps, { submissions, wenzheng, circles, merchants });
  const stats = createStatsService(deps, {
    users,
    newsroom,
    submissions,
    circles,
    wenzheng,
    volunteers,
    coupons,
    merchants,
    points,
    audit,
  });

  return {
    accessTokens,
    tokenChecks,
    feedCache,
    health,
    audit,
    auditNames,
    users,
    notifications,
    points,
    newsroom,
    circles,
    comments,
    storage,
    submissions,
    wenzheng,
    merchants,
    coupons,
    mall,
    contests,
    campaigns,
    search,
    volunteers,
    auth,
    console: consoleService,
    stats,
    async close() {
      tokenChecks.close();
      await Promise.all([coupons.close(), contests.close(), mall.close()]);
    },
  };
}
