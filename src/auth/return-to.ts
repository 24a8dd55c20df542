const PLACEHOLDER_ORIGIN = 'http://bff.invalid';

/**
 * Where to send the user after sign-in: only a path on this site. Anything that a browser could read as another
 * origin (`//evil`, `/\evil`, `https://evil`, `javascript:`, their percent-encoded or control-character
 * variants) becomes `/`.
 */
export function safeReturnTo(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2048) return '/';
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return '/';
  let decoded = raw;
  try {
    for (let i = 0; i < 3 && decoded.includes('%'); i++) decoded = decodeURIComponent(decoded);
  } catch {
    return '/';
  }
  if (decoded.startsWith('//') || decoded.includes('\\') || /^\/*[a-z][a-z0-9+.-]*:/i.test(decoded.slice(1)))
    return '/';
  let url: URL;
  try {
    url = new URL(raw, PLACEHOLDER_ORIGIN);
  } catch {
    return '/';
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
