import type { AuthSessionResponse } from '@shared/schemas/auth';
import type { UploadResponse } from '@shared/schemas/newsroom';
import type { UserView } from '@shared/schemas/users';

/** One field problem as the API reports it (`details.issues` of VALIDATION_FAILED). */
export interface FieldIssue {
  location: 'params' | 'query' | 'body';
  path: string;
  code: string;
  message: string;
}

/** An answer in the API's error shape: a stable code, a Chinese message for people, sometimes details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  /** The field problems of a VALIDATION_FAILED answer (empty for any other error). */
  get issues(): FieldIssue[] {
    const issues = this.details?.issues;
    return Array.isArray(issues) ? (issues as FieldIssue[]) : [];
  }
}

const KEY = 'rongmei-console-session';

export interface StoredSession {
  accessToken: string;
  refreshToken: string;
  user: UserView;
}

/**
 * The session lives in sessionStorage (gone with the tab) unless the person ticked 记住我, then in localStorage.
 * Only the token pair and the user as the API showed them; no password ever.
 */
export const sessionStore = {
  read(): StoredSession | null {
    const raw = sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as StoredSession;
    } catch {
      return null;
    }
  },
  write(session: StoredSession, remember?: boolean): void {
    const keep = remember ?? localStorage.getItem(KEY) !== null;
    (keep ? localStorage : sessionStorage).setItem(KEY, JSON.stringify(session));
    (keep ? sessionStorage : localStorage).removeItem(KEY);
  },
  clear(): void {
    sessionStorage.removeItem(KEY);
    localStorage.removeItem(KEY);
  },
};

type Listener = (session: StoredSession | null) => void;
const listeners = new Set<Listener>();
/** The shell re-renders when the session changes (sign-in, refresh, sign-out, expiry). */
export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
function publish(session: StoredSession | null) {
  for (const l of listeners) l(session);
}

export function saveSession(res: AuthSessionResponse, remember?: boolean): StoredSession {
  const session = { accessToken: res.accessToken, refreshToken: res.refreshToken, user: res.user };
  sessionStore.write(session, remember);
  publish(session);
  return session;
}

export function endSession(): void {
  sessionStore.clear();
  publish(null);
}

async function parse<T>(res: Response): Promise<T> {
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const err = (body as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? 'HTTP_ERROR', err?.message ?? `请求失败（${res.status}）`, err?.details);
  }
  return body as T;
}

// One refresh at a time: several requests failing together share it (the refresh token is single-use).
let refreshing: Promise<StoredSession | null> | null = null;
async function refreshSession(): Promise<StoredSession | null> {
  const current = sessionStore.read();
  if (!current) return null;
  refreshing ??= fetch('/api/v1/auth/refresh', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken: current.refreshToken }),
  })
    .then((res) => parse<AuthSessionResponse>(res))
    .then((res) => saveSession(res))
    .catch(() => {
      endSession();
      return null;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
  /** Extra headers (an Idempotency-Key, so a double click or a retry writes once). */
  headers?: Record<string, string>;
}

/** The query string of a call: empty values are left out. */
function apiUrl(path: string, query: RequestOptions['query']): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  return `/api/v1${path}${qs.size ? `?${qs}` : ''}`;
}

/** A request with the session's bearer token; an expired access token is refreshed once. */
async function authorizedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const send = (token: string | undefined) =>
    fetch(url, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
  const session = sessionStore.read();
  const res = await send(session?.accessToken);
  if (res.status !== 401 || !session) return res;
  const renewed = await refreshSession();
  if (!renewed) throw new ApiError(401, 'TOKEN_EXPIRED', '登录已过期，请重新登录');
  return send(renewed.accessToken);
}

/** A JSON call to the API with the session's bearer token; an expired access token is refreshed once. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await authorizedFetch(apiUrl(path, options.query), {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: { ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  return parse<T>(res);
}

/**
 * A file the API streams (an export), saved under the name its Content-Disposition gives. A bearer token can't
 * ride on a plain link, so the file is fetched and handed to the browser as a blob.
 */
export async function download(path: string, query: RequestOptions['query'], fallbackName: string): Promise<void> {
  const res = await authorizedFetch(apiUrl(path, query));
  if (!res.ok) return parse<never>(res);
  const disposition = res.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await res.blob());
  link.download = encoded ? decodeURIComponent(encoded) : fallbackName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** Uploads an image (POST /files, multipart field `file`) and answers the stored file as the API shows it. */
export async function uploadImage(file: Blob): Promise<UploadResponse['file']> {
  const form = new FormData();
  form.append('file', file);
  const res = await authorizedFetch(apiUrl('/files', {}), { method: 'POST', body: form });
  return (await parse<UploadResponse>(res)).file;
}

/**
 * Every item of a cursor-paged list (`{ items, nextCursor }`), read 100 at a time: for the short lists a page needs
 * whole (circle names beside applications). A list that can grow without bound pages with useCursorPages.
 */
export async function allPages<T>(path: string, query: RequestOptions['query'] = {}): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: T[]; nextCursor: string | null } = await api(path, { query: { ...query, cursor, limit: 100 } });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
