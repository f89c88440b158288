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

/** Sockets already answered: the failed parser reports the same error again for every later chunk. */
const answered = new WeakSet<Duplex>();

/** How long the client may go on sending (the rest of a 40 KB URL) after the answer, before the socket is closed. */
const LINGER_MS = 2_000;

/**
 * The http server's `clientError` listener. A request Node cannot parse (a 20 KB request line, a broken
 * header, a bad chunk) never reaches Koa, and Node's default answer is a bare status line with no body;
 * this answers with the one error shape instead, then closes the connection (the parser state is lost).
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (answered.has(socket)) return;
  // A reset peer reads nothing, and an answer written while a response is in flight on this socket (a
  // pipelined request) would corrupt it. `_httpMessage` is how Node's own default handler tells; between
  // two requests of a keep-alive connection it is null, and the bad request gets its answer.
  const inFlight = (socket as { _httpMessage?: unknown })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight) {
    socket.destroy();
    return;
  }
  answered.add(socket);
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
  );
  // Lingering close: destroying now, while the client is still sending, makes the kernel reset the
  // connection and the client loses the answer before reading it. Let it finish, within a bound.
  const timer = setTimeout(() => socket.destroy(), LINGER_MS).unref();
  socket.once('close', () => clearTimeout(timer));
}
