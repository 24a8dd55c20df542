/**
 * Errors as the AWS JSON 1.1 protocol returns them: HTTP 400 with `{"__type": name, "message": text}`.
 * Names and messages are the ones real Cognito sends (each operation's Errors section in the API reference; the moto
 * cross-check compares them), because SDKs and the BFF branch on them.
 */
export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export const notAuthorized = (message: string) => new CognitoError('NotAuthorizedException', message);
export const invalidParameter = (message: string) => new CognitoError('InvalidParameterException', message);
export const resourceNotFound = (message: string) => new CognitoError('ResourceNotFoundException', message);

export const INCORRECT_CREDENTIALS = 'Incorrect username or password.';
export const INVALID_SESSION = 'Invalid session for the user, session is expired.';

export const missingSecretHash = (clientId: string) =>
  notAuthorized(`Client ${clientId} is configured with secret but SECRET_HASH was not received`);
export const wrongSecretHash = (clientId: string) =>
  notAuthorized(`Unable to verify secret hash for client ${clientId}`);
export const userNotFound = () => new CognitoError('UserNotFoundException', 'User does not exist.');
export const missingParameter = (name: string) => invalidParameter(`Missing required parameter ${name}`);
