/** The Lambda proxy integration event, payload format 1.0, as API Gateway REST APIs send it. */
export interface ProxyEvent {
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters: Record<string, string> | null;
  stageVariables: null;
  requestContext: {
    resourcePath: string;
    httpMethod: string;
    path: string;
    stage: string;
    requestId: string;
    requestTimeEpoch: number;
    identity: { sourceIp: string; userAgent: string | null };
    authorizer?: { claims: Record<string, string> };
  };
  body: string | null;
  isBase64Encoded: boolean;
}

export interface ProxyResult {
  statusCode: number;
  headers?: Record<string, string | number | boolean>;
  multiValueHeaders?: Record<string, (string | number | boolean)[]>;
  body?: string;
  isBase64Encoded?: boolean;
}

export type ProxyHandler = (event: ProxyEvent) => Promise<ProxyResult>;
