import { ApiError, errorFromResponse } from './api-error';
import type { TokenStore } from './token-store';

/**
 * The typed API client, free of Taro so plain unit tests reach it. The Taro binding (services/request.ts)
 * supplies the transport (Taro.request), the storage and the toast.
 *
 * - attaches the access token;
 * - non-2xx answers become ApiError with the server's Chinese message (toast unless `silent`);
 * - a 401 refreshes the session once (POST /api/v1/auth/refresh) and replays; when that fails it asks
 *   `relogin` (WeChat: Taro.login again) and replays once more;
 * - idempotent requests (GET/HEAD, or writes carrying an Idempotency-Key) are retried on network failure;
 * - writes that need it get an Idempotency-Key, the same one on every retry;
 * - every request names this install (X-Device-Id): the server limits sign-ins per device before it falls
 *   back to a per-address ceiling (thousands of phones share a carrier's address).
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export interface TransportRequest {
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  data?: unknown;
}
export interface TransportResponse {
  status: number;
  data: unknown;
}
/** Rejects (any error) only when no HTTP answer came back: offline, DNS, timeout. */
export type Transport = (req: TransportRequest) => Promise<TransportResponse>;

export interface RequestOptions {
  query?: Record<string, string | number | boolean | null | undefined>;
  data?: unknown;
  headers?: Record<string, string>;
  /** No toast on failure (the caller shows its own state). */
  silent?: boolean;
  /** No token, no refresh (login endpoints). */
  anonymous?: boolean;
  /** Send an Idempotency-Key: `true` → a fresh one for this call, or the caller's own key. */
  idempotencyKey?: boolean | string;
  /** Network retries for idempotent requests (default 2). */
  retries?: number;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
}

export interface ApiClientDeps {
  transport: Transport;
  tokens: TokenStore;
  /** '' for same origin (H5 served by our server), else e.g. http://127.0.0.1:3000 */
  baseUrl: string;
  toast?: (message: string) => void;
  /** Gets a new session without the user (WeChat: Taro.login → wechat-login); null when it cannot. */
  relogin?: () => Promise<Session | null>;
  /** Called when the session is gone for good (refresh and re-login failed). */
  onSessionLost?: () => void;
  sleep?: (ms: number) => Promise<void>;
  newIdempotencyKey?: () => string;
  /** This install's stable id, sent as X-Device-Id. */
  deviceId?: () => string;
}

export interface ApiClient {
  request<T>(method: HttpMethod, path: string, opts?: RequestOptions): Promise<T>;
  get<T>(path: string, opts?: Omit<RequestOptions, 'data'>): Promise<T>;
  post<T>(path: string, data?: unknown, opts?: RequestOptions): Promise<T>;
  put<T>(path: string, data?: unknown, opts?: RequestOptions): Promise<T>;
  patch<T>(path: string, data?: unknown, opts?: RequestOptions): Promise<T>;
  del<T>(path: string, opts?: RequestOptions): Promise<T>;
  /** Refreshes the session (single-flight: concurrent 401s share one refresh). */
  refreshSession(): Promise<boolean>;
}

export const REFRESH_PATH = '/api/v1/auth/refresh';
export const DEVICE_ID_HEADER = 'X-Device-Id';

export function buildUrl(baseUrl: string, path: string, query?: RequestOptions['query']): string {
  const qs = Object.entries(query ?? {})
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `${baseUrl.replace(/\/+$/, '')}${path}${qs ? (path.includes('?') ? '&' : '?') + qs : ''}`;
}

/** RFC 4122 v4-shaped key from Math.random (keys only need to be unique, not secret). */
export function randomIdempotencyKey(): string {
  const hex = '0123456789abcdef';
  let s = '';
  for (let i = 0; i < 32; i++) s += hex[Math.floor(Math.random() * 16)];
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-a${s.slice(17, 20)}-${s.slice(20, 32)}`;
}

export function createApiClient(deps: ApiClientDeps): ApiClient {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const newKey = deps.newIdempotencyKey ?? randomIdempotencyKey;
  let refreshing: Promise<boolean> | null = null;

  async function send(
    method: HttpMethod,
    path: string,
    opts: RequestOptions,
    idemKey: string | undefined,
  ): Promise<TransportResponse & { sentToken: string | undefined }> {
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    if (opts.data !== undefined) headers['Content-Type'] = 'application/json';
    const token = opts.anonymous ? undefined : deps.tokens.get()?.accessToken;
    if (token) headers.Authorization = `Bearer ${token}`;
    if (idemKey) headers['Idempotency-Key'] = idemKey;
    const device = deps.deviceId?.();
    if (device) headers[DEVICE_ID_HEADER] = device;
    const req: TransportRequest = { url: buildUrl(deps.baseUrl, path, opts.query), method, headers };
    if (opts.data !== undefined) req.data = opts.data;

    const retriable = method === 'GET' || method === 'HEAD' || idemKey !== undefined;
    const retries = retriable ? (opts.retries ?? 2) : 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return { ...(await deps.transport(req)), sentToken: token };
      } catch (cause) {
        if (attempt >= retries) {
          const err = new ApiError({ code: 'NETWORK_ERROR', status: 0 });
          (err as { cause?: unknown }).cause = cause;
          throw err;
        }
        await sleep(300 * 2 ** attempt);
      }
    }
  }

  async function refreshSession(): Promise<boolean> {
    if (!refreshing) {
      refreshing = (async () => {
        const current = deps.tokens.get();
        if (current?.refreshToken) {
          try {
            const res = await send(
              'POST',
              REFRESH_PATH,
              { anonymous: true, data: { refreshToken: current.refreshToken }, retries: 1 },
              undefined,
            );
            if (res.status >= 200 && res.status < 300) {
              deps.tokens.set(res.data as Session);
              return true;
            }
          } catch {
            // Offline during refresh: fall through to re-login.
          }
        }
        const fresh = deps.relogin ? await deps.relogin().catch(() => null) : null;
        if (fresh) {
          deps.tokens.set(fresh);
          return true;
        }
        deps.tokens.clear();
        deps.onSessionLost?.();
        return false;
      })().finally(() => {
        refreshing = null;
      });
    }
    return refreshing;
  }

  async function request<T>(method: HttpMethod, path: string, opts: RequestOptions = {}): Promise<T> {
    const idemKey = opts.idempotencyKey === true ? newKey() : typeof opts.idempotencyKey === 'string' ? opts.idempotencyKey : undefined;
    try {
      let res = await send(method, path, opts, idemKey);
      if (res.status === 401 && !opts.anonymous) {
        const stored = deps.tokens.get()?.accessToken;
        // Another request may already have refreshed while this one was in flight: just replay.
        if ((stored !== undefined && stored !== res.sentToken) || (await refreshSession())) {
          res = await send(method, path, opts, idemKey);
        }
      }
      if (res.status >= 200 && res.status < 300) return (res.status === 204 ? undefined : res.data) as T;
      throw errorFromResponse(res.status, res.data);
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : new ApiError({ code: 'BAD_RESPONSE', status: 0 });
      if (!opts.silent) deps.toast?.(apiErr.message);
      throw apiErr;
    }
  }

  return {
    request,
    get: (path, opts) => request('GET', path, opts),
    post: (path, data, opts) => request('POST', path, { ...opts, data }),
    put: (path, data, opts) => request('PUT', path, { ...opts, data }),
    patch: (path, data, opts) => request('PATCH', path, { ...opts, data }),
    del: (path, opts) => request('DELETE', path, opts),
    refreshSession,
  };
}
