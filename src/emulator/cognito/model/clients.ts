import { z } from 'zod';
import { invalidParameter, resourceNotFound } from '../errors.js';
import { newClientId, newClientSecret } from '../ids.js';
import { epochSeconds, getPool } from '../lookup.js';
import type { OperationContext } from '../operation.js';
import { toSeconds } from '../state.js';
import type { AppClient, TimeUnit } from '../state.js';

const timeUnit = z.enum(['seconds', 'minutes', 'hours', 'days']);

const AUTH_FLOWS = [
  'ADMIN_NO_SRP_AUTH',
  'CUSTOM_AUTH_FLOW_ONLY',
  'USER_PASSWORD_AUTH',
  'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  'ALLOW_CUSTOM_AUTH',
  'ALLOW_USER_PASSWORD_AUTH',
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
  'ALLOW_USER_AUTH',
] as const;

const DEFAULT_AUTH_FLOWS = ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'];

const validityRange: Record<'AccessToken' | 'IdToken' | 'RefreshToken', [number, number]> = {
  AccessToken: [300, 86400],
  IdToken: [300, 86400],
  RefreshToken: [3600, 315360000],
};

/** CreateUserPoolClient's members, plus `ClientId` and `ClientSecret`, which only a stack config file may pin. */
export const clientInput = z.object({
  UserPoolId: z.string(),
  ClientName: z.string().min(1).max(128),
  ClientId: z.string().optional(),
  ClientSecret: z.string().optional(),
  GenerateSecret: z.boolean().optional(),
  ExplicitAuthFlows: z.array(z.enum(AUTH_FLOWS)).optional(),
  AccessTokenValidity: z.number().int().positive().optional(),
  IdTokenValidity: z.number().int().positive().optional(),
  RefreshTokenValidity: z.number().int().positive().optional(),
  TokenValidityUnits: z
    .object({ AccessToken: timeUnit.optional(), IdToken: timeUnit.optional(), RefreshToken: timeUnit.optional() })
    .optional(),
  PreventUserExistenceErrors: z.enum(['ENABLED', 'LEGACY']).optional(),
  AuthSessionValidity: z.number().int().min(3).max(15).optional(),
  EnableTokenRevocation: z.boolean().optional(),
  RefreshTokenRotation: z
    .object({
      Feature: z.enum(['ENABLED', 'DISABLED']),
      RetryGracePeriodSeconds: z.number().int().min(0).max(60).optional(),
    })
    .optional(),
  EnablePropagateAdditionalUserContextData: z.boolean().optional(),
});

/** UpdateUserPoolClient's members: the settings again (omitted ones go back to their defaults), never the secret. */
export const clientUpdateInput = clientInput
  .omit({ ClientId: true, ClientSecret: true, GenerateSecret: true })
  .extend({ ClientId: z.string().min(1), ClientName: z.string().min(1).max(128).optional() });

type Settings = Omit<
  AppClient,
  'ClientId' | 'ClientName' | 'UserPoolId' | 'ClientSecret' | 'CreationDate' | 'LastModifiedDate'
>;

/**
 * An app client's settings from CreateUserPoolClient's or UpdateUserPoolClient's members, with Cognito's defaults
 * (60 min tokens, 30 day refresh, 3 min challenge sessions) for those left out.
 */
