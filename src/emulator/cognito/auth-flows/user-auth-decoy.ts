import type { AuthResponse, AuthStep } from '../auth-step.js';
import { checkMfaCode } from '../challenges/mfa-answer.js';
import {
  INCORRECT_CREDENTIALS,
  INVALID_SESSION,
  invalidParameter,
  missingParameter,
  notAuthorized,
} from '../errors.js';
import { maskDestination, simulatedDelivery } from '../model/outbox.js';
import { endChallenge, startDecoyChallenge } from '../model/sessions.js';
import type { ChallengeName } from '../names.js';
import type { OperationContext } from '../operation.js';
import type { AppClient, UserPool } from '../state.js';
import { isFirstFactorChallenge, srpNotEmulated } from './first-factors.js';
import type { FirstFactorChallenge } from './first-factors.js';

/**
 * USER_AUTH for a name no user has, on a client with PreventUserExistenceErrors ENABLED. Cognito then answers "with a
 * randomly selected challenge type from those the user pool allows" (developer guide, "Managing user existence error
 * responses") instead of an error. The emulator's choices are fixed per name, so asking twice reveals nothing: the
 * password challenges, and the code factor the name's simulated delivery points to (email or SMS) when the pool allows
 * it. A code challenge sends nothing and no code ever matches; a password is always "incorrect".
 */
function decoyChallenges(pool: UserPool, username: string): FirstFactorChallenge[] {
  const code: FirstFactorChallenge =
    simulatedDelivery(pool, username).DeliveryMedium === 'SMS' ? 'SMS_OTP' : 'EMAIL_OTP';
  const offered: FirstFactorChallenge[] = ['PASSWORD', 'PASSWORD_SRP'];
  if (pool.AllowedFirstAuthFactors.includes(code === 'SMS_OTP' ? 'SMS_OTP' : 'EMAIL_OTP')) offered.push(code);
  return offered;
}

/** Where a decoy code "went": the simulated destination, in the medium the factor uses. */
function decoyDelivery(pool: UserPool, username: string, name: 'EMAIL_OTP' | 'SMS_OTP'): Record<string, string> {
  const simulated = simulatedDelivery(pool, username);
  const medium = name === 'EMAIL_OTP' ? 'EMAIL' : 'SMS';
  const destination =
    simulated.DeliveryMedium === medium
      ? simulated.Destination
      : maskDestination(medium, medium === 'EMAIL' ? `${username}@example.com` : '+15555550100');
  return { CODE_DELIVERY_DELIVERY_MEDIUM: medium, CODE_DELIVERY_DESTINATION: destination };
}

function decoyChallenge(
  step: Omit<AuthStep, 'challenge'>,
  username: string,
  name: ChallengeName,
  parameters: Record<string, string> = {},
): AuthResponse {
  const Session = startDecoyChallenge(step.ctx, step.pool, step.client, username, name);
  return { ChallengeName: name, Session, ChallengeParameters: parameters };
}

/** A decoy first factor, as `firstFactors[name].start` does for a real user. */
function startDecoyFactor(
  step: Omit<AuthStep, 'challenge'>,
  username: string,
  name: FirstFactorChallenge,
  input: Record<string, string>,
): AuthResponse {
  switch (name) {
    case 'PASSWORD':
      if (input['PASSWORD'] !== undefined) throw notAuthorized(INCORRECT_CREDENTIALS);
      return decoyChallenge(step, username, 'PASSWORD');
    case 'EMAIL_OTP':
    case 'SMS_OTP':
      return decoyChallenge(step, username, name, decoyDelivery(step.pool, username, name));
    case 'PASSWORD_SRP':
      throw srpNotEmulated();
    case 'WEB_AUTHN':
      // Never offered to a decoy: the emulator's decoys have no passkey.
      throw notAuthorized(INVALID_SESSION);
  }
}

/** InitiateAuth USER_AUTH for an unknown name: the preferred challenge when it is one of the decoy's, else a choice. */
export function startDecoy(
  step: Omit<AuthStep, 'challenge'>,
  username: string,
  params: Record<string, string>,
): AuthResponse {
  const offered = decoyChallenges(step.pool, username);
  const preferred = params['PREFERRED_CHALLENGE'];
  if (isFirstFactorChallenge(preferred) && offered.includes(preferred)) {
    return startDecoyFactor(step, username, preferred, params);
  }
  return { ...decoyChallenge(step, username, 'SELECT_CHALLENGE'), AvailableChallenges: offered };
}

/**
 * RespondToAuthChallenge on a decoy session: undefined when `session` is not one. Otherwise it fails as the real
 * challenge would on a wrong answer: CodeMismatchException for codes (the session dies after the usual tries),
 * "Incorrect username or password." for passwords, the invalid-session error for anything that does not fit.
 */
export function answerDecoy(
  ctx: OperationContext,
  pool: UserPool,
  client: AppClient,
  answer: {
    session: string | undefined;
    challengeName: ChallengeName;
    username: string;
    responses: Record<string, string>;
  },
): AuthResponse | undefined {
  const session = answer.session === undefined ? undefined : ctx.state.sessions.get(answer.session);
  if (!session?.decoy) return undefined;
  if (
    session.poolId !== pool.Id ||
    session.clientId !== client.ClientId ||
    session.challengeName !== answer.challengeName ||
    session.username !== answer.username ||
    ctx.clock() > session.expiresAt
  ) {
    throw notAuthorized(INVALID_SESSION);
  }
  const end = () => endChallenge(ctx, answer.session as string);
  const { responses } = answer;
  switch (answer.challengeName) {
    case 'SELECT_CHALLENGE': {
      const choice = responses['ANSWER'];
      if (!choice) throw missingParameter('ANSWER');
      if (!isFirstFactorChallenge(choice) || !decoyChallenges(pool, session.username).includes(choice)) {
        throw invalidParameter(`Invalid ANSWER ${choice}: not an available challenge for the user.`);
      }
      if (choice === 'PASSWORD' && !responses['PASSWORD']) throw missingParameter('PASSWORD');
      end();
      return startDecoyFactor({ ctx, pool, client }, session.username, choice, responses);
    }
    case 'PASSWORD':
      if (!responses['PASSWORD']) throw missingParameter('PASSWORD');
      end();
      throw notAuthorized(INCORRECT_CREDENTIALS);
    case 'EMAIL_OTP':
    case 'SMS_OTP':
      checkMfaCode(session, responses, `${answer.challengeName}_CODE`, () => false, end);
      throw notAuthorized(INVALID_SESSION);
    default:
      throw notAuthorized(INVALID_SESSION);
  }
}
