import path from 'node:path';
import { z } from 'zod';

/** Shipped so a fresh clone starts with no set-up; production refuses to run with it. */
/** Where `npm run build:console` writes the staff console (server/console/dist), independent of the working directory. */
export const CONSOLE_BUILD_DIR = path.resolve(__dirname, '..', '..', 'console', 'dist');

export const DEV_JWT_SECRET = 'dev-only-jwt-secret-do-not-use-in-production';
/** Only the WeChat fake accepts it. */
export const DEV_WECHAT_APP_SECRET = 'dev-wechat-app-secret';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Empty strings in the environment mean "not set" (a blank `REDIS_URL=` line in a .env file). */
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

const booleanFlag = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A rate-limit or quota figure: a positive whole number. */
const limitOf = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000_000).default(fallback);

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Behind a load balancer: trust X-Forwarded-For so rate limits see the client's address. */
    TRUST_PROXY: booleanFlag.default(false),
    /** With TRUST_PROXY: how many proxies append to X-Forwarded-For; the client is the address that many from the right. */
    TRUST_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
    MONGODB_URI: optionalString.pipe(z.string().url().optional()),
    MONGODB_DB_NAME: z.string().min(1).default('rongmei'),
    REDIS_URL: optionalString.pipe(z.string().url().optional()),
    JWT_SECRET: z.string().min(16).default(DEV_JWT_SECRET),
    WECHAT_API_BASE_URL: z.string().url().default('https://api.weixin.qq.com'),
    WECHAT_APP_ID: z.string().min(1).default('wxdevappid000000'),
    WECHAT_APP_SECRET: optionalString,
    /** Token configured in the WeChat console for message-push (mediaCheckAsync results) signatures. */
    WECHAT_PUSH_TOKEN: z.string().min(1).default('dev-wechat-push-token'),
    /** Origins allowed by CORS (the H5 app); comma-separated. */
    H5_ORIGIN: z
      .string()
      .default('http://127.0.0.1:3000,http://localhost:3000,http://127.0.0.1:10086,http://localhost:10086')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    /** Where `npm start` keeps the embedded database and uploads. */
    DATA_DIR: z.string().default('.data'),
    /** The staff console's build (npm run build:console), served at /console. */
    CONSOLE_DIR: optionalString,
    LOG_LEVEL: z.enum(LOG_LEVELS).optional(),
    /** Largest JSON body accepted, in bytes-string form understood by `bytes` (e.g. "1mb"). */
    BODY_LIMIT: z.string().default('1mb'),
    /**
     * The API process lets V8's old space grow to (1 + this/100) × the heap that survived the last full GC
     * before collecting again (V8's own choice, 0, goes up to 4× under load: ~330 MB RSS for a ~50 MB heap).
     */
    HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(300).default(100),
    /**
     * How clients and WeChat's content check reach this API (uploaded images' URLs); default
     * http://127.0.0.1:<the port the API is listening on> (PORT, or the one the system picked for PORT=0).
     */
    PUBLIC_BASE_URL: optionalString.pipe(z.string().url().optional()),
    /** Where uploaded images live: `local` (DATA_DIR/uploads) or `s3` (an S3-compatible bucket); either way served by the API. */
    STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
    /** S3-compatible object store (STORAGE_DRIVER=s3): endpoint, bucket, region and keys (SigV4). */
    S3_ENDPOINT: optionalString.pipe(z.string().url().optional()),
    S3_BUCKET: optionalString,
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_ACCESS_KEY_ID: optionalString,
    S3_SECRET_ACCESS_KEY: optionalString,
    /** `true` (default): https://endpoint/bucket/key, as MinIO and most compatible stores want; `false`: https://bucket.endpoint/key. */
    S3_FORCE_PATH_STYLE: booleanFlag.default(true),
    /** 问政 subscribe-message template ids (from the mini-program's WeChat console; the fake accepts any id). */
    WENZHENG_TEMPLATE_PROGRESS: z.string().min(1).default('WZ_CASE_PROGRESS'),
    WENZHENG_TEMPLATE_TASK: z.string().min(1).default('WZ_DEPT_TASK'),
    WENZHENG_TEMPLATE_ESCALATION: z.string().min(1).default('WZ_ESCALATION'),
    WENZHENG_TEMPLATE_DIGEST: z.string().min(1).default('WZ_DAILY_DIGEST'),
    WENZHENG_TEMPLATE_LEADER_COPY: z.string().min(1).default('WZ_LEADER_COPY'),
    /** Other subscribe-message template ids (WeChat console). */
    TEMPLATE_POINTS_EXPIRY: z.string().min(1).default('points-expiry-notice'),
    TEMPLATE_COUPON_EXPIRY: z.string().min(1).default('rongmei-coupon-expiry'),
    TEMPLATE_CAMPAIGN_LAUNCH: z.string().min(1).default('rongmei-campaign-launch'),
    TEMPLATE_VOLUNTEER_WAITLIST: z.string().min(1).default('rongmei-volunteer-waitlist-promoted'),
    TEMPLATE_ACTIVITY_REMINDER: z.string().min(1).default('rongmei-activity-reminder'),
    TEMPLATE_APPLICATION_RESULT: z.string().min(1).default('rongmei-application-result'),
    TEMPLATE_REVIEW_RESULT: z.string().min(1).default('rongmei-review-result'),
    TEMPLATE_CONTEST_RESULT: z.string().min(1).default('rongmei-contest-result'),
    TEMPLATE_COMMENT_REPLY: z.string().min(1).default('rongmei-comment-reply'),
    /**
     * Which keyword of each template carries which field, as JSON overriding the defaults per template
     * (server/src/modules/notifications/templates.ts), e.g. {"pointsExpiry":{"points":"number4"}}: the keywords are
     * fixed when the template is picked in the WeChat console.
     */
    NOTIFICATION_TEMPLATE_FIELDS: optionalString.pipe(
      z
        .string()
        .transform((raw, ctx) => {
          try {
            return JSON.parse(raw) as unknown;
          } catch {
            ctx.addIssue({ code: 'custom', message: 'NOTIFICATION_TEMPLATE_FIELDS is not JSON' });
            return z.NEVER;
          }
        })
        .pipe(z.record(z.string(), z.record(z.string(), z.string().regex(/^[a-z_]+\d+$/, 'a keyword like thing1'))))
        .optional(),
    ),
    /** Subscribe messages per user, kind and Shanghai day (in-app messages are never limited). */
    NOTIFICATION_DAILY_LIMIT: limitOf(20),
    /** Attempts of one subscribe message on WeChat's transient errors before it is given up, and the first back-off. */
    NOTIFICATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
    NOTIFICATION_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    /** Rate limits (per minute unless named otherwise); see server/src/config/write-limits.ts for which route gets which. */
    RATE_LIMIT_WRITES_PER_MINUTE: limitOf(30),
    RATE_LIMIT_CHECKED_WRITES_PER_MINUTE: limitOf(10),
    RATE_LIMIT_DRAFTS_PER_MINUTE: limitOf(10),
    RATE_LIMIT_DRAFTS_PER_DAY: limitOf(50),
    RATE_LIMIT_UPLOADS_PER_MINUTE: limitOf(10),
    UPLOAD_DAILY_FILES: limitOf(100),
    UPLOAD_DAILY_MB: limitOf(200),
    RATE_LIMIT_IP_PER_MINUTE: limitOf(600),
    RATE_LIMIT_LOGIN_PER_DEVICE: limitOf(10),
    RATE_LIMIT_LOGIN_PER_OPENID: limitOf(10),
    RATE_LIMIT_STAFF_LOGIN_PER_IP: limitOf(60),
  })
  .superRefine((env, ctx) => {
    if (env.STORAGE_DRIVER !== 's3') return;
    for (const name of ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: `STORAGE_DRIVER=s3 needs ${name}` });
    }
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    if (env.JWT_SECRET === DEV_JWT_SECRET || env.JWT_SECRET.length < 32) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'production needs its own JWT_SECRET of at least 32 characters (not the development default)',
      });
    }
    if (!env.WECHAT_APP_SECRET || env.WECHAT_APP_SECRET === DEV_WECHAT_APP_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['WECHAT_APP_SECRET'], message: 'production needs the real WECHAT_APP_SECRET' });
    }
    if (!env.MONGODB_URI) {
      ctx.addIssue({ code: 'custom', path: ['MONGODB_URI'], message: 'production needs MONGODB_URI (a replica set)' });
    }
    if (!env.REDIS_URL) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'production needs REDIS_URL' });
    }
    // Goes into uploaded pictures' URLs and printed certificate QR codes: a loopback default would be unreachable.
    if (!env.PUBLIC_BASE_URL?.startsWith('https://')) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_BASE_URL'],
        message: 'production needs PUBLIC_BASE_URL, the https address phones and WeChat reach this API at',
      });
    }
  });

