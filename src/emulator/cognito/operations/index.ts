import type { Operation } from '../operation.js';
import { adminAddUserToGroup } from './admin-add-user-to-group.js';
import { adminConfirmSignUp } from './admin-confirm-sign-up.js';
import { adminCreateUser } from './admin-create-user.js';
import { adminDeleteUser } from './admin-delete-user.js';
import { adminDisableUser, adminEnableUser } from './admin-enable-disable-user.js';
import { adminGetUser } from './admin-get-user.js';
import { adminListGroupsForUser } from './admin-list-groups-for-user.js';
import { adminSetUserMfaPreference } from './admin-set-user-mfa-preference.js';
import { adminResetUserPassword } from './admin-reset-user-password.js';
import { adminSetUserPassword } from './admin-set-user-password.js';
import { adminUserGlobalSignOut } from './admin-user-global-sign-out.js';
import { associateSoftwareToken } from './associate-software-token.js';
import { changePassword } from './change-password.js';
import { confirmForgotPassword } from './confirm-forgot-password.js';
import { confirmSignUp } from './confirm-sign-up.js';
import { createGroup } from './create-group.js';
import { createUserPool } from './create-user-pool.js';
import { createUserPoolClient } from './create-user-pool-client.js';
import { describeUserPool } from './describe-user-pool.js';
import { describeUserPoolClient } from './describe-user-pool-client.js';
import { forgotPassword } from './forgot-password.js';
import { getTokensFromRefreshToken } from './get-tokens-from-refresh-token.js';
import { getUser } from './get-user.js';
import { getUserPoolMfaConfig } from './get-user-pool-mfa-config.js';
import { getUserAttributeVerificationCode } from './get-user-attribute-verification-code.js';
import { getUserAuthFactors } from './get-user-auth-factors.js';
import { globalSignOut } from './global-sign-out.js';
import { initiateAuth } from './initiate-auth.js';
import { listUserPoolClients } from './list-user-pool-clients.js';
import { listUserPools } from './list-user-pools.js';
import { listUsers } from './list-users.js';
import { resendConfirmationCode } from './resend-confirmation-code.js';
import { respondToAuthChallenge } from './respond-to-auth-challenge.js';
import { revokeToken } from './revoke-token.js';
import { setUserMfaPreference } from './set-user-mfa-preference.js';
import { setUserPoolMfaConfig } from './set-user-pool-mfa-config.js';
import { signUp } from './sign-up.js';
import { updateUserAttributes } from './update-user-attributes.js';
import { updateUserPoolClient } from './update-user-pool-client.js';
import { verifySoftwareToken } from './verify-software-token.js';
import { verifyUserAttribute } from './verify-user-attribute.js';
import { completeWebAuthnRegistration } from './complete-web-authn-registration.js';
import { deleteWebAuthnCredential } from './delete-web-authn-credential.js';
import { listWebAuthnCredentials } from './list-web-authn-credentials.js';
import { startWebAuthnRegistration } from './start-web-authn-registration.js';

/**
 * Every operation the emulator answers, one module each. The server finds them by their AWS name; a name not here
 * is an UnknownOperationException. Add an operation: one file with `defineOperation`, one import, one line below.
 */
const all: readonly Operation[] = [
  // Pools, clients and groups
  createUserPool,
  describeUserPool,
  listUserPools,
  createUserPoolClient,
  describeUserPoolClient,
  updateUserPoolClient,
  listUserPoolClients,
  createGroup,
  setUserPoolMfaConfig,
  getUserPoolMfaConfig,
  // Users, as an administrator
  adminCreateUser,
  adminSetUserPassword,
  adminResetUserPassword,
  adminConfirmSignUp,
  adminGetUser,
  adminAddUserToGroup,
  adminListGroupsForUser,
  adminDisableUser,
  adminEnableUser,
  adminUserGlobalSignOut,
  adminDeleteUser,
  adminSetUserMfaPreference,
  listUsers,
  // Self-service accounts
  signUp,
  confirmSignUp,
  resendConfirmationCode,
  forgotPassword,
  confirmForgotPassword,
  // Sign-in
  initiateAuth,
  respondToAuthChallenge,
  getTokensFromRefreshToken,
  // The signed-in user, by access token
  getUser,
  updateUserAttributes,
  getUserAttributeVerificationCode,
  verifyUserAttribute,
  changePassword,
  setUserMfaPreference,
  getUserAuthFactors,
  associateSoftwareToken,
  verifySoftwareToken,
  globalSignOut,
  revokeToken,
  // Passkeys of the signed-in user
  startWebAuthnRegistration,
  completeWebAuthnRegistration,
  listWebAuthnCredentials,
  deleteWebAuthnCredential,
];

/** The operations by AWS name (the `X-Amz-Target` suffix). */
export const operations: ReadonlyMap<string, Operation> = new Map(all.map((op) => [op.name, op]));
