import { ERROR_CODES, type ErrorCode, type ErrorKind } from '@shared/errors';

interface AppErrorOptions {
  /** A more specific Chinese message than the code's default (e.g. "距离活动地点 850 米，超出签到范围"). */
  message?: string;
  /** Safe, client-facing structured details (field errors, current state…). Never secrets. */
  details?: unknown;
  cause?: unknown;
}

/**
 * The one domain error type. Services throw it with a stable code from shared/errors.ts; the error
 * middleware maps its kind to an HTTP status. Services never deal in HTTP status numbers.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly details: unknown;
  /** Domain errors are meant for the client; unknown errors never are. */
  readonly expose = true;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    super(options.message ?? ERROR_CODES[code].message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.kind = ERROR_CODES[code].kind;
    this.details = options.details;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
