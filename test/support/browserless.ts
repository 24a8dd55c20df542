import assert from 'node:assert/strict';
import request from 'supertest';
import type { Agent } from 'supertest';
import type { OutboxEntry as OutboxMessage } from './stack.js';

/** A supertest agent that keeps cookies, like a browser would. */
export const agentFor = (url: string): Agent => request.agent(url);

const FORM_PAGE: Record<string, string> = {
  '/login': '/login',
  '/login/new-password': '/login/new-password',
  '/logout': '/',
  '/signup/resend': '/signup/confirm',
  '/login/start': '/login',
  '/login/resend': '/login/email-code',
  '/account/password': '/account',
  '/account/email': '/account',
  '/account/email/code': '/account',
  '/account/email/verify': '/account',
  '/account/sessions/end': '/account/sessions',
  '/account/sessions/others': '/account/sessions',
  '/account/sessions/everywhere': '/account/sessions',
};

/** The anti-forgery token of the page a form lives on, as a browser would have it. */
export async function formToken(agent: Agent, action: string): Promise<string | undefined> {
  const page = await agent.get(FORM_PAGE[action] ?? action);
  return /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
}

/** Posts a form the way a browser does: load its page first, send its `_csrf` along. */
export async function postForm(agent: Agent, action: string, fields: Record<string, string>) {
  const token = await formToken(agent, action);
  return agent
    .post(action)
    .type('form')
    .send({ ...(token ? { _csrf: token } : {}), ...fields });
}

/** Signs a confirmed user in through the login form; fails the test if it does not work. */
export async function signIn(agent: Agent, username: string, password: string): Promise<void> {
  const res = await postForm(agent, '/login', { username, password });
  assert.equal(res.status, 303, `sign-in of ${username} should redirect, got ${res.status}`);
}

/** The session cookie's `name=value` from a response, if it set one. */
export function sessionCookie(res: { headers: Record<string, unknown> }, name = 'bff.sid'): string | undefined {
  const setCookie = res.headers['set-cookie'];
  const all = Array.isArray(setCookie) ? (setCookie as string[]) : [];
  return all.find((c) => c.startsWith(`${name}=`));
}

/** The session id behind an agent's cookie (`s:<sid>.<signature>`), to find its server-side session. */
export function sessionIdOf(agent: Agent, name = 'bff.sid'): string {
  const value = decodeURIComponent(cookieHeader(agent, name).slice(name.length + 1));
  return value.slice(2, value.lastIndexOf('.'));
}

/** The agent's session cookie as a `Cookie` header value, for clients other than the agent itself. */
export function cookieHeader(agent: Agent, name = 'bff.sid'): string {
  const jar = (agent as unknown as { jar: { getCookies(access: object): { name: string; value: string }[] } }).jar;
  const cookie = jar
    .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
    .find((c) => c.name === name);
  if (!cookie) throw new Error('the agent has no session cookie');
  return `${name}=${cookie.value}`;
}

/** The newest message the local pool "sent" to `who` (a username or an address), read from the emulator's outbox. */
export async function lastMessage(outboxUrl: string, who: string): Promise<OutboxMessage | undefined> {
  const res = await fetch(`${outboxUrl}?${new URLSearchParams({ username: who }).toString()}`);
  assert.equal(res.status, 200);
  const { messages } = (await res.json()) as { messages: OutboxMessage[] };
  return messages.at(-1);
}

/** The page's notice (role=status) and error (role=alert), as a person reads them. */
export function pageMessages(html: string): { notice?: string; error?: string } {
  const text = (s: string | undefined) =>
    s
      ?.replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const notice = text(/<p class="notice" role="status">([^<]*)<\/p>/.exec(html)?.[1]);
  const error = text(/<p class="error" role="alert"[^>]*>([^<]*)<\/p>/.exec(html)?.[1]);
  return { ...(notice ? { notice } : {}), ...(error ? { error } : {}) };
}
