import { createHash } from 'node:crypto';
import type { OperationContext } from '../operation.js';
import type { CognitoState, DeliveryMedium, MessageKind, OutboxMessage, User, UserPool } from '../state.js';

/**
 * Cognito's text when a pool sets no VerificationMessageTemplate: DescribeUserPool on such a pool answers
 * `"SmsVerificationMessage": "Your verification code is {####}. "` (AWS CLI reference, describe-user-pool), and
 * the email message defaults to the same text.
 */
export const DEFAULT_VERIFICATION_MESSAGE = 'Your verification code is {####}. ';

/** What SignUp, ResendConfirmationCode and ForgotPassword answer about a message they sent. */
export interface CodeDeliveryDetails {
  Destination: string;
  DeliveryMedium: DeliveryMedium;
  AttributeName: string;
}

/**
 * Destinations as Cognito shows them to the caller, so a response never reveals a whole address:
 * `test@example.com` becomes `t***@e***` (first character of each side of the @); a phone number keeps its
 * last four digits.
 */
export function maskDestination(medium: DeliveryMedium, destination: string): string {
  if (medium === 'SMS') return `+${'*'.repeat(Math.max(destination.length - 5, 0))}${destination.slice(-4)}`;
  const at = destination.lastIndexOf('@');
  return `${destination.charAt(0)}***@${destination.charAt(at + 1)}***`;
}

/** Where a code for `attribute` goes: email by EMAIL, phone_number by SMS; undefined when the user has no value. */
export function deliveryFor(
  user: User,
  attribute: string,
): { medium: DeliveryMedium; destination: string } | undefined {
  const destination = user.attributes[attribute];
  if (!destination) return undefined;
  if (attribute === 'email') return { medium: 'EMAIL', destination };
  if (attribute === 'phone_number') return { medium: 'SMS', destination };
  return undefined;
}

/**
 * Where a password-reset code goes: "If a verified phone number exists for the user, the confirmation code is sent to
 * the phone number. Otherwise, if a verified email exists, the confirmation code is sent to the email" (API
 * reference, ForgotPassword). Undefined when neither is verified.
 */
export function verifiedDelivery(
  user: User,
): { attribute: string; medium: DeliveryMedium; destination: string } | undefined {
  for (const attribute of ['phone_number', 'email']) {
    if (user.attributes[`${attribute}_verified`] !== 'true') continue;
    const delivery = deliveryFor(user, attribute);
    if (delivery) return { attribute, ...delivery };
  }
  return undefined;
}

/**
 * The CodeDeliveryDetails a client with PreventUserExistenceErrors ENABLED answers for a user who does not exist (or
 * is disabled): "a simulated delivery medium ... determined by the input user name format and verification settings
 * of the user pool" (developer guide, "Managing user existence error responses"). Nothing is sent. The same name
 * always gets the same answer, so asking twice reveals nothing either.
 */
export function simulatedDelivery(pool: UserPool, username: string): CodeDeliveryDetails {
  const digest = createHash('sha256').update(pool.Id).update(username).digest();
  const bySms =
    username.startsWith('+') ||
    (!username.includes('@') &&
      pool.AutoVerifiedAttributes.includes('phone_number') &&
      !pool.AutoVerifiedAttributes.includes('email'));
  if (bySms) {
    const digits = [...digest.subarray(0, 4)].map((b) => String(b % 10)).join('');
    return {
      Destination: maskDestination('SMS', `+1555555${digits}`),
      DeliveryMedium: 'SMS',
      AttributeName: 'phone_number',
    };
  }
  const domain = String.fromCharCode(97 + ((digest[0] ?? 0) % 26));
  const address = username.includes('@') ? username : `${username}@${domain}.example`;
  return { Destination: maskDestination('EMAIL', address), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
}

function messageText(pool: UserPool, medium: DeliveryMedium, code: string, override?: string): string {
  const template = pool.VerificationMessageTemplate;
  const text =
    override ?? (medium === 'EMAIL' ? template.EmailMessage : template.SmsMessage) ?? DEFAULT_VERIFICATION_MESSAGE;
  return text.replaceAll('{####}', code);
}

/** "Sends" a code: the message goes to the outbox (and to `ctx.onMessage`), never to a real inbox or phone. */
export function sendCode(
  ctx: OperationContext,
  pool: UserPool,
  user: User,
  message: {
    kind: MessageKind;
    attribute: string;
    medium: DeliveryMedium;
    destination: string;
    code: string;
    /** The text with `{####}` for the code, when not the pool's verification message (MFA messages). */
    template?: string | undefined;
  },
): CodeDeliveryDetails {
  const sent: OutboxMessage = {
    poolId: pool.Id,
    username: user.Username,
    destination: message.destination,
    medium: message.medium,
    kind: message.kind,
    code: message.code,
    text: messageText(pool, message.medium, message.code, message.template),
    sentAt: new Date(ctx.clock()).toISOString(),
  };
  ctx.state.outbox.push(sent);
  ctx.onMessage?.(sent);
  return {
    Destination: maskDestination(message.medium, message.destination),
    DeliveryMedium: message.medium,
    AttributeName: message.attribute,
  };
}

/**
 * The outbox, oldest first, narrowed to one pool and/or one user: `username` matches the user's username or the
 * address the message went to, since in pools that sign in by email the username is a UUID nobody typed.
 */
export function readOutbox(state: CognitoState, filter: { username?: string; poolId?: string }): OutboxMessage[] {
  const who = filter.username?.toLowerCase();
  return state.outbox.filter(
    (m) =>
      (who === undefined || m.username === filter.username || m.destination.toLowerCase() === who) &&
      (filter.poolId === undefined || m.poolId === filter.poolId),
  );
}
