import assert from 'node:assert/strict';
import request from 'supertest';
import type { Agent } from 'supertest';

/** A supertest agent that keeps cookies, like a browser would. */
export const agentFor = (url: string): Agent => request.agent(url);

/** Signs a confirmed user in through the login form; fails the test if it does not work. */
export async function signIn(agent: Agent, username: string, password: string): Promise<void> {
  const res = await agent.post('/login').type('form').send({ username, password });
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
  const jar = (agent as unknown as { jar: { getCookies(access: object): { name: string; value: string }[] } }).jar;
  const cookie = jar
    .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
    .find((c) => c.name === name);
  if (!cookie) throw new Error('the agent has no session cookie');
  const value = decodeURIComponent(cookie.value);
  return value.slice(2, value.lastIndexOf('.'));
}
