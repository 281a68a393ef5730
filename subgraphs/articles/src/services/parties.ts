import { DigipinError, normalize as normalizeDigipin } from '@dakgraph/digipin';
import { allFieldsHandled } from '@dakgraph/graphql-kit';
import type { PartyInput } from '../__generated__/resolvers-types';
import { checkPincodeFormat } from './quotes';
import { InputProblem, collect, type Problem } from './problems';

/** A sender or recipient as stored in the article's `sender`/`recipient` JSON. */
export interface StoredParty {
  name: string;
  phone: string;
  addressLines: string[];
  pincode: string;
  digipin: string | null;
}

/** What Party resolves from: the stored contact details (or none) and the registered customer (or none). */
export interface PartyView {
  name: string | null;
  phone: string | null;
  addressLines: string[] | null;
  pincode: string | null;
  digipin: string | null;
  customerId: string | null;
}


const MAX_NAME = 100;
const MAX_LINE = 100;
const MAX_LINES = 4;
// Customers subgraph ids: "cus_" and 26 characters of Crockford's base32 in lower case.
const CUSTOMER_ID = /^cus_[0-9a-hjkmnp-tv-z]{26}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Free text of a person or a place: white space folded, 1 to `max` characters, no control characters. */
export function checkText(value: string, field: string, max: number, what: string): string {
  const cleaned = value.replace(/\s+/g, ' ').trim();
  if (cleaned.length === 0 || cleaned.length > max || CONTROL.test(value.replace(/[\t\n\r]/g, ' '))) {
    throw new InputProblem(field, `${what} must be 1 to ${max} characters of text; got ${cleaned.length} characters`);
  }
  return cleaned;
}

/**
 * An Indian mobile number as +91 and ten digits. Accepts the forms people write: "98765 43210",
 * "+91-98765-43210", "09876543210", "919876543210".
 */
export function normalizeMobile(phone: string, field: string): string {
  const digits = phone.replace(/[\s\-().]/g, '');
  const match = /^(?:\+91|91|0)?([6-9]\d{9})$/.exec(digits);
  if (!match) {
    throw new InputProblem(field, `${field.split('.').pop()} must be an Indian mobile number: ten digits starting with 6-9, optionally after +91 or 0; got "${phone.slice(0, 20)}"`);
  }
  return `+91${match[1]}`;
}

/** Checks and normalises one party; problems are collected under `prefix` (e.g. "items[2].recipient."). */
export function checkParty(input: PartyInput, prefix: string, problems: Problem[]): StoredParty | null {
  const before = problems.length;
  const { name: givenName, phone: givenPhone, addressLines: givenLines, pincode: givenPincode, digipin: givenDigipin, ...unhandled } = input;
  allFieldsHandled(unhandled);
  const name = collect(problems, prefix, () => checkText(givenName, 'name', MAX_NAME, 'name'));
  const phone = collect(problems, prefix, () => normalizeMobile(givenPhone, 'phone'));
  const addressLines = collect(problems, prefix, () => {
    if (givenLines.length < 1 || givenLines.length > MAX_LINES) {
      throw new InputProblem('addressLines', `addressLines must have 1 to ${MAX_LINES} lines; got ${givenLines.length}`);
    }
    return givenLines.map((line, i) => checkText(line, `addressLines[${i}]`, MAX_LINE, `addressLines[${i}]`));
  });
  const pincode = collect(problems, prefix, () => checkPincodeFormat(givenPincode, 'pincode'));
  const digipin = collect(problems, prefix, () => {
    if (givenDigipin == null) return null;
    try {
      return normalizeDigipin(givenDigipin);
    } catch (error) {
      if (error instanceof DigipinError) throw new InputProblem('digipin', `digipin is not a valid DIGIPIN: ${error.message}`);
      throw error;
    }
  });
  if (problems.length > before) return null;
  return { name: name!, phone: phone!, addressLines: addressLines!, pincode: pincode!, digipin };
}

/**
 * A registered customer's id, checked for its form only: the customers live in the customers subgraph,
 * whose tables this one never reads; a booking asks it whether the customer exists (and, for a
 * partner, is theirs) once every id has the right form.
 */
export function checkCustomerId(id: string, field: string): string {
  const trimmed = id.trim();
  if (!CUSTOMER_ID.test(trimmed)) {
    throw new InputProblem(field, `${field.split('.').pop()} must be a customer id like "cus_" followed by 26 base32 characters; got "${id.slice(0, 40)}"`);
  }
  return trimmed;
}

/** The Party of an article's stored JSON; null when there is neither contact details nor a customer. */
export function partyView(stored: unknown, customerId: string | null): PartyView | null {
  const party = stored as StoredParty | null;
  if (!party && !customerId) return null;
  return {
    name: party?.name ?? null,
    phone: party?.phone ?? null,
    addressLines: party?.addressLines ?? null,
    pincode: party?.pincode ?? null,
    digipin: party?.digipin ?? null,
    customerId,
  };
}
