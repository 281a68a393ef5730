import { randomBytes } from 'node:crypto';

// Crockford's base32 in lower case: no i, l, o, u, so ids survive being read aloud or copied by hand.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** The kinds of record that get ids, and their prefixes (so an id says what it names). */
export type IdPrefix = 'cus' | 'adr' | 'ptn' | 'key' | 'stf' | 'whe' | 'whd';

/**
 * A new id: the prefix, "_", then 26 base32 characters: 48 bits of milliseconds (10 characters) and
 * 80 random bits (16). Ids therefore sort by creation time, which gives lists a stable newest-first
 * order on the primary key, and cannot be guessed.
 */
export function newId(prefix: IdPrefix, now: number = Date.now()): string {
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

/**
 * A UUIDv7 (RFC 9562): 48 bits of milliseconds, then random bits. The events dakgraph publishes are
 * identified so; a test webhook, which no event stands behind, gets one of its own.
 */
export function newUuidV7(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Math.floor(now), 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
