import { generateKeyPair, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { exportJWK } from 'jose';
import type { PoolKey } from './state.js';

const generate = promisify(generateKeyPair);

/** A fresh RS256 signing key for one pool. Generated at start, held in memory, never written anywhere. */
export async function newPoolKey(): Promise<PoolKey> {
  const { privateKey, publicKey } = await generate('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const jwk = await exportJWK(publicKey);
  return { kid, privateKey, publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } };
}
