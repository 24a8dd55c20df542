import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The BFF's Prometheus metrics, in a registry of its own (no global state). */
export interface Metrics {
  registry: Registry;
  signIns: Counter<'outcome'>;
  refreshes: Counter<'outcome'>;
  proxied: Counter<'status'>;
  proxyLatency: Histogram;
  storeErrors: Counter<'operation'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    signIns: new Counter({
      name: 'bff_sign_ins_total',
      help: 'Sign-in attempts by outcome (signed_in, challenge, or the failure kind)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    refreshes: new Counter({
      name: 'bff_token_refreshes_total',
      help: 'Token refreshes at Cognito by outcome (ok, rejected, unavailable)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    proxied: new Counter({
      name: 'bff_proxied_requests_total',
      help: 'API calls forwarded upstream, by status answered to the browser',
      labelNames: ['status'],
      registers: [registry],
    }),
    proxyLatency: new Histogram({
      name: 'bff_proxy_duration_seconds',
      help: 'Time from receiving an API call to the upstream response headers',
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    storeErrors: new Counter({
      name: 'bff_session_store_errors_total',
      help: 'Session and token store failures by operation',
      labelNames: ['operation'],
      registers: [registry],
    }),
  };
}
