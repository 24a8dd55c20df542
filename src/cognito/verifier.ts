import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { FetchJwksFetcher } from './jwks-fetcher.js';

/** The ID token claims the BFF keeps in the session. */
export interface IdClaims {
  sub: string;
  username: string;
  email?: string;
  groups: string[];
  exp: number;
  iat: number;
}

export interface IdTokenVerifier {
  verify(idToken: string): Promise<IdClaims>;
  /** Loads the JWKS ahead of the first sign-in; readiness depends on it. */
  warmUp(): Promise<void>;
}

/**
 * aws-jwt-verify's errors are classes (JwtInvalidIssuerError, JwksNotAvailableInCacheError, ...) whose `name` is
 * plain "Error"; give them their class name, so the log line says which check failed (never the token).
 */
function named(err: unknown): unknown {
  if (err instanceof Error && err.name === 'Error' && err.constructor.name !== 'Error') {
    err.name = err.constructor.name;
  }
  return err;
}

/**
 * Verifies ID tokens as received from Cognito before a session is created: RS256 signature against the pool's
 * JWKS, `iss`, `aud` = our client id, `exp`, and `token_use` "id".
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
 */
export function createIdTokenVerifier(options: { issuer: string; jwksUri: string; clientId: string }): IdTokenVerifier {
  const verifier = JwtRsaVerifier.create(
    {
      issuer: options.issuer,
      audience: options.clientId,
      jwksUri: options.jwksUri,
      customJwtCheck: ({ payload }) => {
        if (payload['token_use'] !== 'id') throw new Error('not an ID token');
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher: new FetchJwksFetcher() }) },
  );
  return {
    async verify(idToken) {
      const payload = await verifier.verify(idToken).catch((err: unknown) => {
        throw named(err);
      });
      const groups = payload['cognito:groups'];
      const email = payload['email'];
      return {
        sub: String(payload.sub),
        username: String(payload['cognito:username'] ?? payload.sub),
        ...(typeof email === 'string' ? { email } : {}),
        groups: Array.isArray(groups) ? groups.map(String) : [],
        exp: Number(payload.exp),
        iat: Number(payload.iat),
      };
    },
    async warmUp() {
      await verifier.hydrate().catch((err: unknown) => {
        throw named(err);
      });
    },
  };
}
