import { createServer } from 'node:http';
import type { Server } from 'node:http';
import express from 'express';
import { createApp, opsDeps } from './app.js';
import { answerClientErrors } from './http/client-errors.js';
import { errorHandler } from './http/error-handler.js';
import { refuse } from './http/refusals.js';
import { beginAnswer } from './http/shutdown.js';
import type { AppDeps } from './app.js';
import { opsRoutes } from './ops/routes.js';
import { isApiCall } from './proxy/api-proxy.js';

/**
 * The BFF's HTTP server, not yet listening: API calls (`/api`, `/api/…`) go straight to the proxy, which answers
 * them completely on the bare Node request; everything else goes to the Express app. Once the process is stopping,
 * every answer closes its connection (see http/shutdown.ts).
 */
export function createBffServer(deps: AppDeps): Server {
  const app = createApp(deps);
  const { lifecycle, config } = deps;
  const server = createServer(
    {
      // Deliberate limits on a client sending its request (Node's defaults are 60 s and 300 s), checked every second
      // rather than every 30 s: a connection that trickles its headers or its body is closed with 408.
      headersTimeout: config.http.headersTimeoutMs,
      requestTimeout: config.http.requestTimeoutMs,
      connectionsCheckingInterval: 1000,
    },
    (req, res) => {
      beginAnswer(req, res, lifecycle);
      if (isApiCall(req.url)) deps.proxy.handle(req, res);
      else app(req, res);
    },
  );
  answerClientErrors(server);
  return server;
}

/**
 * The operations server (OPS_PORT), not yet listening: /healthz, /readyz and /metrics only, so that metrics can be
 * scraped on an address users cannot reach. It stops like the public one: same lifecycle, same graceful stop.
 */
export function createOpsServer(deps: AppDeps): Server {
  const app = express();
  app.disable('x-powered-by');
  app.use(opsRoutes(opsDeps(deps, true)));
  app.use(function notFound() {
    throw refuse.notFound();
  });
  app.use(errorHandler(deps.logger));
  return createServer((req, res) => {
    beginAnswer(req, res, deps.lifecycle);
    app(req, res);
  });
}