function settingsOf(input: Omit<z.infer<typeof clientUpdateInput>, 'ClientId'>, hasSecret: boolean): Settings {
  const flows = input.ExplicitAuthFlows ?? DEFAULT_AUTH_FLOWS;
  const legacy = flows.filter((f) => !f.startsWith('ALLOW_'));
  if (legacy.length > 0 && legacy.length !== flows.length) {
    throw invalidParameter('ExplicitAuthFlows cannot mix legacy values with values that begin with ALLOW_.');
  }
  // "You can only activate EnablePropagateAdditionalUserContextData in an app client that has a client secret" (API
  // reference, CreateUserPoolClient). AWS refuses it with InvalidParameterException; the wording here is ours.
  if (input.EnablePropagateAdditionalUserContextData && !hasSecret) {
    throw invalidParameter('EnablePropagateAdditionalUserContextData can only be enabled for a client with a secret.');
  }
  const units = {
    AccessToken: input.TokenValidityUnits?.AccessToken ?? (input.AccessTokenValidity ? 'hours' : 'minutes'),
    IdToken: input.TokenValidityUnits?.IdToken ?? (input.IdTokenValidity ? 'hours' : 'minutes'),
    RefreshToken: input.TokenValidityUnits?.RefreshToken ?? 'days',
  } satisfies Record<string, TimeUnit>;
  const validity = {
    AccessToken: input.AccessTokenValidity ?? 60,
    IdToken: input.IdTokenValidity ?? 60,
    RefreshToken: input.RefreshTokenValidity ?? 30,
  };
  for (const kind of ['AccessToken', 'IdToken', 'RefreshToken'] as const) {
    const seconds = toSeconds(validity[kind], units[kind]);
    const [min, max] = validityRange[kind];
    if (seconds < min || seconds > max) {
      throw invalidParameter(`Invalid range for token validity: ${kind} must be between ${min} and ${max} seconds.`);
    }
  }
  return {
    ExplicitAuthFlows: [...flows],
    AccessTokenValidity: validity.AccessToken,
    IdTokenValidity: validity.IdToken,
    RefreshTokenValidity: validity.RefreshToken,
    TokenValidityUnits: units,
    // "When you create a new app client with the Amazon Cognito user pools API, PreventUserExistenceErrors is
    // LEGACY, or disabled, by default" (developer guide, managing user existence errors); the console, and the
    // walkthrough stack file, choose ENABLED.
    PreventUserExistenceErrors: input.PreventUserExistenceErrors ?? 'LEGACY',
    AuthSessionValidity: input.AuthSessionValidity ?? 3,
    EnableTokenRevocation: input.EnableTokenRevocation ?? true,
    RefreshTokenRotation: {
      Feature: input.RefreshTokenRotation?.Feature ?? 'DISABLED',
      RetryGracePeriodSeconds: input.RefreshTokenRotation?.RetryGracePeriodSeconds ?? 0,
    },
    EnablePropagateAdditionalUserContextData: input.EnablePropagateAdditionalUserContextData ?? false,
  };
}

/** Builds an app client with Cognito's defaults. */
export function createClient(ctx: OperationContext, input: z.infer<typeof clientInput>): AppClient {
  const pool = getPool(ctx.state, input.UserPoolId);
  const settings = settingsOf(input, input.GenerateSecret === true);
  const clientId = input.ClientId ?? newClientId();
  if (ctx.state.clientPool.has(clientId)) throw invalidParameter(`User pool client ${clientId} already exists.`);
  const now = ctx.clock();
  const client: AppClient = {
    ClientId: clientId,
    ClientName: input.ClientName,
    UserPoolId: pool.Id,
    ...(input.GenerateSecret ? { ClientSecret: input.ClientSecret ?? newClientSecret() } : {}),
    ...settings,
    CreationDate: now,
    LastModifiedDate: now,
  };
  pool.clients.set(clientId, client);
  ctx.state.clientPool.set(clientId, pool.Id);
  return client;
}

/**
 * UpdateUserPoolClient: "If you don't provide a value for an attribute, Amazon Cognito sets it to its default value"
 * (API reference); the id, the secret and the name (when not given) stay.
 */
export function updateClient(ctx: OperationContext, input: z.infer<typeof clientUpdateInput>): AppClient {
  const pool = getPool(ctx.state, input.UserPoolId);
  const existing = pool.clients.get(input.ClientId);
  if (!existing) throw resourceNotFound(`User pool client ${input.ClientId} does not exist.`);
  const client: AppClient = {
    ClientId: existing.ClientId,
    ClientName: input.ClientName ?? existing.ClientName,
    UserPoolId: pool.Id,
    ...(existing.ClientSecret !== undefined ? { ClientSecret: existing.ClientSecret } : {}),
    ...settingsOf(input, existing.ClientSecret !== undefined),
    CreationDate: existing.CreationDate,
    LastModifiedDate: ctx.clock(),
  };
  pool.clients.set(client.ClientId, client);
  return client;
}

/** An app client in the shape DescribeUserPoolClient and CreateUserPoolClient return. */
export const describeClient = (client: AppClient) => ({
  ...client,
  CreationDate: epochSeconds(client.CreationDate),
  LastModifiedDate: epochSeconds(client.LastModifiedDate),
});

/**
 * Whether the client allows a flow: USER_PASSWORD_AUTH only when listed (ALLOW_ or legacy name); USER_AUTH only as
 * ALLOW_USER_AUTH (it has no legacy name); REFRESH_TOKEN_AUTH when listed or when the client lists only legacy
 * names, which always allowed it.
 */
export function allowsFlow(
  client: AppClient,
  flow: 'USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH' | 'USER_AUTH',
): boolean {
  const flows = client.ExplicitAuthFlows;
  if (flow === 'REFRESH_TOKEN_AUTH')
    return flows.includes('ALLOW_REFRESH_TOKEN_AUTH') || !flows.some((f) => f.startsWith('ALLOW_'));
  if (flow === 'USER_AUTH') return flows.includes('ALLOW_USER_AUTH');
  return flows.includes('ALLOW_USER_PASSWORD_AUTH') || flows.includes('USER_PASSWORD_AUTH');
}
