import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths whose values never reach a log line. Wildcards cover the same field wherever it nests
 * (request headers, bodies echoed in errors, WeChat responses).
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-wechat-signature"]',
  'res.headers["set-cookie"]',
  '*.authorization',
  '*.password',
  '*.passwordHash',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.session_key',
  '*.sessionKey',
  '*.secret',
  '*.appSecret',
  '*.jwtSecret',
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'access_token',
  'session_key',
  'sessionKey',
  'secret',
  'appSecret',
];

export interface LoggerOptions {
  level: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: pino.DestinationStream;
}

/** One structured (JSON) logger for the process; modules take `deps.logger.child({ module })`. */
export function createLogger({ level, destination }: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'rongmei-api' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
