import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ProxyEvent } from '../../lambda/types.js';

function multiValue(pairs: [string, string][]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of pairs) (out[name] ??= []).push(value);
  return out;
}

const lastValues = (multi: Record<string, string[]>) =>
  Object.fromEntries(Object.entries(multi).map(([name, values]) => [name, values[values.length - 1] ?? '']));

/** Text bodies arrive as strings; bytes that are not UTF-8 arrive base64-encoded with isBase64Encoded. */
function encodeBody(body: Buffer): { body: string | null; isBase64Encoded: boolean } {
  if (body.length === 0) return { body: null, isBase64Encoded: false };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
  if (Buffer.from(text, 'utf8').equals(body)) return { body: text, isBase64Encoded: false };
  return { body: body.toString('base64'), isBase64Encoded: true };
}

export interface EventInput {
  req: IncomingMessage;
  stage: string;
  path: string;
  query: URLSearchParams;
  resource: string;
  pathParameters: Record<string, string> | null;
  claims: Record<string, string> | undefined;
  body: Buffer;
  now: number;
}

/** Builds the payload 1.0 proxy event for one request. */
export function buildEvent(input: EventInput): ProxyEvent {
  const headerPairs: [string, string][] = [];
  const raw = input.req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headerPairs.push([raw[i] ?? '', raw[i + 1] ?? '']);
  const multiValueHeaders = multiValue(headerPairs);
  const multiQuery = multiValue([...input.query.entries()]);
  const hasQuery = Object.keys(multiQuery).length > 0;
  return {
    resource: input.resource,
    path: input.path,
    httpMethod: input.req.method ?? 'GET',
    headers: lastValues(multiValueHeaders),
    multiValueHeaders,
    queryStringParameters: hasQuery ? lastValues(multiQuery) : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: input.pathParameters,
    stageVariables: null,
    requestContext: {
      resourcePath: input.resource,
      httpMethod: input.req.method ?? 'GET',
      path: `/${input.stage}${input.path}`,
      stage: input.stage,
      requestId: randomUUID(),
      requestTimeEpoch: input.now,
      identity: {
        sourceIp: input.req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: input.req.headers['user-agent'] ?? null,
      },
      ...(input.claims ? { authorizer: { claims: input.claims } } : {}),
    },
    ...encodeBody(input.body),
  };
}
