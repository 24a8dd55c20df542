/** One API Gateway method: `ANY /` or `GET /items/{id}` or `ANY /{proxy+}`, integrated with a named handler. */
export interface RouteConfig {
  method: string;
  resource: string;
  handler: string;
  /** false for a method without the Cognito authorizer; true by default. */
  authorizer?: boolean;
  /**
   * The method's AuthorizationScopes: when given, the Cognito authorizer takes an access token whose `scope` holds
   * one of them, and no longer an ID token.
   */
  scopes?: string[];
}

export interface RouteMatch {
  route: RouteConfig;
  pathParameters: Record<string, string> | null;
}

function matchResource(resource: string, path: string): Record<string, string> | undefined {
  const want = resource.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i] ?? '';
    const greedy = /^\{(\w+)\+\}$/.exec(part);
    if (greedy) {
      if (i >= got.length) return undefined;
      params[greedy[1] ?? ''] = got.slice(i).join('/');
      return params;
    }
    const value = got[i];
    if (value === undefined) return undefined;
    const param = /^\{(\w+)\}$/.exec(part);
    if (param) params[param[1] ?? ''] = value;
    else if (part !== value) return undefined;
  }
  return got.length === want.length ? params : undefined;
}

/** API Gateway prefers a literal resource over a parameter, and a parameter over a greedy one. */
const specificity = (resource: string) => (resource.includes('+}') ? 2 : resource.includes('{') ? 1 : 0);

export function findRoute(routes: RouteConfig[], method: string, path: string): RouteMatch | undefined {
  const candidates = routes
    .map((route) => ({ route, params: matchResource(route.resource, path) }))
    .filter((c) => c.params !== undefined && (c.route.method === 'ANY' || c.route.method === method))
    .sort((a, b) => specificity(a.route.resource) - specificity(b.route.resource));
  const best = candidates[0];
  if (!best?.params) return undefined;
  return { route: best.route, pathParameters: Object.keys(best.params).length > 0 ? best.params : null };
}