export type Config = Readonly<{
  nodeEnv: 'development' | 'test' | 'production';
  isProduction: boolean;
  host: string;
  port: number;
  trustProxy: boolean;
  /** Proxies in front of the API that append to X-Forwarded-For (Koa's maxIpsCount). */
  trustProxyHops: number;
  mongodbUri: string | undefined;
  mongodbDbName: string;
  redisUrl: string | undefined;
  jwtSecret: string;
  wechat: Readonly<{ apiBaseUrl: string; appId: string; appSecret: string; pushToken: string }>;
  h5Origins: readonly string[];
  dataDir: string;
  /** The staff console's build served at /console (default server/console/dist). */
  consoleDir: string;
  logLevel: (typeof LOG_LEVELS)[number];
  bodyLimit: string;
  /** V8 --heap-growing-percent for the API process (0: V8's default). */
  heapGrowingPercent: number;
  /** PUBLIC_BASE_URL, or http://127.0.0.1:<listening port> (read it when needed: with PORT=0 it is known after listen). */
  publicBaseUrl: string;
  storage: Readonly<{ driver: 'local' | 's3'; dir: string; s3: S3Config | null }>;
  wenzheng: Readonly<{ templates: WenzhengTemplates }>;
  /** Subscribe-message template ids of the other modules. */
  templates: Readonly<{
    pointsExpiry: string;
    couponExpiry: string;
    campaignLaunch: string;
    volunteerWaitlist: string;
    activityReminder: string;
    applicationResult: string;
    reviewResult: string;
    contestResult: string;
    commentReply: string;
  }>;
  notifications: NotificationsConfig;
  rateLimits: RateLimits;
}>;

