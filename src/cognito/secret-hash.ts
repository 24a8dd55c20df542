import { createHmac } from 'node:crypto';

/**
 * Cognito's SECRET_HASH for a confidential app client:
 * Base64(HMAC-SHA256(key = client secret, message = username + clientId)).
 * https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html#cognito-user-pools-computing-secret-hash
 */
export function secretHash(username: string, clientId: string, clientSecret: string): string {
  return createHmac('sha256', clientSecret)
    .update(username + clientId)
    .digest('base64');
}
