import { createLocalJWKSet, jwtVerify } from 'jose';
import type { JWK, JWTPayload } from 'jose';
import type { Clock } from '../clock.js';

export interface AuthorizerPool {
  issuer: string;
  jwks: JWK[];
  clientIds: string[];
}

/**
 * The REST API Cognito user-pool authorizer on a method without OAuth scopes: the `Authorization` header holds an
 * ID token, with or without `Bearer `; signature, `exp`, `iss`, `token_use` "id" and `aud` are checked.
 * Any failure is the same 401 to the caller.
 */
export async function authorize(
  header: string | undefined,
  pool: AuthorizerPool,
  clock: Clock,
): Promise<JWTPayload | undefined> {
  if (!header) return undefined;
  const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : header.trim();
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: pool.jwks }), {
      issuer: pool.issuer,
      audience: pool.clientIds,
      algorithms: ['RS256'],
      currentDate: new Date(clock()),
      requiredClaims: ['exp', 'token_use'],
    });
    return payload['token_use'] === 'id' ? payload : undefined;
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
