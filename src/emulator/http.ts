import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface BodyLimit {
  maxBytes: number;
  /** The error the read rejects with once the body passes `maxBytes`. */
  tooLarge(): Error;
  /**
   * What happens to the rest of an oversized body: `destroy` drops the connection (the Cognito endpoint),
   * `drain` reads and discards it so the error answer can still be written (API Gateway).
   */
  overflow: 'destroy' | 'drain';
}

/** Reads a whole request body, refusing it past the limit so one request cannot hold unbounded memory. */
export function readBody(req: IncomingMessage, limit: BodyLimit): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit.maxBytes) {
        reject(limit.tooLarge());
        if (limit.overflow === 'destroy') req.destroy();
        else req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Writes a JSON answer the way AWS front ends do: an exact Content-Length and an `x-amzn-requestid`.
 * `headers` may replace the `application/json` content type and add others.
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(text);
}
