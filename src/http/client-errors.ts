import { STATUS_CODES } from 'node:http';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { answering } from './shutdown.js';

const REFUSED = Symbol('refused');
type Marked = Socket & { [REFUSED]?: number };

/** The status Node gives a request it cannot parse or that took too long (its own `socketOnError` choices). */
const statusFor = (code: string | undefined) =>
  code === 'HPE_HEADER_OVERFLOW'
    ? 431
    : code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW'
      ? 413
      : code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 408
        : 400;

/**
 * Answers a request Node cannot parse (a broken chunk, an unknown Transfer-Encoding, headers too large, too slow)
 * as Node itself would, and remembers on the connection which status it sent. A request whose body turned out to be
 * malformed has already reached a handler: the proxy asks `refusedWith` what the browser was told, so the call is
 * logged as that 4xx, not as the API failing.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const status = statusFor(err.code);
    const res = answering(socket);
    // Node's own rule: answer only when no answer on this connection has begun or one is still unfinished.
    if (socket.writable && (!res || res.writableFinished || !res.headersSent)) {
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\n\r\n`);
      (socket as Marked)[REFUSED] = status;
    }
    socket.destroy(err);
  });
}

/** The status `answerClientErrors` sent on this connection, if it refused a request there. */
export const refusedWith = (socket: Socket): number | undefined => (socket as Marked)[REFUSED];