/** The notifications outbox: limits, retries, and per-template keyword overrides (ids come from the *_TEMPLATE_* settings). */
export type NotificationsConfig = Readonly<{
  dailyLimitPerKind: number;
  maxAttempts: number;
  retryBaseMs: number;
  /** templateKey → field → keyword, overriding the defaults. */
  fieldOverrides: Readonly<Record<string, Readonly<Record<string, string>>>>;
}>;

/** Budgets operators tune (counts per minute unless named otherwise). */
export type RateLimits = Readonly<{
  /** Any write route not named otherwise, per signed-in user and route. */
  writesPerMinute: number;
  /** Writes that make WeChat check content or a phone number (WeChat's own daily quotas). */
  checkedWritesPerMinute: number;
  /** New submissions (drafts), per user: a minute and a 24-hour window. */
  draftsPerMinute: number;
  draftsPerDay: number;
  uploadsPerMinute: number;
  /** Per user and Shanghai day: files stored and their bytes. */
  uploadFilesPerDay: number;
  uploadBytesPerDay: number;
  /** Per client address (sign-in, anonymous writes): a ceiling sized for carrier NAT. */
  ipPerMinute: number;
  /** WeChat sign-in and refresh per device (X-Device-Id), and per WeChat user. */
  loginPerDevice: number;
  loginPerOpenid: number;
  /** Staff password sign-in per client address (the per-account lockout is the brute-force guard). */
  staffLoginPerIp: number;
}>;

/** 问政 subscribe-message templates: progress to citizens, tasks/reminders to departments, escalations, digests, copies to leaders. */
export type WenzhengTemplates = Readonly<{ progress: string; task: string; escalation: string; digest: string; leaderCopy: string }>;

export type S3Config = Readonly<{
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}>;

/** Thrown when the environment is unusable; lists every problem at once so one restart fixes all. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** The port each config's API actually listens on (main.ts tells it after listen), for the default PUBLIC_BASE_URL. */
const listeningPorts = new WeakMap<Config, number>();

/** Records the port the API bound, so the default public URL is right when PORT=0 let the system pick one. */
export function setListeningPort(config: Config, port: number): void {
  listeningPorts.set(config, port);
}

