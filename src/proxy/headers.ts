/** RFC 9110 section 7.6.1: connection-specific headers a proxy must not forward. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Never forwarded upstream: the browser's credentials and our own anti-forgery header. */
const STRIPPED_REQUEST = new Set(['host', 'cookie', 'authorization', 'x-csrf', 'expect']);
/** Never forwarded to the browser: the upstream cannot set cookies on our origin. */
const STRIPPED_RESPONSE = new Set(['set-cookie', 'set-cookie2']);

function connectionTokens(value: string | string[] | undefined): Set<string> {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(
    joined
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** The headers to send upstream, from the raw list (keeps repeated headers), plus the bearer token. */
export function upstreamRequestHeaders(rawHeaders: string[], bearer: string): Record<string, string | string[]> {
  const named = new Set<string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() === 'connection')
      for (const t of connectionTokens(rawHeaders[i + 1])) named.add(t);
  }
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const value = rawHeaders[i + 1] ?? '';
    if (HOP_BY_HOP.has(name) || STRIPPED_REQUEST.has(name) || named.has(name)) continue;
    const existing = out[name];
    out[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  out['authorization'] = `Bearer ${bearer}`;
  return out;
}

/** The upstream's response headers the browser may see. */
export function downstreamResponseHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const named = connectionTokens(headers['connection']);
  const out: Record<string, string | string[]> = {};
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(name) || STRIPPED_RESPONSE.has(name) || named.has(name)) continue;
    out[name] = value;
  }
  return out;
}
