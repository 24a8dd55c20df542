import { createLocalJWKSet, jwtVerify } from 'jose';
import type { JWK, JWTPayload } from 'jose';
import type { Clock } from '../clock.js';

export interface AuthorizerPool {
  issuer: string;
  jwks: JWK[];
  clientIds: string[];
}

/** Which token a method's Cognito authorizer takes, and the OAuth scopes that let an access token through. */
export interface MethodAuthorization {
  /** The method's AuthorizationScopes; empty or absent, the method takes ID tokens only. */
  scopes?: readonly string[];
}

const bearer = (header: string) =>
  header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : header.trim();

/**
 * Whether a verified payload is the token this method takes. Without AuthorizationScopes the REST API's
 * COGNITO_USER_POOLS authorizer takes only an ID token for one of the pool's app clients (`aud`). With
 * AuthorizationScopes it takes only an access token (no `aud`; `client_id` names the app client) whose
 * space-separated `scope` holds at least one of the method's scopes. AWS answers a token that is not the one
 * the method takes, including a valid access token without a matching scope, with the same 401
 * {"message":"Unauthorized"} as a bad signature: "If you didn't configure any scopes on the API Gateway method,
 * then make sure that you use a valid ID token. If you configure additional scopes on the API Gateway method,
 * then make sure that you use a valid access token."
 * (https://repost.aws/knowledge-center/api-gateway-cognito-401-unauthorized; the HTTP API's JWT authorizer,
 * unlike this one, answers a missing scope with 403.)
 */
function takes(payload: JWTPayload, pool: AuthorizerPool, scopes: readonly string[]): boolean {
  if (scopes.length === 0) {
    const aud = payload.aud;
    return payload['token_use'] === 'id' && typeof aud === 'string' && pool.clientIds.includes(aud);
  }
  const clientId = payload['client_id'];
  const scope = payload['scope'];
  if (payload['token_use'] !== 'access' || typeof clientId !== 'string' || typeof scope !== 'string') return false;
  if (!pool.clientIds.includes(clientId)) return false;
  const granted = new Set(scope.split(' ').filter(Boolean));
  return scopes.some((wanted) => granted.has(wanted));
}

/**
 * The REST API Cognito user-pool authorizer: the `Authorization` header holds the token, with or without
 * `Bearer `; signature, `exp` and `iss` are checked, then whether it is the token the method takes (see `takes`).
 * Any failure is the same 401 to the caller.
 */
export async function authorize(
  header: string | undefined,
  pool: AuthorizerPool,
  clock: Clock,
  method: MethodAuthorization = {},
): Promise<JWTPayload | undefined> {
  if (!header) return undefined;
  try {
    const { payload } = await jwtVerify(bearer(header), createLocalJWKSet({ keys: pool.jwks }), {
      issuer: pool.issuer,
      algorithms: ['RS256'],
      currentDate: new Date(clock()),
      requiredClaims: ['exp', 'token_use'],
    });
    return takes(payload, pool, method.scopes ?? []) ? payload : undefined;
  } catch {
    return undefined;
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** `exp` and `iat` reach a REST API's Lambda as Java-style dates: `Thu Nov 26 04:00:00 UTC 2026`. */
function javaDate(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** Claims as `requestContext.authorizer.claims`: every value a string, groups comma-separated. */
export function claimsAsStrings(payload: JWTPayload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') out[name] = javaDate(value);
    else if (Array.isArray(value)) out[name] = value.map(String).join(',');
    else if (typeof value === 'object' && value !== null) out[name] = JSON.stringify(value);
    else out[name] = String(value);
  }
  return out;
}
