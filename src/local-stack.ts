import { randomBytes } from 'node:crypto';
import type { LocalSettings } from './config/config.js';
import { startLocalStack } from './emulator/stack.js';
import type { LocalStack } from './emulator/stack.js';

/** A walkthrough user who signs in with a second factor, as `npm start` describes them. */
export interface MfaDemoUser {
  username: string;
  password: string;
  /** The authenticator app's base32 secret, for a user with one. */
  softwareTokenSecret?: string;
  factors: string[];
}

export interface LocalMode {
  settings: LocalSettings;
  demo: { username: string; temporaryPassword: string } | undefined;
  mfaUsers: MfaDemoUser[];
  stack: LocalStack;
}

/**
 * Local mode: starts the project's Cognito and API Gateway emulators on free loopback ports and returns the
 * settings the BFF would otherwise read from the environment. The BFF itself does not know the difference.
 */
export async function startLocalMode(): Promise<LocalMode> {
  const stack = await startLocalStack();
  const pool = stack.pool();
  const client = [...pool.clients.values()].find((c) => c.ClientSecret !== undefined);
  if (!client?.ClientSecret) throw new Error('the local stack has no confidential app client');
  const users = stack.config.userPools.find((p) => p.name === pool.Name)?.users ?? [];
  const demoUser = users.find((u) => u.temporaryPassword);
  const mfaUsers = users.flatMap((u): MfaDemoUser[] =>
    u.mfa && u.password
      ? [
          {
            username: u.username,
            password: u.password,
            factors: u.mfa.enabled,
            ...(u.mfa.softwareTokenSecret ? { softwareTokenSecret: u.mfa.softwareTokenSecret } : {}),
          },
        ]
      : [],
  );
  return {
    stack,
    mfaUsers,
    demo: demoUser?.temporaryPassword
      ? { username: demoUser.username, temporaryPassword: demoUser.temporaryPassword }
      : undefined,
    settings: {
      region: stack.region,
      userPoolId: pool.Id,
      clientId: client.ClientId,
      clientSecret: client.ClientSecret,
      endpoint: stack.cognitoEndpoint,
      apiBaseUrl: stack.apiBaseUrl,
      // A fresh secret per start: local sessions do not outlive the process anyway.
      sessionSecret: randomBytes(32).toString('base64url'),
      tokenEncryptionKey: randomBytes(32),
    },
  };
}
