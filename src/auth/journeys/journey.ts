import type { Request, Response } from 'express';
import type { AuthFailure, AuthFailureKind } from '../../cognito/errors.js';

/** What the user typed, echoed back on the form after a problem. Never a password or a code. */
export type FormValues = Record<string, string>;

/** A posted form, read: the input for Cognito, or the same form again with a message. */
export type Reading<I> =
  | { input: I; values: FormValues }
  | { error: string; values: FormValues; /** The field the error is about (marked aria-invalid). */ invalid?: string };

/** A page of an account journey: shown on GET, and again (with a message) when one of its forms fails. */
export interface JourneyPage {
  path: string;
  /** Nunjucks view. */
  view: string;
  /** Only for a signed-in user: others are sent to sign in and brought back. */
  signedIn?: boolean;
  /** What the view shows besides `values`, `notice`, `error`, `invalid` and `form`. */
  context?(req: Request): Promise<Record<string, unknown>> | Record<string, unknown>;
  /** The values the form starts with on GET (e.g. the username of the journey in progress). */
  initialValues?(req: Request): Promise<FormValues> | FormValues;
}

/**
 * One form of a journey, in the shape every one of them has: read the form, call Cognito, go to the next step, or
 * show the same page with a message. Only the reading, the call and the next step are the action's own; the route
 * (CSRF, rate limits, rendering, mapping Cognito's refusals to words) is mounted by `mountJourney`.
 */
export interface JourneyAction<I> {
  /** The URL the form posts to. */
  path: string;
  /** The page shown again when the form or Cognito says no. */
  page: JourneyPage;
  /** Which of the page's forms this is, so the message shows beside it. */
  form?: string;
  /**
   * Brute-force limits: `send` counts every request (each one sends a code), `check` counts failed ones (each one
   * guesses a code or a password), both per client IP and per username.
   */
  limit?: 'send' | 'check';
  read(body: unknown): Reading<I>;
  /** Calls Cognito and answers (usually a redirect to the next step). Throws AuthFailure for a refusal. */
  run(req: Request, res: Response, input: I): Promise<void>;
  /** Words for refusals this form explains its own way; others get their usual sentence. */
  say?: Partial<Record<AuthFailureKind, string | ((err: AuthFailure) => string)>>;
  /**
   * Refusals that are an answer of their own, not a message on the form (e.g. an unknown user asking for a reset
   * code is told the same as a real one).
   */
  otherwise?: Partial<Record<AuthFailureKind, (req: Request, res: Response, input: I) => Promise<void>>>;
}

/** An action as the router holds it, its input type erased (each action reads and uses its own input). */
export const defineAction = <I>(action: JourneyAction<I>): JourneyAction<unknown> =>
  action as unknown as JourneyAction<unknown>;
