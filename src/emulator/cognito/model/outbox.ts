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

function messageText(pool: UserPool, medium: DeliveryMedium, code: string): string {
  const template = pool.VerificationMessageTemplate;
  const text = (medium === 'EMAIL' ? template.EmailMessage : template.SmsMessage) ?? DEFAULT_VERIFICATION_MESSAGE;
  return text.replaceAll('{####}', code);
}

/** "Sends" a code: the message goes to the outbox (and to `ctx.onMessage`), never to a real inbox or phone. */
export function sendCode(
  ctx: OperationContext,
  pool: UserPool,
  user: User,
  message: { kind: MessageKind; attribute: string; medium: DeliveryMedium; destination: string; code: string },
): CodeDeliveryDetails {
  const sent: OutboxMessage = {
    poolId: pool.Id,
    username: user.Username,
    destination: message.destination,
    medium: message.medium,
    kind: message.kind,
    code: message.code,
    text: messageText(pool, message.medium, message.code),
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
