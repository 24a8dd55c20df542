import { z } from 'zod';
import { CognitoError, invalidParameter } from '../errors.js';
import { newClientId, newClientSecret, newPoolId } from '../ids.js';
import { newPoolKey } from '../keys.js';
import { epochSeconds, getPool } from '../lookup.js';
import { operation } from '../operation.js';
import type { OperationContext } from '../operation.js';
import { DEFAULT_PASSWORD_POLICY } from '../password-policy.js';
import { toSeconds } from '../state.js';
import type { AppClient, TimeUnit, UserPool } from '../state.js';

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

function describePool(pool: UserPool) {
  return {
    Id: pool.Id,
    Name: pool.Name,
    Arn: pool.Arn,
    Policies: { PasswordPolicy: pool.PasswordPolicy },
    UsernameAttributes: pool.UsernameAttributes.length > 0 ? pool.UsernameAttributes : undefined,
    SchemaAttributes: pool.requiredAttributes.map((Name) => ({ Name, Required: true, Mutable: true })),
    EstimatedNumberOfUsers: pool.users.size,
    CreationDate: epochSeconds(pool.CreationDate),
    LastModifiedDate: epochSeconds(pool.CreationDate),
  };
}

/** Pool ids the emulator creates; a fixed `Id` is accepted so a config file can pin one. */
export async function createPool(
  ctx: OperationContext,
  input: {
    PoolName: string;
    Id?: string;
    Policies?: { PasswordPolicy?: Partial<UserPool['PasswordPolicy']> };
    UsernameAttributes?: string[];
    Schema?: { Name?: string; Required?: boolean }[];
  },
): Promise<UserPool> {
  const region = 'us-east-1';
  const id = input.Id ?? newPoolId(region);
  if (ctx.state.pools.has(id)) throw invalidParameter(`User pool ${id} already exists.`);
  const now = ctx.clock();
  const pool: UserPool = {
    Id: id,
    Name: input.PoolName,
    Arn: `arn:aws:cognito-idp:${region}:000000000000:userpool/${id}`,
    region,
    issuer: `${ctx.issuerBase()}/${id}`,
    PasswordPolicy: { ...DEFAULT_PASSWORD_POLICY, ...input.Policies?.PasswordPolicy },
    UsernameAttributes: input.UsernameAttributes ?? [],
    requiredAttributes: (input.Schema ?? []).filter((a) => a.Required && a.Name).map((a) => a.Name as string),
    CreationDate: now,
    key: await newPoolKey(),
    users: new Map(),
    groups: new Map(),
    clients: new Map(),
  };
  ctx.state.pools.set(id, pool);
  return pool;
}

const createUserPool = operation(
  z.object({
    PoolName: z.string().min(1).max(128),
    Policies: z
      .object({
        PasswordPolicy: z
          .object({
            MinimumLength: z.number().int().min(6).max(99).optional(),
            RequireUppercase: z.boolean().optional(),
            RequireLowercase: z.boolean().optional(),
            RequireNumbers: z.boolean().optional(),
            RequireSymbols: z.boolean().optional(),
            TemporaryPasswordValidityDays: z.number().int().min(0).max(365).optional(),
          })
          .optional(),
      })
      .optional(),
    UsernameAttributes: z.array(z.enum(['email', 'phone_number'])).optional(),
    Schema: z.array(z.object({ Name: z.string().optional(), Required: z.boolean().optional() })).optional(),
  }),
  async (input, ctx) => ({ UserPool: describePool(await createPool(ctx, input)) }),
);

const describeUserPool = operation(z.object({ UserPoolId: z.string() }), (input, ctx) => ({
  UserPool: describePool(getPool(ctx.state, input.UserPoolId)),
}));

const listUserPools = operation(
  z.object({ MaxResults: z.number().int().min(1).max(60), NextToken: z.string().optional() }),
  (input, ctx) => ({
    UserPools: [...ctx.state.pools.values()].slice(0, input.MaxResults).map((p) => ({
      Id: p.Id,
      Name: p.Name,
      CreationDate: epochSeconds(p.CreationDate),
      LastModifiedDate: epochSeconds(p.CreationDate),
    })),
  }),
);

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
});