/** Parses the environment once. The result is frozen: configuration never changes at run time. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const e = parsed.data;
  const defaultLevel = e.NODE_ENV === 'test' ? 'silent' : 'info';
  const config: Config = {
    nodeEnv: e.NODE_ENV,
    isProduction: e.NODE_ENV === 'production',
    host: e.HOST,
    port: e.PORT,
    trustProxy: e.TRUST_PROXY,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    mongodbUri: e.MONGODB_URI,
    mongodbDbName: e.MONGODB_DB_NAME,
    redisUrl: e.REDIS_URL,
    jwtSecret: e.JWT_SECRET,
    wechat: Object.freeze({
      apiBaseUrl: e.WECHAT_API_BASE_URL.replace(/\/+$/, ''),
      appId: e.WECHAT_APP_ID,
      appSecret: e.WECHAT_APP_SECRET ?? DEV_WECHAT_APP_SECRET,
      pushToken: e.WECHAT_PUSH_TOKEN,
    }),
    h5Origins: Object.freeze([...e.H5_ORIGIN]),
    dataDir: path.resolve(e.DATA_DIR),
    consoleDir: e.CONSOLE_DIR ? path.resolve(e.CONSOLE_DIR) : CONSOLE_BUILD_DIR,
    logLevel: e.LOG_LEVEL ?? defaultLevel,
    bodyLimit: e.BODY_LIMIT,
    heapGrowingPercent: e.HEAP_GROWING_PERCENT,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/+$/, ''),
    storage: Object.freeze({
      driver: e.STORAGE_DRIVER,
      dir: path.resolve(e.DATA_DIR, 'uploads'),
      s3:
        e.STORAGE_DRIVER === 's3'
          ? Object.freeze({
              endpoint: e.S3_ENDPOINT!.replace(/\/+$/, ''),
              bucket: e.S3_BUCKET!,
              region: e.S3_REGION,
              accessKeyId: e.S3_ACCESS_KEY_ID!,
              secretAccessKey: e.S3_SECRET_ACCESS_KEY!,
              forcePathStyle: e.S3_FORCE_PATH_STYLE,
            })
          : null,
    }),
    wenzheng: Object.freeze({
      templates: Object.freeze({
        progress: e.WENZHENG_TEMPLATE_PROGRESS,
        task: e.WENZHENG_TEMPLATE_TASK,
        escalation: e.WENZHENG_TEMPLATE_ESCALATION,
        digest: e.WENZHENG_TEMPLATE_DIGEST,
        leaderCopy: e.WENZHENG_TEMPLATE_LEADER_COPY,
      }),
    }),
    templates: Object.freeze({
      pointsExpiry: e.TEMPLATE_POINTS_EXPIRY,
      couponExpiry: e.TEMPLATE_COUPON_EXPIRY,
      campaignLaunch: e.TEMPLATE_CAMPAIGN_LAUNCH,
      volunteerWaitlist: e.TEMPLATE_VOLUNTEER_WAITLIST,
      activityReminder: e.TEMPLATE_ACTIVITY_REMINDER,
      applicationResult: e.TEMPLATE_APPLICATION_RESULT,
      reviewResult: e.TEMPLATE_REVIEW_RESULT,
      contestResult: e.TEMPLATE_CONTEST_RESULT,
      commentReply: e.TEMPLATE_COMMENT_REPLY,
    }),
    notifications: Object.freeze({
      dailyLimitPerKind: e.NOTIFICATION_DAILY_LIMIT,
      maxAttempts: e.NOTIFICATION_MAX_ATTEMPTS,
      retryBaseMs: e.NOTIFICATION_RETRY_BASE_SECONDS * 1000,
      fieldOverrides: Object.freeze(e.NOTIFICATION_TEMPLATE_FIELDS ?? {}),
    }),
    rateLimits: Object.freeze({
      writesPerMinute: e.RATE_LIMIT_WRITES_PER_MINUTE,
      checkedWritesPerMinute: e.RATE_LIMIT_CHECKED_WRITES_PER_MINUTE,
      draftsPerMinute: e.RATE_LIMIT_DRAFTS_PER_MINUTE,
      draftsPerDay: e.RATE_LIMIT_DRAFTS_PER_DAY,
      uploadsPerMinute: e.RATE_LIMIT_UPLOADS_PER_MINUTE,
      uploadFilesPerDay: e.UPLOAD_DAILY_FILES,
      uploadBytesPerDay: e.UPLOAD_DAILY_MB * 1024 * 1024,
      ipPerMinute: e.RATE_LIMIT_IP_PER_MINUTE,
      loginPerDevice: e.RATE_LIMIT_LOGIN_PER_DEVICE,
      loginPerOpenid: e.RATE_LIMIT_LOGIN_PER_OPENID,
      staffLoginPerIp: e.RATE_LIMIT_STAFF_LOGIN_PER_IP,
    }),
  };
  if (!e.PUBLIC_BASE_URL) {
    // Not configured: follow the listening port (unknown before listen when PORT=0).
    Object.defineProperty(config, 'publicBaseUrl', {
      enumerable: true,
      get: () => `http://127.0.0.1:${listeningPorts.get(config) ?? e.PORT}`,
    });
  }
  return Object.freeze(config);
}

/**
 * Settings that start fine but are probably wrong where they are: main.ts logs each as a warning.
 * Production without TRUST_PROXY sees every caller as the load balancer's address, so all per-address
 * limits become one county-wide budget.
 */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.isProduction && !config.trustProxy) {
    warnings.push(
      'TRUST_PROXY is false: behind a load balancer every client has its address, so per-address limits (sign-in, anonymous writes) count the whole county as one caller; set TRUST_PROXY=true (and TRUST_PROXY_HOPS) there',
    );
  }
  return warnings;
}
