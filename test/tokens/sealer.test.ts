import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { createSealer } from '../../src/tokens/sealer.js';

describe('tokens sealed at rest (JWE dir + A256GCM)', () => {
  const value = { idToken: 'eyJ.id.token', refreshToken: 'refresh-token-value', n: 1 };

  it('round-trips, and the sealed text shows nothing of the value', async () => {
    const sealer = createSealer(randomBytes(32));
    const sealed = await sealer.seal(value);
    assert.deepEqual(await sealer.open(sealed), value);
    assert.ok(!sealed.includes('refresh-token-value'));
    assert.ok(!sealed.includes(Buffer.from('refresh-token-value').toString('base64url')));
    const header = decodeProtectedHeader(sealed);
    assert.equal(header.alg, 'dir');
    assert.equal(header.enc, 'A256GCM');
  });

  it('seals twice differently (fresh IV) and refuses a tampered value, even one whose original was opened', async () => {
    const sealer = createSealer(randomBytes(32));
    const a = await sealer.seal(value);
    const b = await sealer.seal(value);
    assert.notEqual(a, b);
    assert.deepEqual(await sealer.open(a), value, 'opened once, so remembered');
    const parts = a.split('.');
    const ciphertext = parts[3] ?? '';
    parts[3] = (ciphertext[0] === 'A' ? 'B' : 'A') + ciphertext.slice(1);
    await assert.rejects(sealer.open(parts.join('.')), /failed to decrypt/, 'same tag, other ciphertext');
    assert.deepEqual(await sealer.open(a), value);
  });

  it('rotates keys: values sealed under an old key still open; once the old key is dropped they do not', async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const sealedOld = await createSealer(oldKey).seal(value);
    const rotated = createSealer(newKey, [oldKey]);
    assert.deepEqual(await rotated.open(sealedOld), value);
    const sealedNew = await rotated.seal(value);
    assert.notEqual(decodeProtectedHeader(sealedNew).kid, decodeProtectedHeader(sealedOld).kid);
    await assert.rejects(createSealer(newKey).open(sealedOld), /unknown key/);
    assert.deepEqual(await createSealer(newKey).open(sealedNew), value);
  });
});
