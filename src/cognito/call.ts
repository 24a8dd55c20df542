import type { OutageLog } from '../ops/outage-log.js';
import { classifyCognitoError } from './errors.js';
import type { CognitoOperation } from './errors.js';

/** How long any Cognito call may take before it counts as no answer. */
export const COGNITO_TIMEOUT_MS = 10_000;

/** Sends one request to Cognito with a deadline; a failure comes back as an AuthFailure for `operation`. */
export type CognitoCall = <T>(
  operation: CognitoOperation,
  send: (signal: AbortSignal) => Promise<T>,
  limitMs?: number,
) => Promise<T>;

/**
 * Every call to Cognito goes through here: a deadline (a hung Cognito is an outage, not a hung page), failures
 * classified by the SDK's error name, and the outage log told whether Cognito answered at all.
 */
export function cognitoCaller(timeoutMs: number, outage?: OutageLog): CognitoCall {
  return async function call<T>(
    operation: CognitoOperation,
    send: (signal: AbortSignal) => Promise<T>,
    limitMs = timeoutMs,
  ): Promise<T> {
    let out: T;
    try {
      out = await send(AbortSignal.timeout(limitMs));
    } catch (err) {
      const failure = classifyCognitoError(err, operation);
      // Any answer from Cognito, a refusal included, shows it is there; only no answer is an outage.
      if (failure.kind === 'unavailable') outage?.failed(err);
      else outage?.succeeded();
      throw failure;
    }
    outage?.succeeded();
    return out;
  };
}
