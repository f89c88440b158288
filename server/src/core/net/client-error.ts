import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ERROR_CODES, type ErrorCode } from '@shared/errors';
import { STATUS_BY_KIND } from '../errors';

/** Node's parser and timeout errors → our code (Node itself would answer 431 / 413 / 408 / 400). */
function codeFor(err: NodeJS.ErrnoException): ErrorCode {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return 'REQUEST_HEADER_TOO_LARGE';
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return 'PAYLOAD_TOO_LARGE';
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 'REQUEST_TIMEOUT';
    default:
      return 'BAD_REQUEST';
  }
}

/**
 * The http server's `clientError` listener. A request Node cannot parse (a 20 KB request line, a broken
 * header, a bad chunk) never reaches Koa, and Node's default answer is a bare status line with no body;
 * this answers with the one error shape instead, then closes the connection (the parser state is lost).
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  // A reset peer reads nothing, and a socket already part-way through a response must not get a second one.
  if (err.code === 'ECONNRESET' || !socket.writable || ((socket as { bytesWritten?: number }).bytesWritten ?? 0) > 0) {
    socket.destroy();
    return;
  }
  const code = codeFor(err);
  const def = ERROR_CODES[code];
  const status = STATUS_BY_KIND[def.kind];
  const body = JSON.stringify({ error: { code, message: def.message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'X-Content-Type-Options: nosniff\r\n' +
      'Connection: close\r\n\r\n' +
      body,
    () => socket.destroy(),
  );
}
