import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { inCI } from './tools.js';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Debian's Chromium, headless. Missing: the test is skipped on a laptop and fails in CI. */
export async function launchBrowser(t: TestContext): Promise<Browser | undefined> {
  if (!existsSync(CHROMIUM)) {
    if (inCI) throw new Error(`Chromium is required in CI but ${CHROMIUM} does not exist`);
    t.skip(`no Chromium at ${CHROMIUM}`);
    return undefined;
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** One response the browser received, kept whole so a test can scan it for secrets. */
export interface Seen {
  url: string;
  status: number;
  headers: string;
  body: string;
}

/** How long a body may take to be read: Playwright's `text()` can wait forever on a fetch the page never read. */
const BODY_READ_MS = 5000;

/**
 * Keeps every response `source` (a page, or a whole context with its tabs) receives. `settled()` waits for the
 * bodies still being read, before a test scans `seen`; a body not read within 5 s is kept as '' (its headers are
 * still scanned), so a stuck read cannot hang the test.
 */
export function recordResponses(source: BrowserContext | Page): { seen: Seen[]; settled(): Promise<void> } {
  const seen: Seen[] = [];
  const pending: Promise<void>[] = [];
  source.on('response', (response: Response) => {
    pending.push(
      (async () => {
        const headers = JSON.stringify(await response.allHeaders());
        let timer: NodeJS.Timeout | undefined;
        const body = await Promise.race([
          response.text().catch(() => ''),
          new Promise<string>((resolve) => (timer = setTimeout(() => resolve(''), BODY_READ_MS))),
        ]);
        clearTimeout(timer);
        seen.push({ url: response.url(), status: response.status(), headers, body });
      })(),
    );
  });
  return { seen, settled: async () => void (await Promise.all(pending)) };
}

/**
 * What a person does to read a code: open the footer's "Outbox (local mode)" link in a new tab, narrow it to their
 * username, and read the newest message (the list is newest first), checking its heading says `kind`. The tab is
 * closed afterwards.
 */
export async function codeFromOutbox(
  context: BrowserContext,
  page: Page,
  username: string,
  kind: string,
): Promise<{ code: string; text: string }> {
  const [tab] = await Promise.all([
    context.waitForEvent('page'),
    page.getByRole('link', { name: 'Outbox (local mode)' }).click({ modifiers: ['ControlOrMeta'] }),
  ]);
  await tab.waitForLoadState();
  assert.equal(await tab.getByRole('heading', { level: 1 }).innerText(), 'Outbox');
  await tab.getByLabel('Username or address').fill(username);
  await tab.getByRole('button', { name: 'Show messages' }).click();
  await tab.waitForURL(`**/local/outbox?username=${encodeURIComponent(username)}`);
  const newest = tab.getByRole('listitem').first();
  assert.equal(await newest.getByRole('heading', { level: 2 }).innerText(), kind);
  const shown = await newest.locator('.code').innerText();
  const code = /^Code\s+(\d{6})$/.exec(shown.trim())?.[1];
  assert.ok(code, `a six-digit code is shown prominently: ${shown}`);
  const text = await newest.innerText();
  await tab.close();
  return { code, text };
}

/**
 * Fails when any secret (a token, a password, the client or session secret) appears in a response the browser
 * received, headers or body. Each value must be longer than `minLength`, so a short or empty one cannot pass by
 * matching nothing of substance.
 */
export function assertNoSecretSeen(seen: Seen[], secrets: Record<string, string>, minLength = 12): void {
  for (const response of seen) {
    for (const [name, value] of Object.entries(secrets)) {
      assert.ok(value.length > minLength, name);
      assert.ok(!response.headers.includes(value), `${name} in the headers of ${response.url}`);
      assert.ok(!response.body.includes(value), `${name} in the body of ${response.url}`);
    }
  }
}

/** Fails when any secret appears in a log line the BFF wrote. */
export function assertNoSecretLogged(logs: string[], secrets: Record<string, string>): void {
  for (const line of logs) {
    for (const [name, value] of Object.entries(secrets)) assert.ok(!line.includes(value), `${name} in a log line`);
  }
}
