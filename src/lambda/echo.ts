import { redactHeaders } from './redact.js';
import type { ProxyHandler } from './types.js';

/**
 * Echoes what arrived (method, path, query, headers, body), so tests can prove what the proxy sent. Credential
 * headers come back as fingerprints (`Bearer [redacted sha256:…]`): the answer reaches the browser.
 */
export const echo: ProxyHandler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json', 'set-cookie': 'upstream=1; Path=/' },
  body: JSON.stringify({
    method: event.httpMethod,
    path: event.path,
    query: event.queryStringParameters,
    headers: redactHeaders(event.multiValueHeaders),
    body: event.body,
    isBase64Encoded: event.isBase64Encoded,
    claims: event.requestContext.authorizer?.claims ?? null,
  }),
});
