import { z } from 'zod';
import type { Clock } from '../clock.js';
import { CognitoError } from './errors.js';
import type { CognitoState, OutboxMessage } from './state.js';

/** Who made the call, as the server saw the connection; not an AWS member. */
export interface Caller {
  /** The TCP peer's address (an IPv4-mapped IPv6 address written as IPv4). */
  sourceIp: string;
}

export interface OperationContext {
  state: CognitoState;
  clock: Clock;
  /** `http://host:port`; a pool's issuer is this plus `/<poolId>` unless configured otherwise. */
  issuerBase(): string;
  /** Told of each message put in the outbox (the CLI prints a line); tests leave it unset to stay quiet. */
  onMessage?(message: OutboxMessage): void;
}

/** One API operation, as the server dispatches it by its AWS name (the `X-Amz-Target` suffix). */
export interface Operation {
  readonly name: string;
  /**
   * Whether a successful call may change the emulator's state (users, clients, sessions, tokens). The state file
   * is saved after these only; reads (Describe, List, Get) never write it.
   */
  readonly mutates: boolean;
  run(input: unknown, ctx: OperationContext, caller?: Caller): Promise<unknown>;
}

export interface OperationDefinition<S extends z.ZodType> {
  name: string;
  mutates: boolean;
  /** The request members in AWS's shape; a failure answers as AWS's validation does. */
  input: S;
  /** `caller` is absent when the operation is run in-process (seeding, tests), not over HTTP. */
  handler(input: z.infer<S>, ctx: OperationContext, caller?: Caller): unknown;
}

/** AWS names members in validation messages in camelCase: `ClientId` becomes `clientId`. */
const memberName = (path: PropertyKey[]) =>
  path
    .map((p) => (typeof p === 'string' && /^[A-Z][a-z]/.test(p) ? p.charAt(0).toLowerCase() + p.slice(1) : String(p)))
    .join('.');

/**
 * Maps a schema failure to what AWS answers: a missing member is InvalidParameterException in the
 * "1 validation error detected" form; a member of the wrong JSON type is a SerializationException.
 */
function toAwsError(error: z.ZodError): CognitoError {
  const wrongType = error.issues.find((i) => i.code === 'invalid_type' && i.input !== undefined);
  if (wrongType) {
    return new CognitoError(
      'SerializationException',
      `Unexpected ${typeof wrongType.input} value for member '${memberName(wrongType.path)}', expected ${
        'expected' in wrongType ? String(wrongType.expected) : 'another type'
      }`,
    );
  }
  const problems = error.issues.map((issue) => {
    const at = memberName(issue.path);
    if (issue.code === 'invalid_type' || issue.input === undefined)
      return `Value null at '${at}' failed to satisfy constraint: Member must not be null`;
    if (issue.code === 'invalid_value') {
      return `Value '${String(issue.input)}' at '${at}' failed to satisfy constraint: Member must satisfy enum value set: [${issue.values.join(', ')}]`;
    }
    return `Value at '${at}' failed to satisfy constraint: ${issue.message}`;
  });
  return new CognitoError(
    'InvalidParameterException',
    `${problems.length} validation error${problems.length > 1 ? 's' : ''} detected: ${problems.join('; ')}`,
  );
}

export function defineOperation<S extends z.ZodType>(definition: OperationDefinition<S>): Operation {
  const { name, mutates, input: schema, handler } = definition;
  return {
    name,
    mutates,
    async run(input, ctx, caller) {
      const parsed = schema.safeParse(input ?? {}, { reportInput: true });
      if (!parsed.success) throw toAwsError(parsed.error);
      return handler(parsed.data, ctx, caller);
    },
  };
}

export const attributeList = z.array(z.object({ Name: z.string().min(1), Value: z.string().optional() }));
export const stringMap = z.record(z.string(), z.string());
/** The members that name a user to an app client, as SignUp, ForgotPassword and their confirmations take them. */
export const clientUserRef = {
  ClientId: z.string().min(1),
  SecretHash: z.string().optional(),
  Username: z.string().min(1).max(128),
};
/**
 * UserContextDataType: "Length Constraints: Minimum length of 0. Maximum length of 131072" for both members (API
 * reference, UserContextDataType). Accepted by InitiateAuth, RespondToAuthChallenge, SignUp, ConfirmSignUp,
 * ResendConfirmationCode, ForgotPassword and ConfirmForgotPassword; recorded by model/user-context.ts.
 */
export const userContextData = z
  .object({ IpAddress: z.string().max(131072).optional(), EncodedData: z.string().max(131072).optional() })
  .optional();
/** What those operations also accept: metadata for triggers and analytics (validated only), and user context. */
export const requestContext = {
  ClientMetadata: stringMap.optional(),
  UserContextData: userContextData,
  AnalyticsMetadata: z.object({ AnalyticsEndpointId: z.string().optional() }).optional(),
};
/** The members that name one user of one pool, as the Admin* operations take them. */
export const userRef = { UserPoolId: z.string(), Username: z.string().min(1) };

const mfaSettings = z.object({ Enabled: z.boolean().optional(), PreferredMfa: z.boolean().optional() }).optional();
/** The factor settings SetUserMFAPreference and AdminSetUserMFAPreference take. */
export const mfaPreferenceInput = {
  SMSMfaSettings: mfaSettings,
  SoftwareTokenMfaSettings: mfaSettings,
  EmailMfaSettings: mfaSettings,
};
