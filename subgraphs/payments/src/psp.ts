import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { CallbackBody } from './services/callbacks';

/**
 * A simulated payment service provider, for development and tests: it signs callbacks exactly as a real
 * provider would under Standard Webhooks 1.0 (`webhook-id`, `webhook-timestamp`, `webhook-signature`),
 * with the shared PSP_CALLBACK_SECRET. `npm run psp -w @dakgraph/payments -- pay <reference>` uses it.
 */

/** A new secret in the Standard Webhooks form ("whsec_" and 32 random bytes in base64), as `npm start` makes. */
export function newPspCallbackSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export interface SignedCallback {
  body: string;
  headers: Record<'content-type' | 'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>;
}

export interface SignOptions {
  /** The message id; a new one unless given (a replay sends the same). */
  id?: string;
  /** When it was signed; now unless given (tests sign stale ones). */
  at?: Date;
}

export function signCallback(secret: string, body: CallbackBody, options: SignOptions = {}): SignedCallback {
  const id = options.id ?? `msg_${randomUUID()}`;
  const at = options.at ?? new Date();
  const text = JSON.stringify(body);
  return {
    body: text,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, at, text),
    },
  };
}

/** A provider transaction id as UPI providers give them (12 digits, like an RRN). */
export function newProviderTransactionId(): string {
  return String(100_000_000_000 + (randomBytes(5).readUIntBE(0, 5) % 900_000_000_000));
}

/** Sends a signed callback to `url` (the gateway's /payments/callback); resolves with the answer. */
export async function sendCallback(url: string, signed: SignedCallback): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { method: 'POST', headers: signed.headers, body: signed.body });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON; show it as it came
  }
  return { status: response.status, body };
}
