import { randomBytes } from 'node:crypto';

// Crockford's base32 in lower case: no i, l, o, u, so ids survive being read aloud or copied by hand.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A new id: the prefix, "_", then 26 base32 characters: 48 bits of milliseconds (10 characters) and
 * 80 random bits (16). Ids therefore sort by creation time, which gives lists a stable newest-first
 * order on the primary key, and cannot be guessed.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  let time = '';
  let remaining = Math.floor(now);
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[remaining % 32] + time;
    remaining = Math.floor(remaining / 32);
  }
  const random = randomBytes(10);
  let bits = 0;
  let value = 0;
  let tail = '';
  for (const byte of random) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      tail += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return `${prefix}_${time}${tail}`;
}
