import type { Request } from 'express';

/** Longest values a sign-in form accepts; Cognito's own limits are higher, so these refuse only junk. */
export const USERNAME_MAX = 128;
export const PASSWORD_MAX = 256;
export const ATTRIBUTE_MAX = 2048;

/** A posted form field as a string; absent, repeated or non-string values read as ''. */
export function formField(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

/** The field from the request's parsed form body, or undefined when there is none (e.g. before parsing). */
export function requestField(req: Request, name: string): string | undefined {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}
