import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Webhook signing secrets at rest. Unlike an API key (which we only verify, so a hash is enough), a
 * signing secret must be used to sign every delivery, so it is stored encrypted: AES-256-GCM under the
 * deployment's WEBHOOK_SECRET_KEY, with the endpoint's id as associated data so a ciphertext copied onto
 * another endpoint's row does not decrypt. A stolen database without the key yields no secret.
 */

export const WEBHOOK_SECRET_KEY_ENV = 'WEBHOOK_SECRET_KEY';

/** Why a WEBHOOK_SECRET_KEY was refused; the message says how to make a good one, never the value. */
export class WebhookSecretKeyError extends Error {}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const VERSION = 'v1';

/**
 * The 32-byte key from its base64 text (standard or URL-safe alphabet). Throws a WebhookSecretKeyError
 * naming the variable when it is missing or is not 32 bytes of base64.
 */
export function parseWebhookSecretKey(text: string | undefined, name = WEBHOOK_SECRET_KEY_ENV): Buffer {
  const howTo = `set it to 32 random bytes in base64, e.g. the output of \`openssl rand -base64 32\``;
  const trimmed = text?.trim() ?? '';
  if (trimmed === '') throw new WebhookSecretKeyError(`${name} is not set: ${howTo}`);
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) throw new WebhookSecretKeyError(`${name} is not base64: ${howTo}`);
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== KEY_BYTES) throw new WebhookSecretKeyError(`${name} decodes to ${key.length} bytes, not ${KEY_BYTES}: ${howTo}`);
  return key;
}

/** A new signing secret as Standard Webhooks writes it: "whsec_" and 32 random bytes in base64. */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** "v1.<iv>.<tag>.<ciphertext>", each base64url. */
export function encryptSecret(key: Buffer, secret: string, endpointId: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(endpointId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/** The secret back; throws when the key is another one or the stored text was altered. */
export function decryptSecret(key: Buffer, stored: string, endpointId: string): string {
  const [version, iv, tag, ciphertext] = stored.split('.');
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new Error('not an encrypted webhook secret');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(endpointId, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}
