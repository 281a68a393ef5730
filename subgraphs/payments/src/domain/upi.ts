import { rupeesText } from './money';

/**
 * UPI deep links in the NPCI "UPI Linking Specifications" form: `upi://pay?pa=&pn=&am=&cu=INR&tr=&tn=`.
 * The same text, as a QR code, is what every UPI app scans at a counter. `pa` and `pn` are mandatory;
 * `am` is fixed (the payer's app must not let it be edited); `tr` is our payment reference, which the
 * provider's callback names; `tn`, the note the payer sees, is at most 50 characters.
 */

/** Who is paid: the post office's merchant VPA and its name (configuration: UPI_PAYEE_VPA, UPI_PAYEE_NAME). */
export interface UpiPayee {
  vpa: string;
  name: string;
}

export interface UpiPaymentRequest {
  payee: UpiPayee;
  amountPaise: number;
  /** The payment reference (`tr`): up to 35 letters and digits. */
  reference: string;
  /** What the payer's app shows (`tn`); cut to 50 characters. */
  note: string;
}

/** A VPA ("handle@bank"): 2 to 256 characters of letters, digits, '.', '-' and '_' before one '@'. */
const VPA = /^[A-Za-z0-9._-]{2,256}@[A-Za-z][A-Za-z0-9.-]{1,63}$/;
const REFERENCE = /^[A-Za-z0-9]{1,35}$/;
export const MAX_NOTE_LENGTH = 50;

export function isVpa(text: string): boolean {
  return VPA.test(text);
}

/** Checks the configured payee once, at start-up: a bad VPA would make every QR unpayable. */
export function checkPayee(payee: UpiPayee): UpiPayee {
  if (!isVpa(payee.vpa)) throw new Error(`UPI_PAYEE_VPA must be a VPA such as "indiapost@sbi", not "${payee.vpa}"`);
  const name = payee.name.trim();
  if (!name || name.length > 99) throw new Error('UPI_PAYEE_NAME must be 1 to 99 characters');
  return { vpa: payee.vpa, name };
}

/**
 * Percent-encodes a value as RFC 3986 would in a query: everything but unreserved characters. Stricter
 * than encodeURIComponent, which leaves !'()* alone; a UPI app's parser should never have to guess.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The deep link, parameters in the specification's order, each value percent-encoded. */
export function upiDeepLink(request: UpiPaymentRequest): string {
  if (!REFERENCE.test(request.reference)) throw new Error(`a UPI transaction reference is 1 to 35 letters and digits, not "${request.reference}"`);
  if (request.amountPaise <= 0) throw new RangeError('a UPI payment request is for a positive amount');
  const note = [...request.note].slice(0, MAX_NOTE_LENGTH).join('');
  const params: [string, string][] = [
    ['pa', request.payee.vpa],
    ['pn', request.payee.name],
    ['am', rupeesText(request.amountPaise)],
    ['cu', 'INR'],
    ['tr', request.reference],
    ['tn', note],
  ];
  return `upi://pay?${params.map(([key, value]) => `${key}=${percentEncode(value)}`).join('&')}`;
}
