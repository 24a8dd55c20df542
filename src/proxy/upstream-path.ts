/** %-escapes decoded until stable (a few rounds, so double encoding is caught); undefined when they do not decode. */
export function fullyDecoded(path: string): string | undefined {
  try {
    for (let round = 0; round < 4 && path.includes('%'); round++) path = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  return path;
}

/**
 * Maps the part of the browser's URL after `/api` onto API_BASE_URL's path. The result always stays under the
 * base path: a dot segment in any spelling (`..`, `%2e%2e`, `.%2E`, after an encoded slash or backslash) is
 * refused rather than resolved, so neither we nor the upstream can be walked out of the base.
 */
export function upstreamPath(basePath: string, requestUrl: string): string | undefined {
  if (!requestUrl.startsWith('/')) return undefined;
  const queryAt = requestUrl.indexOf('?');
  const path = queryAt === -1 ? requestUrl : requestUrl.slice(0, queryAt);
  const query = queryAt === -1 ? '' : requestUrl.slice(queryAt);
  // Decoded until stable, so double-encoded dots are caught as well.
  const decoded = fullyDecoded(path);
  if (decoded === undefined) return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(decoded) || decoded.includes('\\')) return undefined;
  if (decoded.split('/').some((segment) => segment === '.' || segment === '..')) return undefined;
  if (/[\s#]/.test(path)) return undefined;
  return `${basePath.replace(/\/+$/, '')}${path}${query}`;
}
