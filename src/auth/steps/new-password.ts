import { USER_MESSAGES } from '../../cognito/errors.js';
import type { PendingChallenge } from '../../session/types.js';
import { attributeField, labelOf } from '../attributes.js';
import { ATTRIBUTE_MAX, formField, PASSWORD_MAX } from '../form.js';
import type { PageStep } from './step.js';
import { SAY } from '../../http/sentences.js';

const attributeFields = (pending: PendingChallenge<'NEW_PASSWORD_REQUIRED'>) =>
  pending.challenge.requiredAttributes.map(attributeField);

/** NEW_PASSWORD_REQUIRED: the first sign-in of a user created with a temporary password. */
export const newPasswordPage: PageStep<'NEW_PASSWORD_REQUIRED'> = {
  path: '/login/new-password',
  view: 'auth/new-password.njk',
  context: (pending, values) => ({
    username: pending.typedUsername,
    attributes: attributeFields(pending).map((f) => ({ ...f, value: values[`attr_${f.name}`] ?? '' })),
  }),
  read(body, pending) {
    const newPassword = formField(body, 'newPassword');
    const confirm = formField(body, 'confirmPassword');
    const attributes: Record<string, string> = {};
    for (const { name } of attributeFields(pending)) attributes[name] = formField(body, `attr_${name}`).trim();
    const values = Object.fromEntries(Object.entries(attributes).map(([k, v]) => [`attr_${k}`, v]));

    if (!newPassword) return { error: SAY.chooseNewPassword, invalid: 'newPassword', values };
    if (newPassword.length > PASSWORD_MAX) {
      return { error: `Passwords are at most ${PASSWORD_MAX} characters.`, invalid: 'newPassword', values };
    }
    if (newPassword !== confirm) {
      return { error: SAY.passwordsDiffer, invalid: 'confirmPassword', values };
    }
    const missing = Object.entries(attributes).find(([, v]) => !v || v.length > ATTRIBUTE_MAX);
    if (missing) {
      const error = `${labelOf(missing[0])} is required (at most ${ATTRIBUTE_MAX} characters).`;
      return { error, invalid: `attr_${missing[0]}`, values };
    }
    return { answer: { newPassword, attributes }, values };
  },
  onForm: {
    // Cognito's text names the rule broken ("Password must have symbol characters"): show it.
    'password-policy': (err) => err.cognitoMessage ?? USER_MESSAGES[err.kind],
    'invalid-input': (err) => USER_MESSAGES[err.kind],
  },
};
