import { randomInt } from 'node:crypto';
import type { PendingCode } from '../state.js';

/** Sign-up confirmation codes live 24 hours (Cognito developer guide, "Confirming user accounts"). */
export const SIGN_UP_CODE_LIFETIME_MS = 24 * 3_600_000;

/** Six random digits, as Cognito's verification codes. */
export const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

export function pendingCode(now: number, lifetimeMs: number): PendingCode {
  return { code: newCode(), expiresAt: now + lifetimeMs, failedAttempts: 0 };
}
