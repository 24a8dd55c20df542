import type { Request, RequestHandler, Response } from 'express';
import type { SignInResult } from '../cognito/auth-client.js';
import { AuthFailure, USER_MESSAGES } from '../cognito/errors.js';
import { completeSignIn, FAILURE_STATUS, PASSWORD_MAX, renderSignInFailure } from './login.js';
import type { LoginDeps } from './login.js';
import { renderPage } from './pages.js';
import { safeReturnTo } from './return-to.js';
import { readPending, regenerate } from './session-lifecycle.js';
import type { PendingChallenge } from '../session/types.js';

/** Cognito keeps a challenge session for 3 minutes by default; past that, ask again without calling Cognito. */
const CHALLENGE_TTL_MS = 15 * 60_000;
const ATTRIBUTE_MAX = 2048;

const ATTRIBUTE_LABELS: Record<string, string> = {
  email: 'Email address',
  name: 'Full name',
  given_name: 'Given name',
  family_name: 'Family name',
  phone_number: 'Phone number (+countrycode…)',
  birthdate: 'Date of birth (YYYY-MM-DD)',
  preferred_username: 'Preferred username',
};

const attributeFields = (pending: PendingChallenge) =>
  pending.challenge.requiredAttributes.map((name) => ({
    name,
    label: ATTRIBUTE_LABELS[name] ?? name,
    type: name === 'email' ? 'email' : name === 'phone_number' ? 'tel' : 'text',
  }));

async function pendingOf(req: Request, deps: LoginDeps): Promise<PendingChallenge | undefined> {
  const pending = await readPending(req, deps.sealer);
  if (!pending || Date.now() - pending.startedAt > CHALLENGE_TTL_MS) return undefined;
  return pending;
}

async function backToLogin(req: Request, res: Response): Promise<void> {
  const returnTo = safeReturnTo(req.session?.returnTo);
  if (req.session?.pending) {
    await regenerate(req);
  }
  const query = new URLSearchParams({ reason: 'challenge-expired', ...(returnTo !== '/' ? { returnTo } : {}) });
  res.redirect(303, `/login?${query.toString()}`);
}

function renderForm(
  res: Response,
  status: number,
  pending: PendingChallenge,
  error?: string,
  values: Record<string, string> = {},
) {
  renderPage(res, 'auth/new-password.njk', status, {
    username: pending.typedUsername,
    attributes: attributeFields(pending).map((f) => ({ ...f, value: values[f.name] ?? '' })),
    ...(error ? { error } : {}),
  });
}

export function getNewPassword(deps: LoginDeps): RequestHandler {
  return async (req, res) => {
    const pending = await pendingOf(req, deps);
    if (!pending) {
      await backToLogin(req, res);
      return;
    }
    renderForm(res, 200, pending);
  };
}

/** Answers NEW_PASSWORD_REQUIRED with the Cognito session kept on the server since the first step. */
export function postNewPassword(deps: LoginDeps): RequestHandler {
  return async (req, res) => {
    const pending = await pendingOf(req, deps);
    if (!pending) {
      await backToLogin(req, res);
      return;
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
    const newPassword = text('newPassword');
    const confirm = text('confirmPassword');
    const attributes: Record<string, string> = {};
    for (const { name } of attributeFields(pending)) attributes[name] = text(`attr_${name}`).trim();

    if (!newPassword) return renderForm(res, 400, pending, 'Choose a new password.', attributes);
    if (newPassword.length > PASSWORD_MAX) {
      return renderForm(res, 400, pending, `Passwords are at most ${PASSWORD_MAX} characters.`, attributes);
    }
    if (newPassword !== confirm) return renderForm(res, 400, pending, 'The two passwords do not match.', attributes);
    const missing = Object.entries(attributes).find(([, v]) => !v || v.length > ATTRIBUTE_MAX);
    if (missing) {
      const label = ATTRIBUTE_LABELS[missing[0]] ?? missing[0];
      return renderForm(res, 400, pending, `${label} is required (at most ${ATTRIBUTE_MAX} characters).`, attributes);
    }

    let result: SignInResult;
    try {
      result = await deps.cognito.completeNewPassword(pending.challenge, newPassword, attributes);
    } catch (err) {
      if (!(err instanceof AuthFailure)) throw err;
      switch (err.kind) {
        case 'challenge-expired':
          deps.logger.info({ kind: err.kind }, 'challenge session rejected');
          return backToLogin(req, res);
        case 'password-policy':
          // Cognito's text names the rule broken ("Password must have symbol characters"): show it.
          return renderForm(res, 400, pending, err.cognitoMessage ?? USER_MESSAGES[err.kind], attributes);
        case 'invalid-input':
          return renderForm(res, FAILURE_STATUS[err.kind], pending, USER_MESSAGES[err.kind], attributes);
        default:
          return renderSignInFailure(res, err, deps, { username: pending.typedUsername, returnTo: '/' });
      }
    }
    const returnTo = safeReturnTo(req.session.returnTo);
    await completeSignIn(req, res, result, deps, { typed: pending.typedUsername, returnTo });
  };
}
