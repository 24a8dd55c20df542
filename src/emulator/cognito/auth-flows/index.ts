import type { AuthFlowHandler } from '../auth-step.js';
import { invalidParameter } from '../errors.js';
import type { AuthFlow } from '../names.js';
import { refreshTokenAuth } from './refresh-token.js';
import { userAuth } from './user-auth.js';
import { userPasswordAuth } from './user-password.js';

/** A flow AWS knows and the emulator refuses, with the message given. */
const refused =
  (message: string): AuthFlowHandler =>
  () =>
    Promise.reject(invalidParameter(message));

/** The emulator implements no SRP or custom-challenge Lambda. */
const notEmulated = (flow: AuthFlow) => refused(`${flow} is not supported by this emulator.`);

/**
 * InitiateAuth's flows, by AuthFlow. Every AWS flow has an entry (the type forbids forgetting one): add a flow as
 * one file exporting an AuthFlowHandler and one line here.
 */
export const authFlows: Record<AuthFlow, AuthFlowHandler> = {
  USER_PASSWORD_AUTH: userPasswordAuth,
  REFRESH_TOKEN_AUTH: refreshTokenAuth,
  REFRESH_TOKEN: refreshTokenAuth,
  // Admin flows belong to AdminInitiateAuth; InitiateAuth answers them so.
  ADMIN_NO_SRP_AUTH: refused('Initiate Auth method not supported.'),
  ADMIN_USER_PASSWORD_AUTH: refused('Initiate Auth method not supported.'),
  USER_SRP_AUTH: notEmulated('USER_SRP_AUTH'),
  CUSTOM_AUTH: notEmulated('CUSTOM_AUTH'),
  USER_AUTH: userAuth,
};
