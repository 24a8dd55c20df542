import { timingSafeEqual } from 'node:crypto';
import express from 'express';
import type { Router } from 'express';
import { withDeadline } from './deadline.js';
import type { Lifecycle } from './lifecycle.js';
import type { Metrics } from './metrics.js';

export interface OpsDeps {
  metrics: Metrics;
  /** Once stopping, /readyz answers 503 at once. */
  lifecycle: Lifecycle;
  /** Each check answers true when its dependency can serve. */
  checks: Record<string, () => Promise<boolean>>;
  /** When false, /metrics is not served here: it answers 404 like any unknown path. */
  serveMetrics: boolean;
  /** When set, /metrics wants `Authorization: Bearer <token>`. */
  metricsToken?: string;
}

const sameSecret = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** A readiness check that has not answered by now counts as failed: /readyz itself must answer fast. */
const CHECK_DEADLINE_MS = 1000;

/** /healthz (the process answers), /readyz (its dependencies answer), /metrics (Prometheus) if `serveMetrics`. */
export function opsRoutes(deps: OpsDeps): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    if (deps.lifecycle.stopping) {
      res.status(503).json({ status: 'stopping' });
      return;
    }
    const results = Object.fromEntries(
      await Promise.all(
        Object.entries(deps.checks).map(
          async ([name, check]) =>
            [name, await withDeadline(check(), CHECK_DEADLINE_MS, name).catch(() => false)] as const,
        ),
      ),
    );
    const ready = Object.values(results).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks: results });
  });
  if (!deps.serveMetrics) return router;
  router.get('/metrics', async (req, res) => {
    if (deps.metricsToken) {
      const header = req.get('authorization') ?? '';
      if (!header.startsWith('Bearer ') || !sameSecret(header.slice(7), deps.metricsToken)) {
        res.status(401).setHeader('www-authenticate', 'Bearer').json({ error: 'unauthenticated' });
        return;
      }
    }
    res.setHeader('content-type', deps.metrics.registry.contentType);
    res.setHeader('cache-control', 'no-store');
    res.send(await deps.metrics.registry.metrics());
  });
  return router;
}
