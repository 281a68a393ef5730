import { checkPasswordPolicy } from '@dakgraph/auth';
import { DigipinError, normalize as normalizeDigipin } from '@dakgraph/digipin';
import { badInput } from '@dakgraph/graphql-kit';

// Input checks shared by the mutations. Each throws BAD_USER_INPUT naming the argument in
// `extensions.field` and saying what a valid value looks like; each returns the canonical form to store.

/** Trimmed text of bounded length; `min` 0 makes it optional (empty becomes null). */
export function text(value: string, field: string, max: number, min = 1): string {
  const trimmed = value.trim().replace(/\s+/g, ' ');
  if (trimmed.length < min || trimmed.length > max) {
    throw badInput(`${field} must be ${min} to ${max} characters; got ${trimmed.length}`, field);
  }
  return trimmed;
}

export function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  if (value == null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : text(trimmed, field, max);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An email as entered, trimmed; uniqueness ignores case (see the lower(email) indexes). */
export function email(value: string, field: string): string {
  const trimmed = value.trim();
  if (trimmed.length > 254 || !EMAIL.test(trimmed)) {
    throw badInput(`${field} is not an email address like "name@example.in"`, field);
  }
  return trimmed;
}

// Spaces, hyphens, dots and brackets are how people group digits; the prefix may be +91, 91 or a trunk 0.
const PHONE_SEPARATORS = /[\s\-.()]/g;
const INDIAN_MOBILE = /^(?:\+?91|0)?([6-9]\d{9})$/;

/** An Indian mobile number (ten digits starting 6 to 9), normalised to "+91XXXXXXXXXX". */
export function indianMobile(value: string, field: string): string {
  const match = INDIAN_MOBILE.exec(value.replace(PHONE_SEPARATORS, ''));
  if (!match) {
    throw badInput(
      `${field} must be an Indian mobile number: ten digits starting with 6, 7, 8 or 9, optionally after +91 (e.g. "+91 98765 43210")`,
      field,
    );
  }
  return `+91${match[1]}`;
}

const GSTIN_CHARACTERS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
// State code, the holder's PAN (five letters, four digits, a letter), entity number, "Z", check character.
const GSTIN_FORMAT = /^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/;

/** The GSTIN check character: a Luhn mod 36 over the first 14 characters, as GSTN computes it. */
export function gstinCheckCharacter(first14: string): string {
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    const product = GSTIN_CHARACTERS.indexOf(first14[i]!) * (i % 2 === 0 ? 1 : 2);
    sum += Math.floor(product / 36) + (product % 36);
  }
  return GSTIN_CHARACTERS[(36 - (sum % 36)) % 36]!;
}

/** A GSTIN (15 characters, any case, spaces ignored) with a correct check character, in upper case. */
export function gstin(value: string, field: string): string {
  const canonical = value.replace(/\s/g, '').toUpperCase();
  if (!GSTIN_FORMAT.test(canonical)) {
    throw badInput(`${field} must be a 15-character GSTIN such as "27AAPFU0939F1ZV"`, field);
  }
  if (gstinCheckCharacter(canonical) !== canonical[14]) {
    throw badInput(`${field} has a wrong check character (the last one); check the GSTIN for a typing mistake`, field);
  }
  return canonical;
}

const IFSC = /^[A-Z]{4}0[A-Z0-9]{6}$/;

/** An IFSC: four letters (the bank), a zero, six letters or digits (the branch); stored in upper case. */
export function ifsc(value: string, field: string): string {
  const canonical = value.trim().toUpperCase();
  if (!IFSC.test(canonical)) {
    throw badInput(`${field} must be an IFSC like "SBIN0001234": four letters, a zero, then six letters or digits`, field);
  }
  return canonical;
}

/** A bank account number, 9 to 18 digits (spaces allowed when typing). */
export function accountNumber(value: string, field: string): string {
  const digits = value.replace(/\s/g, '');
  if (!/^\d{9,18}$/.test(digits)) throw badInput(`${field} must be 9 to 18 digits`, field);
  return digits;
}

/** A six-digit pincode (whether it exists is checked against the directory copy separately). */
export function pincodeFormat(value: string, field: string): string {
  const trimmed = value.trim();
  if (!/^\d{6}$/.test(trimmed)) throw badInput(`${field} must be six digits, like "110001"`, field);
  return trimmed;
}

/** A DIGIPIN in canonical form (XXX-XXX-XXXX), or null when not given. */
export function digipin(value: string | null | undefined, field: string): string | null {
  if (value == null || value.trim() === '') return null;
  try {
    return normalizeDigipin(value);
  } catch (error) {
    if (error instanceof DigipinError) throw badInput(`${field} is not a valid DIGIPIN: ${error.message}`, field);
    throw error;
  }
}

/** A new password meeting the policy; returned unchanged (the hash normalises it). */
export function newPassword(value: string, field: string): string {
  const problem = checkPasswordPolicy(value);
  if (problem) throw badInput(problem, field);
  return value;
}

/** Whole number in a range. */
export function integerIn(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badInput(`${field} must be a whole number from ${min} to ${max}; got ${value}`, field);
  }
  return value;
}

/** An idempotency key: the shared rule (graphql-kit), 8 to 128 printable characters (a UUID is a good choice). */
export { checkIdempotencyKey as idempotencyKey } from '@dakgraph/graphql-kit';
