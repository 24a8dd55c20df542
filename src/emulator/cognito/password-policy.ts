import { CognitoError } from './errors.js';

/** The user pool's `Policies.PasswordPolicy`; defaults are Cognito's. */
export interface PasswordPolicy {
  MinimumLength: number;
  RequireUppercase: boolean;
  RequireLowercase: boolean;
  RequireNumbers: boolean;
  RequireSymbols: boolean;
  TemporaryPasswordValidityDays: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};

// Cognito's special characters for RequireSymbols.
const SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/;

/** The first rule the password breaks, worded as Cognito's InvalidPasswordException, or undefined. */
export function passwordProblem(password: string, policy: PasswordPolicy): string | undefined {
  if (password.length < policy.MinimumLength) return 'Password not long enough';
  if (policy.RequireLowercase && !/[a-z]/.test(password)) return 'Password must have lowercase characters';
  if (policy.RequireUppercase && !/[A-Z]/.test(password)) return 'Password must have uppercase characters';
  if (policy.RequireNumbers && !/[0-9]/.test(password)) return 'Password must have numeric characters';
  if (policy.RequireSymbols && !SYMBOLS.test(password)) return 'Password must have symbol characters';
  return undefined;
}

export function assertPasswordConforms(password: string, policy: PasswordPolicy): void {
  const problem = passwordProblem(password, policy);
  if (problem) throw new CognitoError('InvalidPasswordException', `Password does not conform to policy: ${problem}`);
}
