import type { Redis } from 'ioredis';
import type { z } from 'zod';
import type { ErrorCode } from '@shared/errors';
import { systemClock, type Clock } from '../clock';
import { AppError } from '../errors';
import { accessTokenResponse, code2SessionResponse, mediaCheckAsyncResponse, msgSecCheckResponse, phoneNumberResponse } from './responses';
import { WechatApiError, isWechatApiError } from './wechat-api-error';

export type ContentSuggest = 'pass' | 'review' | 'risky';

/** msgSecCheck / mediaCheckAsync scenes. */
export const SEC_CHECK_SCENE = { profile: 1, comment: 2, forum: 3, socialLog: 4 } as const;
export type SecCheckScene = (typeof SEC_CHECK_SCENE)[keyof typeof SEC_CHECK_SCENE];

export interface WechatClientOptions {
  /** https://api.weixin.qq.com in production; the fake's URL in dev and tests. */
  baseUrl: string;
  appId: string;
  appSecret: string;
  /** Holds the access_token shared by every API process. */
  redis: Redis;
  /** A pino logger fits; only structured warnings are written, never secrets or tokens. */
  logger?: { warn(details: object, message: string): void };
  clock?: Clock;
  /** Per request, default 5000 ms. */
  timeoutMs?: number;
}

export interface WechatSession {
  openid: string;
  /** Server-side only: never send it to a client or a log. */
  sessionKey: string;
  unionid?: string;
}

export interface WechatClient {
  /** Exchanges a wx.login code. Throws WECHAT_CODE_INVALID / WECHAT_CODE_USED / WECHAT_USER_BLOCKED / WECHAT_RATE_LIMITED. */
  code2Session(code: string): Promise<WechatSession>;
  /** The stable access_token, cached in Redis for every process and renewed in its last 5 minutes. */
  getAccessToken(): Promise<string>;
  msgSecCheck(input: {
    openid: string;
    scene: SecCheckScene;
    content: string;
    title?: string;
    nickname?: string;
    signature?: string;
  }): Promise<{ suggest: ContentSuggest; label: number; traceId: string }>;
  /** Starts an async image/audio check; the verdict arrives later as a wxa_media_check push. */
  mediaCheckAsync(input: {
    mediaUrl: string;
    mediaType: 'image' | 'audio';
    openid: string;
    scene: SecCheckScene;
  }): Promise<{ traceId: string }>;
  /** Throws WECHAT_SUBSCRIPTION_REFUSED when the user has no subscription left. */
  sendSubscribeMessage(input: {
    touser: string;
    templateId: string;
    page?: string;
    /** keyword → value, e.g. { thing1: '稿件已通过', time2: '2026-11-24 12:30' }. */
    data: Record<string, string>;
    miniprogramState?: 'developer' | 'trial' | 'formal';
    lang?: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW';
  }): Promise<void>;
  /** A mini-program code (PNG) opening `page` with `scene` (≤32 chars) in its query. */
  getUnlimitedQrCode(input: {
    scene: string;
    page?: string;
    width?: number;
    checkPath?: boolean;
    envVersion?: 'release' | 'trial' | 'develop';
    isHyaline?: boolean;
  }): Promise<Buffer>;
  /** Throws WECHAT_PHONE_CODE_INVALID for a used or expired code. */
  getPhoneNumber(code: string, openid?: string): Promise<{ phoneNumber: string; purePhoneNumber: string; countryCode: string }>;
}

const API = {
  code2Session: '/sns/jscode2session',
  stableToken: '/cgi-bin/stable_token',
  msgSecCheck: '/wxa/msg_sec_check',
  mediaCheckAsync: '/wxa/media_check_async',
  subscribeSend: '/cgi-bin/message/subscribe/send',
  unlimitedQrCode: '/wxa/getwxacodeunlimit',
  phoneNumber: '/wxa/business/getuserphonenumber',
} as const;

