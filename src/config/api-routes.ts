import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Which of the session's tokens a route's upstream receives as `Authorization: Bearer`, if any. */
export type RouteToken = 'id' | 'access' | 'none';

/** Methods a route may list; anything else is a typo or a method no API behind a BFF needs. */
export const ROUTE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** One upstream API behind a path prefix under `/api`. */
export interface ApiRoute {
  /** `/api` or `/api/…`: no trailing slash, no dot segments; matched on path-segment boundaries. */
  prefix: string;
  /** The upstream URL the prefix stands for (no trailing slash). */
  upstream: string;
  token: RouteToken;
  /** The methods the route answers; absent: every method. */
  methods?: string[];
  /** The call's deadline on this route (PROXY_TIMEOUT_MS unless the route says otherwise). */
  timeoutMs: number;
}

/** What API_ROUTES may hold: a route as written, before defaults are filled in. */
const SEGMENT = /^[\w.~!$&'()*+,;=:@-]+$/;
/** What is wrong with a prefix, if anything: the first rule it breaks. */
function prefixProblem(p: string): string | undefined {
  if (p !== '/api' && !p.startsWith('/api/')) return 'prefix must be /api or start with /api/';
  if (p.endsWith('/')) return 'prefix must not end with /';
  const plain = p
    .split('/')
    .slice(1)
    .every((s) => SEGMENT.test(s) && s !== '.' && s !== '..');
  if (!plain) {
    return 'prefix must be plain path segments (letters, digits, - _ . ~; no dot segments, empty segments or %-escapes)';
  }
  return undefined;
}
const prefix = z
  .string({ error: (issue) => (issue.input === undefined ? 'prefix is required' : 'prefix must be a string') })
  .superRefine((p, ctx) => {
    const problem = prefixProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const upstream = z
  .string({ error: (issue) => (issue.input === undefined ? 'upstream is required' : 'upstream must be a string') })
  .refine((v) => {
    try {
      const url = new URL(v);
      return /^https?:$/.test(url.protocol) && !url.search && !url.hash && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'upstream must be an http(s) URL without credentials, query or fragment')
  .transform((v) => v.replace(/\/+$/, ''));
const method = z
  .string()
  .transform((m) => m.toUpperCase())
  .pipe(z.enum(ROUTE_METHODS, { error: `methods must each be one of ${ROUTE_METHODS.join(', ')}` }));
const routeSchema = z.strictObject(
  {
    prefix,
    upstream,
    token: z.enum(['id', 'access', 'none'], {
      error: (issue) =>
        issue.input === undefined
          ? 'token is required ("id", "access" or "none")'
          : 'token must be "id", "access" or "none"',
    }),
    methods: z
      .array(method, { error: 'methods must be an array of method names' })
      .min(1, 'methods must name at least one method')
      .optional(),
    timeoutMs: z
      .number({ error: 'timeoutMs must be a whole number from 100 to 300000' })
      .int('timeoutMs must be a whole number from 100 to 300000')
      .min(100, 'timeoutMs must be a whole number from 100 to 300000')
      .max(300_000, 'timeoutMs must be a whole number from 100 to 300000')
      .optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}` : undefined) },
);

export interface ParsedRoutes {
  routes: ApiRoute[];
  problems: string[];
}

/** The route's name in a problem: its index and, when it has a readable one, its prefix. */
function routeName(index: number, raw: unknown): string {
  const p = (raw as { prefix?: unknown } | null)?.prefix;
  return typeof p === 'string' && p.length <= 200 ? `API_ROUTES[${index}] (${p})` : `API_ROUTES[${index}]`;
}

/** API_ROUTES' text: the value itself when it starts with `[` or `{`, otherwise the contents of the file it names. */
function readSource(value: string): { json: string; from: string } | { problem: string } {
  const trimmed = value.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) return { json: trimmed, from: 'API_ROUTES' };
  try {
    return { json: readFileSync(trimmed, 'utf8'), from: `API_ROUTES file ${trimmed}` };
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'unreadable';
    return { problem: `API_ROUTES: cannot read the file ${trimmed} (${code})` };
  }
}

/**
 * API_ROUTES, read once at start-up: JSON inline or in a file, a route or an array of routes. Each problem names
 * the route by index and prefix, and the field (`API_ROUTES[1] (/api/orders): upstream must be an http(s) URL`);
 * JSON errors say where, never quoting the text. `defaultTimeoutMs` (PROXY_TIMEOUT_MS) fills in `timeoutMs`.
 */
export function parseApiRoutes(value: string, defaultTimeoutMs: number): ParsedRoutes {
  const source = readSource(value);
  if ('problem' in source) return { routes: [], problems: [source.problem] };
  let data: unknown;
  try {
    data = JSON.parse(source.json);
  } catch (err) {
    // Node quotes the text in its message; keep only what went wrong and where.
    const detail = (err as Error).message.replace(/,? ".*" is not valid JSON$/s, '');
    return { routes: [], problems: [`${source.from} is not valid JSON (${detail})`] };
  }
  const list = Array.isArray(data) ? data : data !== null && typeof data === 'object' ? [data] : undefined;
  if (!list) return { routes: [], problems: ['API_ROUTES: must be a JSON array of routes'] };
  if (list.length === 0) return { routes: [], problems: ['API_ROUTES: must name at least one route'] };

  const routes: ApiRoute[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  list.forEach((raw: unknown, index) => {
    const name = routeName(index, raw);
    const parsed = routeSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path[0];
        const message =
          issue.code === 'invalid_type' && issue.path.length === 0
            ? 'must be an object with prefix, upstream and token'
            : field !== undefined && issue.message === 'Invalid input'
              ? `${String(field)} is not valid`
              : issue.message;
        problems.push(`${name}: ${message}`);
      }
      return;
    }
    const route = parsed.data;
    const earlier = seen.get(route.prefix);
    if (earlier !== undefined) {
      problems.push(`${name}: prefix is the same as API_ROUTES[${earlier}]'s`);
      return;
    }
    seen.set(route.prefix, index);
    routes.push({
      prefix: route.prefix,
      upstream: route.upstream,
      token: route.token,
      ...(route.methods ? { methods: [...new Set(route.methods)] } : {}),
      timeoutMs: route.timeoutMs ?? defaultTimeoutMs,
    });
  });
  return { routes, problems };
}
