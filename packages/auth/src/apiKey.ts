import { createHash, randomBytes } from 'node:crypto';
import { constantTimeEqual } from './encoding.js';

/** A freshly generated partner API key. Show `key` to the partner once; store only `prefix` and `hash`. */
export interface GeneratedApiKey {
  /** The full key, `dgk_<prefix>_<secret>`: a credential, never logged or stored. */
  key: string;
  /** Eight lower-case base32 characters naming the key publicly: safe to show in a console, logs and support tickets. */
  prefix: string;
  /** hashApiKey(key), the value to store. */
  hash: string;
}

// The marker makes a leaked key recognisable to secret scanners and to the people who find it.
const KEY_MARKER = 'dgk';
const BASE32_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const SECRET_BYTES = 32;
// The prefix is fixed-length, so the secret may itself contain "_" (base64url) without ambiguity.
const KEY_FORMAT = /^dgk_([a-z2-7]{8})_([A-Za-z0-9_-]{43})$/;
const STORED_HASH_FORMAT = /^[0-9a-f]{64}$/;

/** 40 random bits as eight base32 characters (five bits each). */
function randomPrefix(): string {
  const bits = randomBytes(5).reduce((accumulated, byte) => accumulated * 256 + byte, 0);
  let prefix = '';
  for (let shift = 35; shift >= 0; shift -= 5) prefix += BASE32_ALPHABET[Math.floor(bits / 2 ** shift) % 32];
  return prefix;
}

/**
 * Generates a partner API key. The prefix is random too (40 bits), so collisions are unlikely but not
 * impossible: keep a unique constraint on the stored prefix and generate again if it is hit.
 */
export function generateApiKey(): GeneratedApiKey {
  const prefix = randomPrefix();
  const key = `${KEY_MARKER}_${prefix}_${randomBytes(SECRET_BYTES).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/**
 * The stored form of a key: SHA-256 of the whole key, lower-case hex. A fast hash is right here,
 * unlike for passwords: the key carries 256 random bits, so there is nothing to gain by guessing
 * from a stolen hash, and a slow hash would only cost us on every API request.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * The public prefix of a well-formed key, used to look up its stored hash; null when the text is
 * not a dakgraph API key at all (so the caller can answer without a database lookup).
 */
export function parseApiKey(key: string): { prefix: string } | null {
  if (typeof key !== 'string') return null;
  const match = KEY_FORMAT.exec(key);
  return match ? { prefix: match[1]! } : null;
}

/** Whether `key` is the key behind `storedHash`, compared in constant time; false for a malformed hash. */
export function apiKeyMatches(key: string, storedHash: string): boolean {
  if (typeof key !== 'string' || typeof storedHash !== 'string' || !STORED_HASH_FORMAT.test(storedHash)) return false;
  return constantTimeEqual(Buffer.from(hashApiKey(key), 'hex'), Buffer.from(storedHash, 'hex'));
}
