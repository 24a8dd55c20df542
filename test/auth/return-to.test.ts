import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { safeReturnTo } from '../../src/auth/return-to.js';
import { returnToAttempt } from '../support/return-to.js';

const SITE = 'http://site.invalid';
/** FUZZ_RUNS lowers it for the edit loop (`npm run test:fast`); the full suite runs 20,000. */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 20_000);

/** What a browser does with the Location header: it must land on this site, on a path that is not `//…`. */
function assertStaysOnSite(input: string, result: string): void {
  assert.ok(result.startsWith('/'), `${JSON.stringify(input)} → ${result}`);
  assert.ok(!result.startsWith('//') && !result.startsWith('/\\'), `${JSON.stringify(input)} → ${result}`);
  const url = new URL(result, SITE);
  assert.equal(url.origin, SITE, `${JSON.stringify(input)} → ${result}`);
  assert.ok(!url.pathname.startsWith('//'), `${JSON.stringify(input)} → ${result} → ${url.pathname}`);
}

describe('safeReturnTo', () => {
  it('keeps same-site paths, normalised', () => {
    const cases: [string, string][] = [
      ['/', '/'],
      ['/auth/me', '/auth/me'],
      ['/some/page?x=1#top', '/some/page?x=1#top'],
      ['/a/b/../c', '/a/c'],
      ['/a/./b', '/a/b'],
      ['/search?q=//evil.example', '/search?q=//evil.example'],
      ['/search?q=100%25', '/search?q=100%25'],
      ['/%E2%82%AC', '/%E2%82%AC'],
    ];
    for (const [input, expected] of cases) assert.equal(safeReturnTo(input), expected, input);
  });

  it('refuses dot segments that collapse into another origin, in any encoding (issue 11)', () => {
    for (const input of [
      '/.//evil.example/phish',
      '/..//evil.example',
      '/%2e//evil.example',
      '/%2E//evil.example',
      '/a/..//evil.example',
      '/./%2f%2fevil.example',
      '/%2e%2e//evil.example',
      '/.%2e//evil.example',
      '/a/%2e%2e//evil.example',
      '/a/%2E%2e//evil.example',
      '/%252e//evil.example',
      '/a/%252e%252e//evil.example',
      '/.%2f/evil.example',
      '/a/..%2f/evil.example',
      '/a/../%2f/evil.example',
      '/a/b/../..//evil.example',
      '/././/evil.example',
      '/.\\evil.example',
      '/.%5cevil.example',
      '/%2e%2e%5cevil.example',
      '/%09/evil.example',
      '/%2e%09%2e//evil.example',
    ]) {
      assert.equal(safeReturnTo(input), '/', input);
    }
  });

  it('refuses other origins, schemes, backslashes and control characters', () => {
    for (const input of [
      '//evil.example',
      '/\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      '/javascript:alert(1)',
      '/%2F%2Fevil.example',
      '%2F%2Fevil.example',
      '/%5Cevil.example',
      '\t//evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      '/.\t/evil.example',
      '/\r.//evil.example',
      'HTTPS:evil.example',
      '/%ff',
      '',
      'x'.repeat(3000),
    ]) {
      assert.equal(safeReturnTo(input), '/', JSON.stringify(input));
    }
    assert.equal(safeReturnTo(undefined), '/');
    assert.equal(safeReturnTo(['/a', '//evil.example']), '/');
  });

  it('whatever mix of dot segments, encodings and slashes it gets, the result stays on the site', () => {
    fc.assert(
      fc.property(returnToAttempt, (input) => {
        const result = safeReturnTo(input);
        assertStaysOnSite(input, result);
        // The result is a fixed point: it passes its own check unchanged.
        assert.equal(safeReturnTo(result), result, `${JSON.stringify(input)} → ${result}`);
      }),
      { numRuns: RUNS },
    );
  });
});
