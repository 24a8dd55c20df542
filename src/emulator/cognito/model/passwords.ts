import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { StoredPassword } from '../state.js';

/** Passwords are kept as salted hashes so a saved state file never holds one in clear. */
export function hashPassword(password: string): StoredPassword {
  const salt = randomBytes(16).toString('base64');
  return { salt, hash: createHash('sha256').update(salt).update(password).digest('base64') };
}

export function passwordMatches(stored: StoredPassword | undefined, password: string): boolean {
  if (!stored) return false;
  const candidate = createHash('sha256').update(stored.salt).update(password).digest();
  return timingSafeEqual(candidate, Buffer.from(stored.hash, 'base64'));
}
