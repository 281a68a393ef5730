import { randomBytes } from 'node:crypto';

/**
 * Payment references: what the payer's UPI app shows and the provider's callback names (UPI's `tr`,
 * letters and digits only). "DK", the IST date, and 12 random characters of an alphabet without the
 * look-alikes 0/O and 1/I, so a clerk can read one over the phone: "DK20261203K7M2Q9XR4TPA".
 */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const REFERENCE_PATTERN = /^DK\d{8}[2-9A-HJ-NP-Z]{12}$/;

export function newPaymentReference(now: Date): string {
  const ist = new Date(now.getTime() + 330 * 60_000).toISOString().slice(0, 10).replaceAll('-', '');
  const bytes = randomBytes(12);
  let random = '';
  for (const byte of bytes) random += ALPHABET[byte % ALPHABET.length];
  return `DK${ist}${random}`;
}
