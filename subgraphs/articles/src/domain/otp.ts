/**
 * Delivery OTPs (India Post's OTP-based delivery): six digits the addressee reads out to the postman.
 *
 * An OTP is never stored. Each issue stores only a random nonce; the OTP is derived from it with the
 * deployment's secret, HMAC-SHA256(secret, "otp:v1|articleNumber|deliveryDate|nonce"), truncated to six
 * digits the way RFC 4226 does (dynamic truncation, mod 10^6, zero-padded). So the database alone (a
 * leaked backup) reveals no OTP, while the secret can recompute one to send the SMS again after a crash.
 * The article and the day are in the message, so one nonce never opens another article or another day.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { endOfIstDay, isIsoDate } from './ist.js';

export const OTP_DIGITS = 6;
/** Wrong OTPs before an issue is locked (until a supervisor reissues it). */
export const MAX_OTP_FAILURES = 5;
/** The secret must be at least this many bytes (UTF-8), like the deployment's other HMAC secrets. */
export const MIN_OTP_SECRET_BYTES = 32;
/** Bytes of randomness per issue. */
export const OTP_NONCE_BYTES = 16;

const OTP_FORMAT = /^\d{6}$/;
const NONCE_FORMAT = /^[0-9a-f]{32}$/;

/** A new issue's nonce: 16 random bytes, as 32 lower-case hex characters (what the database keeps). */
export function newOtpNonce(): string {
  return randomBytes(OTP_NONCE_BYTES).toString('hex');
}

/** Refuses a secret too short to key an HMAC that guards deliveries (the message never contains it). */
export function checkOtpSecret(secret: string | undefined): string {
  if (!secret || Buffer.byteLength(secret, 'utf8') < MIN_OTP_SECRET_BYTES) {
    throw new RangeError(`The delivery OTP secret must be at least ${MIN_OTP_SECRET_BYTES} bytes (e.g. openssl rand -base64 48)`);
  }
  return secret;
}

/**
 * The OTP of one issue: the article, its delivery date (IST, YYYY-MM-DD) and the nonce, under
 * `secret`. Exported for the notification sender, which texts it to the addressee.
 */
export function deliveryOtpFor(articleNumber: string, deliveryDate: string, nonce: string, secret: string): string {
  if (!isIsoDate(deliveryDate)) throw new RangeError('deliveryDate must be an IST date written YYYY-MM-DD');
  if (!NONCE_FORMAT.test(nonce)) throw new RangeError(`nonce must be ${OTP_NONCE_BYTES} bytes as lower-case hex`);
  const mac = createHmac('sha256', checkOtpSecret(secret)).update(`otp:v1|${articleNumber}|${deliveryDate}|${nonce}`).digest();
  // RFC 4226 section 5.3, with the offset taken from the last byte of the longer SHA-256 digest (as RFC 6238 does).
  const offset = mac[mac.length - 1]! & 0x0f;
  const code = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(code % 10 ** OTP_DIGITS).padStart(OTP_DIGITS, '0');
}

/** Whether `given` has the form of an OTP (six digits); anything else is a malformed input, not a guess. */
export function isOtpFormat(given: string): boolean {
  return OTP_FORMAT.test(given);
}

/**
 * Whether `given` is the OTP, compared in constant time so response times leak no digit. Inputs of
 * another length are compared against themselves first, so even they take the same path.
 */
export function otpMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** The last instant an OTP for `deliveryDate` is valid: 23:59:59.999 IST that day. */
export function otpValidUntil(deliveryDate: string): Date {
  return endOfIstDay(deliveryDate);
}

/** Whether an OTP issued for `deliveryDate` may still be used at `now`. */
export function otpStillValid(deliveryDate: string, now: Date): boolean {
  return now.getTime() <= otpValidUntil(deliveryDate).getTime();
}

/**
 * Whether an article is delivered only against an OTP: booked with OTP-based delivery, cash on delivery
 * (the addressee confirms paying), or insured (its value is at stake).
 */
export function needsDeliveryOtp(article: { codAmountPaise: number | null; services: readonly string[] }): boolean {
  return (article.codAmountPaise ?? 0) > 0 || article.services.includes('OTP_DELIVERY') || article.services.includes('INSURANCE');
}
