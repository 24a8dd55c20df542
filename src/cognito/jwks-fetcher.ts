import type { Fetcher } from 'aws-jwt-verify/https';

/**
 * aws-jwt-verify's own fetcher speaks https only. Cognito's JWKS is https in AWS, but a self-hosted endpoint
 * (COGNITO_ENDPOINT, the local stack) may be plain http on loopback, so fetch the JWKS with the platform's fetch.
 */
export class FetchJwksFetcher implements Fetcher {
  constructor(private readonly timeoutMs = 5000) {}

  async fetch(uri: string): Promise<ArrayBuffer> {
    const res = await fetch(uri, {
      signal: AbortSignal.timeout(this.timeoutMs),
      headers: { accept: 'application/json' },
    });
    if (!res.ok) throw new Error(`JWKS fetch failed with HTTP ${res.status}`);
    return res.arrayBuffer();
  }
}
