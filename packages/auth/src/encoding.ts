// Internal helpers shared by the token formats; not part of the package's public API.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 is only as strong as its key: with a short one, any captured token lets an attacker guess the key offline. */
export const MIN_SECRET_BYTES = 32;

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Throws a plain Error for a secret too short to sign with. Checked on both sides so a misconfigured
 * subgraph fails loudly instead of accepting whatever a weak key lets an attacker forge.
 */
export function requireStrongSecret(secret: string): void {
  const bytes = typeof secret === 'string' ? Buffer.byteLength(secret, 'utf8') : 0;
  if (bytes < MIN_SECRET_BYTES) {
    throw new Error(
      `The signing secret is ${bytes} bytes; at least ${MIN_SECRET_BYTES} are required. Generate one with ` +
        `node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"`,
    );
  }
}

/**
 * Decodes base64url, or null when the text is not its canonical encoding. Buffer.from alone silently
 * skips invalid characters, which would let many different strings carry the same signature.
 */
export function decodeBase64Url(text: string): Buffer | null {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

/** Decodes a base64url JSON object; null for anything else (bad encoding, bad JSON, arrays, null). */
export function decodeJsonObject(text: string): Record<string, unknown> | null {
  const bytes = decodeBase64Url(text);
  if (!bytes) return null;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** HMAC-SHA256 of an ASCII signing input. */
export function hmacSha256(secret: string, signingInput: string): Buffer {
  return createHmac('sha256', secret).update(signingInput).digest();
}

/**
 * Compares without leaking, through timing, how many leading bytes match. The length check may
 * return early: lengths here are fixed by the algorithm, not secret.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** An instant as people read it in messages: ISO 8601 in UTC, whole seconds. */
export function formatInstant(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  return Number.isFinite(date.getTime()) ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : String(epochSeconds);
}
