import { pino } from 'pino';
import type { Logger } from 'pino';

/**
 * Anything that may hold a secret is redacted wherever it appears: tokens, passwords, the client secret,
 * cookies and authorization headers. Log lines carry ids and outcomes, never credentials.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.authorization',
  '*.cookie',
  '*.password',
  '*.newPassword',
  '*.secret',
  '*.clientSecret',
  '*.sessionSecret',
  '*.idToken',
  '*.accessToken',
  '*.refreshToken',
  '*.tokens',
  '*.session',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { service: 'cognito-bff' } },
    destination ?? process.stdout,
  );
}
