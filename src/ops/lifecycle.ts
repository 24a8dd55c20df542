/**
 * Whether the process is stopping (SIGTERM received). Once it is, `/readyz` answers 503 at once, so a load balancer
 * stops sending, and every answer carries `Connection: close`, so clients move their keep-alive connections away.
 */
export interface Lifecycle {
  stopping: boolean;
}
