import { SAY } from '../../http/sentences.js';
import { formField, USERNAME_MAX } from '../form.js';
import type { Reading } from './journey.js';

/** Cognito's codes are 6 digits; anything that is not a short run of digits is refused before Cognito sees it. */
const CODE = /^\d{4,10}$/;

export function readUsername(body: unknown): Reading<string> {
  const username = formField(body, 'username').trim();
  const values = { username: username.slice(0, USERNAME_MAX) };
  if (!username || username.length > USERNAME_MAX) return { error: SAY.enterUsername, invalid: 'username', values };
  return { input: username, values };
}

/** The username and a code, as the confirm and reset forms post them. */
export function readUsernameAndCode(body: unknown): Reading<{ username: string; code: string }> {
  const username = readUsername(body);
  if ('error' in username) return username;
  const code = readCode(body);
  if ('error' in code) return { ...code, values: username.values };
  return { input: { username: username.input, code: code.input }, values: username.values };
}

export function readCode(body: unknown, name = 'code'): Reading<string> {
  // Codes are often pasted with spaces ("123 456").
  const code = formField(body, name).replace(/\s+/g, '');
  if (!CODE.test(code)) return { error: SAY.enterCode, invalid: name, values: {} };
  return { input: code, values: {} };
}
