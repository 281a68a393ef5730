import { randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import { constantTimeEqual, decodeBase64Url } from './encoding.js';

/** scrypt cost parameters, as stored with every hash. */
export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelisation. */
  p: number;
  /** Bytes of derived key. */
  keyLength: number;
}

/**
 * Parameters for new hashes (about 32 MiB and tens of milliseconds per hash). They are written into
 * each stored hash, so raising them later only needs needsRehash() at the next successful login.
 */
export const CURRENT_SCRYPT_PARAMS: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 15, r: 8, p: 1, keyLength: 32 });

/** Shortest password the policy accepts, in characters. */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest password the policy accepts, in characters. */
export const MAX_PASSWORD_LENGTH = 256;

const SALT_BYTES = 16;
// A stored hash comes from our own database, but a tampered or corrupted row must not make one
// login allocate gigabytes or spin for minutes, so stored parameters are bounded.
const MAX_SCRYPT_MEMORY_BYTES = 256 * 1024 * 1024;
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;
const STORED_FORMAT = /^scrypt\$([0-9]{1,7})\$([0-9]{1,2})\$([0-9]{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

// Asked for far more often than anything else, so refusing them outright is cheap protection against
// credential stuffing. Lower-case; compared case-insensitively. Only entries of 12+ characters matter.
const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  'password1234',
  'password12345',
  'password@123',
  'password@1234',
  '123456789012',
  '1234567890123',
  '12345678901234',
  'qwertyuiop12',
  'qwerty123456',
  'qwertyuiop123',
  '1q2w3e4r5t6y',
  'iloveyou1234',
  'welcome12345',
  'welcome@1234',
  'admin1234567',
  'abcdefghijkl',
  'abcd1234abcd',
  'changeme1234',
  'letmein12345',
  'india@123456',
  'indiapost123',
  'indiapost@123',
]);

interface StoredHash {
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

/**
 * The form that is hashed. NFKC makes the same password typed through different keyboards or input
 * methods (full-width Latin, composed vs decomposed Indic vowel signs) hash identically.
 */
function normalizePassword(plain: string): string {
  return plain.normalize('NFKC');
}

function deriveKey(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = {
    N: params.N,
    r: params.r,
    p: params.p,
    // Node's default ceiling (32 MiB) is exactly what N=2^15, r=8 needs, and scrypt also needs a
    // little beyond 128*N*r, so leave headroom.
    maxmem: 2 * 128 * params.N * params.r * params.p,
  };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, params.keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function parseStoredHash(stored: string): StoredHash | null {
  if (typeof stored !== 'string') return null;
  const match = STORED_FORMAT.exec(stored);
  if (!match) return null;
  const [, nText, rText, pText, saltText, hashText] = match as unknown as [string, string, string, string, string, string];
  const N = Number(nText);
  const r = Number(rText);
  const p = Number(pText);
  const isPowerOfTwo = N >= 2 && (N & (N - 1)) === 0;
  if (!isPowerOfTwo || N > MAX_N || r < 1 || r > MAX_R || p < 1 || p > MAX_P) return null;
  if (128 * N * r * p > MAX_SCRYPT_MEMORY_BYTES) return null;
  const salt = decodeBase64Url(saltText);
  const hash = decodeBase64Url(hashText);
  if (!salt || !hash || salt.length < 8 || salt.length > 64 || hash.length < 16 || hash.length > 64) return null;
  return { params: { N, r, p, keyLength: hash.length }, salt, hash };
}

/**
 * Hashes a password for storage as `scrypt$<N>$<r>$<p>$<salt>$<hash>` (salt and hash base64url).
 * Every call uses a fresh random salt, so equal passwords give different strings.
 */
export async function hashPassword(plain: string): Promise<string> {
  if (typeof plain !== 'string') throw new TypeError('hashPassword expects the password as a string');
  const params = CURRENT_SCRYPT_PARAMS;
  const salt = randomBytes(SALT_BYTES);
  const hash = await deriveKey(normalizePassword(plain), salt, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/**
 * Whether `plain` is the password behind `stored`. Never throws: a malformed or unsupported stored
 * value is simply not a match (log the account for repair elsewhere if that matters).
 */
export async function verifyPassword(plain: string, stored: string): Promise<boolean> {
  if (typeof plain !== 'string') return false;
  const parsed = parseStoredHash(stored);
  if (!parsed) return false;
  try {
    const candidate = await deriveKey(normalizePassword(plain), parsed.salt, parsed.params);
    return constantTimeEqual(candidate, parsed.hash);
  } catch {
    return false;
  }
}

/**
 * Whether a stored hash is weaker than (or in another format from) what hashPassword now writes.
 * Call after a successful verifyPassword, while the plain password is at hand, and store a new hash.
 */
export function needsRehash(stored: string): boolean {
  const parsed = parseStoredHash(stored);
  if (!parsed) return true;
  const { params, salt } = parsed;
  const current = CURRENT_SCRYPT_PARAMS;
  return (
    params.N < current.N ||
    params.r < current.r ||
    params.p < current.p ||
    params.keyLength !== current.keyLength ||
    salt.length < SALT_BYTES
  );
}

/**
 * Checks a new password against the policy: null when acceptable, otherwise one sentence telling the
 * person what to change. Deliberately no composition rules (digits, symbols): length does more for
 * strength, and such rules push people towards "Password@123".
 */
export function checkPasswordPolicy(plain: string): string | null {
  if (typeof plain !== 'string') return 'Enter a password.';
  // Count code points, not UTF-16 code units, so a password is not judged longer or shorter by how
  // its characters happen to be encoded in JavaScript.
  const characters = [...normalizePassword(plain)];
  if (characters.length < MIN_PASSWORD_LENGTH) {
    return `Use at least ${MIN_PASSWORD_LENGTH} characters (this one has ${characters.length}); a few unrelated words make a long password that is easy to remember.`;
  }
  if (characters.length > MAX_PASSWORD_LENGTH) {
    return `Use at most ${MAX_PASSWORD_LENGTH} characters (this one has ${characters.length}).`;
  }
  if (characters.every((character) => character === characters[0])) {
    return 'Use more than one distinct character; a password of one repeated character is guessed at once.';
  }
  if (COMMON_PASSWORDS.has(normalizePassword(plain).toLowerCase())) {
    return 'This password is one of the most commonly used, so attackers try it first; choose another.';
  }
  return null;
}
