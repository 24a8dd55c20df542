const PLACEHOLDER_ORIGIN = 'http://bff.invalid';
const MAX_LENGTH = 2048;
/** How many layers of percent-encoding are peeled off to look for a hidden `//` (`%252f` is two layers). */
const DECODE_LAYERS = 3;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const SCHEME_AFTER_SLASHES = /^\/*[a-z][a-z0-9+.-]*:/i;

const pathQueryHash = (url: URL) => `${url.pathname}${url.search}${url.hash}`;

/** A path a browser resolves on this site: one leading `/`, no backslash, no scheme, on the placeholder origin. */
function isLocalPath(value: string): boolean {
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return false;
  if (SCHEME_AFTER_SLASHES.test(value.slice(1))) return false;
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return false;
  }
  return url.origin === PLACEHOLDER_ORIGIN && !url.pathname.startsWith('//');
}

/** The path with its percent-encoding peeled off layer by layer; undefined when a layer is not valid UTF-8. */
function decodedLayers(path: string): string[] | undefined {
  const layers = [path];
  let current = path;
  try {
    for (let i = 0; i < DECODE_LAYERS && current.includes('%'); i++) {
      current = decodeURIComponent(current);
      layers.push(current);
    }
  } catch {
    return undefined;
  }
  return layers;
}

/**
 * The redirect target is judged after the URL parser has normalised it (dot segments removed: `/.//evil` becomes
 * `//evil`), because that is what the browser will follow; every decoded form of its path is judged too, for
 * servers or proxies further on that decode before they normalise.
 */
function staysOnSite(result: string): boolean {
  if (!isLocalPath(result)) return false;
  const url = new URL(result, PLACEHOLDER_ORIGIN);
  // The browser re-parses the Location header: it must read back exactly what was checked.
  if (pathQueryHash(url) !== result) return false;
  const layers = decodedLayers(url.pathname);
  return layers !== undefined && layers.every(isLocalPath);
}

/**
 * Where to send the user after sign-in: only a path on this site. Anything that a browser could read as another
 * origin (`//evil`, `/\evil`, `https://evil`, `javascript:`, dot segments that collapse into `//evil`, their
 * percent-encoded or control-character variants) becomes `/`. OWASP Unvalidated Redirects and Forwards.
 */
export function safeReturnTo(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_LENGTH) return '/';
  if (CONTROL.test(raw) || !isLocalPath(raw)) return '/';
  const result = pathQueryHash(new URL(raw, PLACEHOLDER_ORIGIN));
  return staysOnSite(result) ? result : '/';
}
