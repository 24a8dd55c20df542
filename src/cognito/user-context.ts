import type { UserContextDataType } from '@aws-sdk/client-cognito-identity-provider';

/**
 * What Cognito threat protection scores a browser's unauthenticated call by (UserContextDataType): the browser's
 * address, and the device fingerprint Amazon's script collected on the page when there was one. Behind a BFF every
 * call comes from the server's address, so without this all users look like one. Cognito believes `ipAddress` only
 * from an app client with a secret and EnablePropagateAdditionalUserContextData ("When
 * EnablePropagateAdditionalUserContextData is false, you can't send your user's source IP address to Amazon Cognito
 * threat protection with unauthenticated API operations": API reference, UserPoolClientType); otherwise it uses the
 * caller's address, here the server's.
 *
 * Sent on InitiateAuth, RespondToAuthChallenge, SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword and
 * ConfirmForgotPassword, the operations that accept it. Not on refreshes: threat protection scores sign-in, sign-up,
 * password and code events (AuthEventType's EventType: SignIn, SignUp, ForgotPassword, PasswordChange, ResendCode),
 * not token refreshes, and GetTokensFromRefreshToken has no UserContextData member at all.
 */
export interface UserContext {
  /** The browser's address as Express resolves `req.ip` under TRUST_PROXY. */
  ipAddress?: string;
  /** `AmazonCognitoAdvancedSecurityData.getData(...)` from the page, when it posted one that looked right. */
  encodedData?: string;
}

/** The request member for `context`; nothing when there is nothing to send. */
export function userContextData(context: UserContext): { UserContextData?: UserContextDataType } {
  const data: UserContextDataType = {
    ...(context.ipAddress ? { IpAddress: context.ipAddress } : {}),
    ...(context.encodedData ? { EncodedData: context.encodedData } : {}),
  };
  return Object.keys(data).length > 0 ? { UserContextData: data } : {};
}
