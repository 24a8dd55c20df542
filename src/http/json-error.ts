import type { ServerResponse } from 'node:http';
import type { HttpError } from './errors.js';

import { SAY } from './sentences.js';

export const GENERIC_MESSAGE = SAY.generic;

/**
 * The JSON error every API caller gets: `{ error, message }` with the error's status and headers, never cached.
 * Only exposed messages are shown. Works on a bare Node response, so the API proxy and the pages' error handler
 * answer alike.
 */
export function writeJsonError(res: ServerResponse, error: HttpError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: error.code, message: error.expose ? error.message : GENERIC_MESSAGE });
  res.writeHead(error.status, {
    ...error.headers,
    'cache-control': 'no-store',
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
