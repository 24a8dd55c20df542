import type { ProxyHandler } from './types.js';

/** Answers who called, from the claims the Cognito authorizer put in the request context. */
export const whoami: ProxyHandler = async (event) => {
  const claims = event.requestContext.authorizer?.claims ?? {};
  const groups = claims['cognito:groups'];
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      sub: claims['sub'] ?? null,
      username: claims['cognito:username'] ?? null,
      email: claims['email'] ?? null,
      groups: groups ? groups.split(',') : [],
    }),
  };
};