/** Builds an app client with Cognito's defaults (60 min tokens, 30 day refresh, 3 min challenge sessions). */
export function createClient(ctx: OperationContext, input: z.infer<typeof clientInput>): AppClient {
  const pool = getPool(ctx.state, input.UserPoolId);
  const flows = input.ExplicitAuthFlows ?? DEFAULT_AUTH_FLOWS;
  const legacy = flows.filter((f) => !f.startsWith('ALLOW_'));
  if (legacy.length > 0 && legacy.length !== flows.length) {
    throw invalidParameter('ExplicitAuthFlows cannot mix legacy values with values that begin with ALLOW_.');
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
  const clientId = input.ClientId ?? newClientId();
  if (ctx.state.clientPool.has(clientId)) throw invalidParameter(`User pool client ${clientId} already exists.`);
  const now = ctx.clock();
  const client: AppClient = {
    ClientId: clientId,
    ClientName: input.ClientName,
    UserPoolId: pool.Id,
    ...(input.GenerateSecret ? { ClientSecret: input.ClientSecret ?? newClientSecret() } : {}),
    ExplicitAuthFlows: [...flows],
    AccessTokenValidity: validity.AccessToken,
    IdTokenValidity: validity.IdToken,
    RefreshTokenValidity: validity.RefreshToken,
    TokenValidityUnits: units,
    PreventUserExistenceErrors: input.PreventUserExistenceErrors ?? 'ENABLED',
    AuthSessionValidity: input.AuthSessionValidity ?? 3,
    EnableTokenRevocation: input.EnableTokenRevocation ?? true,
    RefreshTokenRotation: {
      Feature: input.RefreshTokenRotation?.Feature ?? 'DISABLED',
      RetryGracePeriodSeconds: input.RefreshTokenRotation?.RetryGracePeriodSeconds ?? 0,
    },
    CreationDate: now,
    LastModifiedDate: now,
  };
  pool.clients.set(clientId, client);
  ctx.state.clientPool.set(clientId, pool.Id);
  return client;
}

const describeClient = (client: AppClient) => ({
  ...client,
  CreationDate: epochSeconds(client.CreationDate),
  LastModifiedDate: epochSeconds(client.LastModifiedDate),
});

const createUserPoolClient = operation(clientInput.omit({ ClientId: true, ClientSecret: true }), (input, ctx) => ({
  UserPoolClient: describeClient(createClient(ctx, input)),
}));

const describeUserPoolClient = operation(z.object({ UserPoolId: z.string(), ClientId: z.string() }), (input, ctx) => {
  const client = getPool(ctx.state, input.UserPoolId).clients.get(input.ClientId);
  if (!client)
    throw new CognitoError('ResourceNotFoundException', `User pool client ${input.ClientId} does not exist.`);
  return { UserPoolClient: describeClient(client) };
});

const listUserPoolClients = operation(
  z.object({ UserPoolId: z.string(), MaxResults: z.number().int().min(1).max(60).optional() }),
  (input, ctx) => ({
    UserPoolClients: [...getPool(ctx.state, input.UserPoolId).clients.values()]
      .slice(0, input.MaxResults ?? 60)
      .map((c) => ({ ClientId: c.ClientId, UserPoolId: c.UserPoolId, ClientName: c.ClientName })),
  }),
);

const createGroup = operation(
  z.object({
    UserPoolId: z.string(),
    GroupName: z.string().min(1).max(128),
    Description: z.string().optional(),
    Precedence: z.number().int().min(0).optional(),
  }),
  (input, ctx) => {
    const pool = getPool(ctx.state, input.UserPoolId);
    if (pool.groups.has(input.GroupName)) {
      throw new CognitoError('GroupExistsException', 'A group with the name already exists.');
    }
    const group = {
      GroupName: input.GroupName,
      Description: input.Description,
      Precedence: input.Precedence,
      CreationDate: ctx.clock(),
    };
    pool.groups.set(group.GroupName, group);
    return {
      Group: {
        ...group,
        UserPoolId: pool.Id,
        CreationDate: epochSeconds(group.CreationDate),
        LastModifiedDate: epochSeconds(group.CreationDate),
      },
    };
  },
);

export const poolOperations = {
  CreateUserPool: createUserPool,
  DescribeUserPool: describeUserPool,
  ListUserPools: listUserPools,
  CreateUserPoolClient: createUserPoolClient,
  DescribeUserPoolClient: describeUserPoolClient,
  ListUserPoolClients: listUserPoolClients,
  CreateGroup: createGroup,
};
