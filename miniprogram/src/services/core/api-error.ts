import { ERROR_CODES, type ErrorKind } from '@shared/errors';

/** Codes the client itself raises (no server answer to read a code from). */
export type ClientErrorCode = 'NETWORK_ERROR' | 'BAD_RESPONSE';

const CLIENT_MESSAGES: Record<ClientErrorCode, string> = {
  NETWORK_ERROR: '网络连接失败，请检查网络后重试',
  BAD_RESPONSE: '服务器返回了无法识别的内容',
};

/**
 * Every failed API call ends as an ApiError: the server's stable code, its Chinese message (or the default
 * message for that code), the HTTP status and the error kind that decides retry / re-login / show.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly kind: ErrorKind | 'network';
  readonly details: unknown;

  constructor(init: { code: string; status: number; message?: string; details?: unknown }) {
    const def = (ERROR_CODES as Record<string, { kind: ErrorKind; message: string } | undefined>)[init.code];
    const clientMessage = (CLIENT_MESSAGES as Record<string, string | undefined>)[init.code];
    super(init.message || def?.message || clientMessage || `请求失败（${init.status}）`);
    this.name = 'ApiError';
    this.code = init.code;
    this.status = init.status;
    this.kind = init.code === 'NETWORK_ERROR' ? 'network' : (def?.kind ?? kindFromStatus(init.status));
    this.details = init.details;
  }

  get isNetwork(): boolean {
    return this.kind === 'network';
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

function kindFromStatus(status: number): ErrorKind {
  if (status === 400) return 'invalid';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 408) return 'timeout';
  if (status === 410) return 'gone';
  if (status === 413) return 'too_large';
  if (status === 422) return 'unprocessable';
  if (status === 429) return 'rate_limited';
  if (status === 431) return 'headers_too_large';
  if (status === 503) return 'unavailable';
  return 'internal';
}

/** Turns a non-2xx answer into an ApiError, reading `{error:{code,message,details}}` when it is there. */
export function errorFromResponse(status: number, body: unknown): ApiError {
  const err = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string') {
    const e = err as { code: string; message?: unknown; details?: unknown };
    return new ApiError({ code: e.code, status, message: typeof e.message === 'string' ? e.message : undefined, details: e.details });
  }
  return new ApiError({ code: status >= 500 ? 'INTERNAL_ERROR' : 'BAD_RESPONSE', status });
}
