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

  // Multi-factor sign-in.
  enterSixDigits: 'Enter the 6-digit code.',
  mfaCodeFromApp: 'Enter the 6-digit code your authenticator app shows for this site.',
  mfaCodeFromNamedApp: (name: string) => `Enter the 6-digit code your authenticator app (${name}) shows for this site.`,
  mfaCodeSentByEmail: (to: string) => `We have sent a 6-digit code to ${to}. Enter it to finish signing in.`,
  mfaCodeSentBySms: (to: string) =>
    `We have sent a 6-digit code by text message to ${to}. Enter it to finish signing in.`,
  chooseFactor: 'Choose how you want to confirm it is you.',
  chooseWayToSignIn: 'Choose a way to sign in.',
  enterPassword: 'Enter your password.',
  enterUsernameToContinue: 'Enter your username or email to continue.',
  newSignInCodeSent: 'We have sent a new code. Only the newest code works.',

  // Accounts: sign-up, codes, password recovery, the account page.
  usernameTaken: 'That username is taken. Choose another, or sign in if it is yours.',
  emailTaken: 'That email address belongs to another account.',
  signUpDisabled: 'New accounts cannot be created here. Ask your administrator for one.',
  alreadyConfirmed: 'This account is already confirmed. You can sign in.',
  codeMismatch: 'That code is not right. Check it and try again.',
  codeExpired: 'That code has expired. Ask for a new one.',
  tooManyFailures: 'Too many wrong codes. Ask for a new code and try again.',
  tooManyCodes: 'Too many codes were sent. Please wait a while before asking for another.',
  tooManyAttempts: (minutes: number) => `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
  wrongCurrentPassword: 'Your current password is not right.',
  deliveryFailed: 'The code could not be sent. Please try again shortly.',
  enterCode: 'Enter the code we sent you.',
  enterUsername: 'Enter your username.',
  enterEmail: 'Enter an email address.',
  enterCurrentPassword: 'Enter your current password.',
  signUpCodeSent: (to: string) => `We have sent a code to ${to}. Enter it below to confirm your account.`,
  signUpCodeResent: (to: string) => `We have sent a new code to ${to}. Only the newest code works.`,
  signUpCodeResentSomewhere: 'If the account is waiting for confirmation, a new code is on its way.',
  signUpNeedsAdmin: 'Your account has been created. An administrator must confirm it before you can sign in.',
  confirmBeforeSignIn: (to: string) => `Your account is not confirmed yet. We have sent a code to ${to}.`,
  accountConfirmed: 'Your account is confirmed. Sign in to continue.',
  confirmedAndSignedIn: 'Your account is confirmed and you are signed in.',
  confirmedAddPasskey:
    'Your account is confirmed and you are signed in. Add a passkey below to sign in next time without a password or a code.',
  resetCodeSent:
    'If an account exists with that username, we have sent a code to its email address or phone. Enter it below with a new password.',
  resetRequiredCodeSent:
    'Your password must be reset before you can sign in. Enter the code we sent you and choose a new password, or ask for a new code.',
  passwordReset: 'Your password has been changed. Sign in with your new password.',
  passwordChanged: 'Your password has been changed.',
  emailChangePending: (to: string) => `We have sent a code to ${to}. Enter it below to verify your new email address.`,
  emailCodeSent: (to: string) => `We have sent a code to ${to}.`,
  emailVerified: 'Your email address is verified.',
  passwordChangedOthersEnded: 'Your password has been changed, and your other sessions have been signed out.',
  passwordChangedOthersNotEnded:
    'Your password has been changed, but your other sessions could not be signed out just now. Sign them out under Your sessions.',
  passwordResetSessionsNotEnded:
    'Your password has been changed. Sessions still signed in could not be signed out just now: after signing in, sign them out under Your sessions.',

  // The account's sessions (/account/sessions).
  sessionSignedOut: 'That session has been signed out.',
  signedOutEverywhereUntold:
    'Every session here has been signed out, but Cognito could not be reached to end your sign-ins to other apps. Sign in again and try once more to end those too.',
  sessionAlreadyEnded: 'That session had already ended.',
  otherSessionsEnded: (count: number) =>
    count === 0 ? 'No other session was signed in.' : `Signed out ${count} other session${count === 1 ? '' : 's'}.`,

  // The account's second factors (/account/security).
  signInAgainToTurnOff: 'To turn this off, sign in again first.',
  signInAgainToChangeEmail: 'To change your email address, sign in again first.',
  signInAgainToContinue: 'Sign in again to continue.',
  appSetUpStart: 'Start the set-up again: the last one was finished or has expired.',
  appAdded: 'Your authenticator app is set up.',
  appOff: 'Authenticator app codes are off. You can add an app again at any time.',
  emailCodesOn: 'Email codes are on. Sign-ins use your preferred way, shown below.',
  emailCodesOff: 'Email codes are off.',
  emailCodesNeedVerifiedEmail:
    'Email codes need a verified email address. Verify your email on the account page first.',
  smsCodesOn: 'Text message codes are on. Sign-ins use your preferred way, shown below.',
  smsCodesOff: 'Text message codes are off.',
  smsCodesNeedPhone: 'Text message codes need a verified phone number on your account.',
  preferredChanged: 'Your preferred way to confirm sign-ins is changed.',
  chooseFactorOn: 'Choose one of the ways that are on.',

  // Passkeys: sign-in (/login/passkey) and the account's passkeys (/account/security).
  passkeyIntro: 'Use your passkey',
  passkeyRefused:
    'That passkey was not accepted, or this sign-in has expired. Sign in again, or choose another way to sign in.',
  passkeyNotRead: 'Your browser did not send a passkey. Try again, or choose another way to sign in.',
  passkeyNeedsScript: 'Passkeys need JavaScript, which is off or blocked in this browser.',
  // Shown by /static/js/passkey.js when the browser's ceremony fails (the page carries them in data attributes).
  passkeyCancelled: 'The passkey request was cancelled or timed out. Try again when you are ready.',
  passkeyUnsupportedBrowser: 'This browser cannot use passkeys. Choose another way, or use another browser.',
  passkeyAlreadyOnDevice: 'This device already holds a passkey for your account. Use another device or key.',
  passkeyFailed: 'The passkey did not work. Try again, or choose another way.',
  passkeyTryAgain: 'Try again',
  passkeysOff: 'Passkeys are not turned on for this site.',
  passkeySetUpStart: 'Start adding the passkey again: the last attempt was finished or has expired.',
  passkeySetUpExpired: 'Adding the passkey took too long or was already done. Start again.',
  passkeyWrongSite: 'That passkey was made for another site and cannot be used here.',
  passkeyNotSupported: 'That passkey or security key is not supported here. Try another one.',
  tooManyPasskeys: 'Your account has as many passkeys as it can hold. Remove one before adding another.',
  passkeyNotFound: 'That passkey was already removed.',
  passkeyAdded: 'Your passkey is added. You can sign in with it instead of a password or a code.',
  passkeyRemoved: 'The passkey is removed. It can no longer sign in to this account.',
  signInAgainToRemove: 'To remove a passkey, sign in again first.',

  // Requests refused before anything else happens.
  notFound: 'There is nothing here.',
  formExpired: 'This form has expired or did not come from this site. Go back, reload the page and try again.',
  crossSite: 'This request came from another site and was refused.',
  csrfHeaderMissing: 'This request must carry the X-CSRF: 1 header.',
  badPath: 'That API path is not allowed.',
  methodNotAllowed: 'That API path does not accept this method.',
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
