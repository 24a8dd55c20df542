/**
 * Every sentence a user reads, in one place: the same situation always reads the same, and a page or an API answer
 * never shows a detail meant for the logs (those carry the detail; the user gets one of these).
 */
export const SAY = {
  // Sessions and sign-in.
  signInFirst: 'Sign in first.',
  sessionEnded: 'Your session has ended. Please sign in again.',
  challengeExpired: 'Your sign-in took too long or was already used. Please sign in again.',
  signedOut: 'You have signed out.',
  badCredentials: 'Incorrect username or password.',
  enterUsernameAndPassword: 'Enter your username and password.',
  passwordPolicy: 'That password does not meet the requirements.',
  invalidInput: 'Some of the details are missing or not valid.',
  notConfirmed: 'Your account is not confirmed yet.',
  resetRequired: 'Your password must be reset before you can sign in.',
  throttled: 'Too many sign-in attempts. Please wait a minute and try again.',
  signInUnavailable: 'Sign-in is temporarily unavailable. Please try again shortly.',
  unsupportedStep:
    'Your account needs a sign-in step (such as multi-factor authentication) this site does not offer yet.',
  chooseNewPassword: 'Choose a new password.',
  passwordsDiffer: 'The two passwords do not match.',

  // Requests refused before anything else happens.
  notFound: 'There is nothing here.',
  formExpired: 'This form has expired or did not come from this site. Go back, reload the page and try again.',
  crossSite: 'This request came from another site and was refused.',
  csrfHeaderMissing: 'API calls must carry the X-CSRF: 1 header.',
  badPath: 'That API path is not allowed.',
  bodyTooLarge: (max: number) => `The request body is over ${max} bytes.`,
  requestTooLarge: 'The request is too large.',
  bodyTimeout: 'The request body did not arrive in time.',
  unreadable: 'The request could not be read.',
  unsupportedEncoding: 'The request encoding is not supported.',
  unprocessable: 'The request could not be processed.',

  // Something on our side or further on.
  temporarilyUnavailable: 'The service is temporarily unavailable. Please try again shortly.',
  upstreamTimeout: 'The API did not answer in time.',
  upstreamUnavailable: 'The API could not be reached.',
  upstreamBusy: 'The API is busy. Please try again shortly.',
  generic: 'Something went wrong on our side.',
} as const;