/** errcodes people can act on, per API, then for every API. Anything else stays a WechatApiError (a 500). */
const USER_FACING: Readonly<Record<string, Readonly<Record<number, ErrorCode>>>> = {
  [API.code2Session]: { 40029: 'WECHAT_CODE_INVALID', 40163: 'WECHAT_CODE_USED', 40226: 'WECHAT_USER_BLOCKED' },
  [API.phoneNumber]: { 40029: 'WECHAT_PHONE_CODE_INVALID' },
  [API.subscribeSend]: { 43101: 'WECHAT_SUBSCRIPTION_REFUSED' },
};
const ANY_API: Readonly<Record<number, ErrorCode>> = {
  [-1]: 'WECHAT_UNAVAILABLE',
  45009: 'WECHAT_RATE_LIMITED',
  45011: 'WECHAT_RATE_LIMITED',
};

const REFRESH_MARGIN_MS = 5 * 60_000;

/** Deletes the cached token only if it is still the one WeChat rejected (another process may have renewed it). */
const DELETE_IF_TOKEN = `
local cached = redis.call('GET', KEYS[1])
if cached and cjson.decode(cached).token == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

interface CachedToken {
  token: string;
  refreshAt: number;
  expiresAt: number;
}

interface SendInit {
  method: 'GET' | 'POST';
  query?: Record<string, string>;
  body?: unknown;
  /** The API answers raw bytes on success (JSON only on failure). */
  binary?: boolean;
}

export function createWechatClient(options: WechatClientOptions): WechatClient {
  const { appId, appSecret, redis, logger } = options;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 5000;
  const tokenKey = `wechat:stable-token:${appId}`;
  let inflight: Promise<string> | null = null;
  let forcing: Promise<string> | null = null;

  const unavailable = (api: string, reason: string, cause?: unknown) => {
    logger?.warn({ api, reason, err: cause instanceof Error ? cause.message : undefined }, 'WeChat API unavailable');
    return new AppError('WECHAT_UNAVAILABLE', { cause });
  };

  async function send(api: string, init: SendInit): Promise<unknown> {
    const url = new URL(`${baseUrl}${api}`);
    for (const [key, value] of Object.entries(init.query ?? {})) url.searchParams.set(key, value);
    let res: Response;
    try {
      res = await fetch(url, {
        method: init.method,
        headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw unavailable(api, 'network', err);
    }
    if (!res.ok) throw unavailable(api, `HTTP ${res.status}`);
    let json: unknown;
    try {
      if (init.binary && res.headers.get('content-type')?.startsWith('image/')) return Buffer.from(await res.arrayBuffer());
      json = await res.json();
    } catch (err) {
      throw unavailable(api, 'unreadable body', err);
    }
    const { errcode, errmsg } = (json ?? {}) as { errcode?: unknown; errmsg?: unknown };
    if (typeof errcode === 'number' && errcode !== 0) {
      const error = new WechatApiError(api, errcode, typeof errmsg === 'string' ? errmsg : '');
      const code = USER_FACING[api]?.[errcode] ?? ANY_API[errcode];
      if (code === 'WECHAT_UNAVAILABLE') throw unavailable(api, `errcode ${errcode}`, error);
      if (code) throw new AppError(code, { cause: error });
      throw error;
    }
    return json;
  }

  function parse<T extends z.ZodType>(api: string, schema: T, json: unknown): z.output<T> {
    const result = schema.safeParse(json);
    if (!result.success) throw unavailable(api, 'unexpected response shape', result.error);
    return result.data;
  }

  async function readCachedToken(): Promise<CachedToken | null> {
    const raw = await redis.get(tokenKey);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as CachedToken;
    } catch {
      return null; // an unreadable entry is just a cache miss: the next fetch overwrites it
    }
  }

  async function fetchStableToken(cached: CachedToken | null, forceRefresh: boolean): Promise<string> {
    try {
      const body = { grant_type: 'client_credential', appid: appId, secret: appSecret, force_refresh: forceRefresh };
      const { access_token, expires_in } = parse(
        API.stableToken,
        accessTokenResponse,
        await send(API.stableToken, { method: 'POST', body }),
      );
      const now = clock.now().getTime();
      const lifetimeMs = expires_in * 1000;
      const entry: CachedToken = {
        token: access_token,
        // WeChat hands out a new stable token in the last 5 minutes; ask again from then on.
        refreshAt: now + Math.max(lifetimeMs - REFRESH_MARGIN_MS, lifetimeMs / 2),
        expiresAt: now + lifetimeMs,
      };
      await redis.set(tokenKey, JSON.stringify(entry), 'PX', lifetimeMs);
      return access_token;
    } catch (err) {
      // A token still inside its lifetime beats failing every call while WeChat hiccups.
      if (!forceRefresh && cached && clock.now().getTime() < cached.expiresAt) {
        logger?.warn(
          { api: API.stableToken, err: err instanceof Error ? err.message : String(err) },
          'Using the cached access_token after a failed refresh',
        );
        return cached.token;
      }
      throw err;
    }
  }

  async function getAccessToken(): Promise<string> {
    const cached = await readCachedToken();
    if (cached && clock.now().getTime() < cached.refreshAt) return cached.token;
    // Normal-mode stable_token answers every process the same token, so a per-process single flight
    // is enough: concurrent processes cannot revoke each other's tokens.
    inflight ??= fetchStableToken(cached, false).finally(() => {
      inflight = null;
    });
    return inflight;
  }

  async function renewAfterRejection(rejected: string): Promise<string> {
    await redis.eval(DELETE_IF_TOKEN, 1, tokenKey, rejected);
    const token = await getAccessToken();
    if (token !== rejected) return token;
    // WeChat still hands out the token it rejects: only a forced refresh (20 a day) gets a new one.
    forcing ??= fetchStableToken(null, true).finally(() => {
      forcing = null;
    });
    return forcing;
  }

  /** A POST with ?access_token=; on 40001/42001 the token is renewed and the call retried once. */
  async function authed(api: string, body: unknown, binary = false): Promise<unknown> {
    const token = await getAccessToken();
    try {
      return await send(api, { method: 'POST', query: { access_token: token }, body, binary });
    } catch (err) {
      if (!isWechatApiError(err, 40001, 42001)) throw err;
      logger?.warn({ api, errcode: err.errcode }, 'WeChat rejected the access_token; renewing it and retrying once');
      const renewed = await renewAfterRejection(token);
      return send(api, { method: 'POST', query: { access_token: renewed }, body, binary });
    }
  }

  return {
    async code2Session(code) {
      const query = { appid: appId, secret: appSecret, js_code: code, grant_type: 'authorization_code' };
      const res = parse(API.code2Session, code2SessionResponse, await send(API.code2Session, { method: 'GET', query }));
      return { openid: res.openid, sessionKey: res.session_key, ...(res.unionid ? { unionid: res.unionid } : {}) };
    },

    getAccessToken,

    async msgSecCheck({ openid, scene, content, title, nickname, signature }) {
      const body = { version: 2, openid, scene, content, title, nickname, signature };
      const res = parse(API.msgSecCheck, msgSecCheckResponse, await authed(API.msgSecCheck, body));
      return { suggest: res.result.suggest, label: res.result.label, traceId: res.trace_id };
    },

    async mediaCheckAsync({ mediaUrl, mediaType, openid, scene }) {
      const body = { media_url: mediaUrl, media_type: mediaType === 'audio' ? 1 : 2, version: 2, openid, scene };
      const res = parse(API.mediaCheckAsync, mediaCheckAsyncResponse, await authed(API.mediaCheckAsync, body));
      return { traceId: res.trace_id };
    },

    async sendSubscribeMessage({ touser, templateId, page, data, miniprogramState, lang }) {
      const wrapped = Object.fromEntries(Object.entries(data).map(([key, value]) => [key, { value }]));
      const body = { touser, template_id: templateId, page, data: wrapped, miniprogram_state: miniprogramState, lang };
      await authed(API.subscribeSend, body);
    },

    async getUnlimitedQrCode({ scene, page, width, checkPath, envVersion, isHyaline }) {
      const body = { scene, page, width, check_path: checkPath, env_version: envVersion, is_hyaline: isHyaline };
      const res = await authed(API.unlimitedQrCode, body, true);
      if (!Buffer.isBuffer(res)) throw unavailable(API.unlimitedQrCode, 'expected an image');
      return res;
    },

    async getPhoneNumber(code, openid) {
      const res = parse(API.phoneNumber, phoneNumberResponse, await authed(API.phoneNumber, { code, openid }));
      const { phoneNumber, purePhoneNumber, countryCode } = res.phone_info;
      return { phoneNumber, purePhoneNumber, countryCode };
    },
  };
}
