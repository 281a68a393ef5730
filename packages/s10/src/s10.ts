import { S10Error } from './errors.js';

/** A parsed, check-digit-verified S10 article number. */
export interface S10Number {
  /** Two upper-case letters, e.g. "EE". */
  serviceIndicator: string;
  /** Eight digits, zero-padded, e.g. "12345678". */
  serial: string;
  checkDigit: number;
  /** Two upper-case letters, the ISO 3166-1 code of the issuing post, e.g. "IN". */
  countryCode: string;
  /** Canonical 13-character form without spaces, e.g. "EE123456785IN". */
  articleNumber: string;
}

/** Largest serial number: eight digits. */
export const MAX_SERIAL = 99_999_999;

const WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7] as const;

/**
 * The S10 check digit of an 8-digit serial number: weights 8 6 4 2 3 5 9 7,
 * c = 11 - (sum mod 11), then 10 becomes 0 and 11 becomes 5.
 * Throws S10Error INVALID_SERIAL unless given exactly 8 ASCII digits.
 */
export function checkDigit(serial: string): number {
  if (typeof serial !== 'string' || !/^[0-9]{8}$/.test(serial)) {
    throw new S10Error('INVALID_SERIAL', `serial number must be exactly 8 digits; got ${describeValue(serial)}`);
  }
  return computeCheckDigit(serial);
}

/**
 * Builds the canonical article number, e.g. format('EE', 12345678) is
 * "EE123456785IN". Letters may be given in either case; the serial is
 * zero-padded to 8 digits. Throws S10Error for an invalid part.
 */
export function format(serviceIndicator: string, serial: number | string, country: string = 'IN'): string {
  if (typeof serviceIndicator !== 'string' || !isTwoLetters(serviceIndicator)) {
    throw new S10Error(
      'INVALID_SERVICE_INDICATOR',
      `service indicator must be two letters A-Z; got ${describeValue(serviceIndicator)}`,
    );
  }
  const digits = serialDigits(serial);
  if (typeof country !== 'string' || !isTwoLetters(country)) {
    throw new S10Error(
      'INVALID_COUNTRY_CODE',
      `country code must be two letters A-Z (ISO 3166-1 alpha-2); got ${describeValue(country)}`,
    );
  }
  return `${serviceIndicator.toUpperCase()}${digits}${computeCheckDigit(digits)}${country.toUpperCase()}`;
}

/**
 * Parses and verifies an S10 article number. Forgives surrounding whitespace,
 * lower case, and spaces between the groups as printed on labels
 * ("EE 123 456 785 IN"). Throws S10Error naming the first problem found.
 */
export function parse(input: string): S10Number {
  const result = check(input);
  if (result instanceof S10Error) throw result;
  return result;
}

/** True when parse() would accept the input. Never throws. */
export function isValid(input: string): boolean {
  return !(check(input) instanceof S10Error);
}

function computeCheckDigit(serial: string): number {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (WEIGHTS[i] as number) * (serial.charCodeAt(i) - 48);
  const c = 11 - (sum % 11);
  if (c === 10) return 0;
  if (c === 11) return 5;
  return c;
}

function serialDigits(serial: number | string): string {
  if (typeof serial === 'number') {
    if (!Number.isInteger(serial) || serial < 0 || serial > MAX_SERIAL) {
      throw new S10Error(
        'INVALID_SERIAL',
        `serial number must be a whole number from 0 to ${MAX_SERIAL}; got ${String(serial)}`,
      );
    }
    return String(serial).padStart(8, '0');
  }
  if (typeof serial === 'string' && /^[0-9]{1,8}$/.test(serial)) return serial.padStart(8, '0');
  throw new S10Error('INVALID_SERIAL', `serial number must be 1 to 8 digits; got ${describeValue(serial)}`);
}

// Letters are tested before upper-casing: toUpperCase() maps some non-ASCII
// characters onto ASCII letters ("ß" -> "SS", "ı" -> "I").
function isTwoLetters(text: string): boolean {
  return /^[A-Za-z]{2}$/.test(text);
}

/** Returns the parsed number, or the error to report (thrown by parse()). */
function check(input: unknown): S10Number | S10Error {
  if (typeof input !== 'string') {
    return new S10Error('INVALID_LENGTH', `S10 article number must be a string; got ${describeValue(input)}`);
  }
  const trimmed = input.trim();
  const label = `S10 article number ${quote(trimmed)}`;

  // Drop whitespace, remembering where it was (as an index into the compact
  // form) so we can refuse spaces that split a letter pair.
  const chars: string[] = [];
  const gaps: number[] = [];
  for (const ch of trimmed) {
    if (/\s/.test(ch)) gaps.push(chars.length);
    else chars.push(ch);
  }

  if (chars.length !== 13) {
    return new S10Error(
      'INVALID_LENGTH',
      `${label} has ${chars.length} character${chars.length === 1 ? '' : 's'}${gaps.length > 0 ? ' besides spaces' : ''}; ` +
        '13 are needed (2 letters, 8 digits, a check digit, 2 letters)',
    );
  }
  // Labels group the digits in various ways (3-3-3, 8-1, ...), so any spacing
  // between the service indicator and the country code is fine; inside either
  // letter pair it is not.
  if (gaps.includes(1)) {
    return new S10Error('INVALID_SERVICE_INDICATOR', `${label} has a space inside its service indicator`);
  }
  if (gaps.includes(12)) {
    return new S10Error('INVALID_COUNTRY_CODE', `${label} has a space inside its country code`);
  }

  const serviceIndicator = chars.slice(0, 2).join('');
  const serial = chars.slice(2, 10).join('');
  const checkChar = chars[10] as string;
  const countryCode = chars.slice(11).join('');

  if (!isTwoLetters(serviceIndicator)) {
    return new S10Error(
      'INVALID_SERVICE_INDICATOR',
      `${label} has service indicator ${quote(serviceIndicator)}; it must be two letters A-Z`,
    );
  }
  if (!/^[0-9]{8}$/.test(serial)) {
    return new S10Error('INVALID_SERIAL', `${label} has serial number ${quote(serial)}; it must be 8 digits`);
  }
  if (!/^[0-9]$/.test(checkChar)) {
    return new S10Error('INVALID_CHECK_DIGIT', `${label} has check digit ${quote(checkChar)}; it must be a digit`);
  }
  if (!isTwoLetters(countryCode)) {
    return new S10Error(
      'INVALID_COUNTRY_CODE',
      `${label} has country code ${quote(countryCode)}; it must be two letters A-Z (ISO 3166-1 alpha-2)`,
    );
  }

  const expected = computeCheckDigit(serial);
  const given = Number(checkChar);
  if (given !== expected) {
    return new S10Error('INVALID_CHECK_DIGIT', `${label}: check digit is ${given} but should be ${expected}`);
  }

  const si = serviceIndicator.toUpperCase();
  const cc = countryCode.toUpperCase();
  return { serviceIndicator: si, serial, checkDigit: expected, countryCode: cc, articleNumber: `${si}${serial}${expected}${cc}` };
}

function quote(text: string): string {
  // Keep messages readable when someone pastes a paragraph.
  const chars = Array.from(text);
  return JSON.stringify(chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : text);
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  return typeof value;
}
