import type { ErrorKind } from '@shared/errors';

/** The single table mapping domain error kinds to HTTP statuses. */
export const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = Object.freeze({
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  headers_too_large: 431,
  timeout: 408,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
});
