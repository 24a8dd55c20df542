import type { ProxyHandler } from './types.js';

/**
 * Answers who called, from the claims the Cognito authorizer put in the request context. An ID token names the
 * user in `cognito:username` and carries the attributes; an access token (on a method with AuthorizationScopes)
 * names the user in `username`, carries no attributes, and says what it grants in `scope`.
 */
export const whoami: ProxyHandler = async (event) => {
  const claims = event.requestContext.authorizer?.claims ?? {};
  const groups = claims['cognito:groups'];
  const scope = claims['scope'];
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      sub: claims['sub'] ?? null,
      username: claims['cognito:username'] ?? claims['username'] ?? null,
      email: claims['email'] ?? null,
      groups: groups ? groups.split(',') : [],
      tokenUse: claims['token_use'] ?? null,
      scopes: scope ? scope.split(' ').filter(Boolean) : [],
    }),
  };
};
