import { S10Error } from './errors.js';

/**
 * What kind of item a range of service indicators is allocated to.
 * LETTER_UNTRACKED is the U* range (barcoded but not tracked); DOMESTIC ranges
 * are left to each post for domestic, bilateral or multilateral use; RESERVED
 * ranges are never valid on an item; UNASSIGNED ranges are not allocated.
 */
export type ProductFamily =
  | 'EMS'
  | 'PARCEL'
  | 'ECOMMERCE_PARCEL'
  | 'LETTER_TRACKED'
  | 'LETTER_M_BAG'
  | 'LETTER_IBRS'
  | 'LETTER_REGISTERED'
  | 'LETTER_INSURED'
  | 'LETTER_UNTRACKED'
  | 'DOMESTIC'
  | 'RESERVED'
  | 'UNASSIGNED';

/** One range of service indicators, e.g. EA–EZ, and what it is for. */
export interface ServiceIndicatorRange {
  /** First indicator in the range, inclusive. */
  readonly from: string;
  /** Last indicator in the range, inclusive. */
  readonly to: string;
  readonly family: ProductFamily;
  readonly description: string;
  /** Conditions the standard attaches to part of the range. */
  readonly note?: string;
}

const range = (
  from: string,
  to: string,
  family: ProductFamily,
  description: string,
  note?: string,
): ServiceIndicatorRange => Object.freeze(note === undefined ? { from, to, family, description } : { from, to, family, description, note });

/**
 * The service-indicator allocation of UPU S10 (S10-12, table of service
 * indicators and its footnotes), covering all 676 two-letter indicators with
 * no gaps or overlaps, in alphabetical order.
 *
 * Data, not logic: the GraphQL layer can publish it as-is. Posts assign
 * specific indicators within each range themselves, so the table stops at the
 * ranges the standard fixes for everyone.
 */
export const SERVICE_INDICATORS: readonly ServiceIndicatorRange[] = Object.freeze([
  range('AA', 'AU', 'UNASSIGNED', 'Not allocated'),
  range('AV', 'AZ', 'DOMESTIC', 'Domestic, bilateral or multilateral use only', 'In principle for RFID-tracked e-commerce items'),
  range('BA', 'BZ', 'DOMESTIC', 'Domestic, bilateral or multilateral use only'),
  range(
    'CA',
    'CZ',
    'PARCEL',
    'Parcel post',
    'CZ requires a bilateral agreement; CV need not be used for insured parcels, but if used it should be only on insured parcels',
  ),
  range('DA', 'DZ', 'DOMESTIC', 'Domestic, bilateral or multilateral use only'),
  range('EA', 'EZ', 'EMS', 'EMS (India Post: Speed Post and EMS Speed Post)', 'EX–EZ require a bilateral agreement'),
  range('FA', 'FZ', 'UNASSIGNED', 'Not allocated'),
  range('GA', 'GA', 'DOMESTIC', 'Domestic, bilateral or multilateral use only'),
  range('GB', 'GC', 'UNASSIGNED', 'Not allocated'),
  range('GD', 'GD', 'DOMESTIC', 'Domestic, bilateral or multilateral use only'),
  range('GE', 'GZ', 'UNASSIGNED', 'Not allocated'),
  range(
    'HA',
    'HZ',
    'ECOMMERCE_PARCEL',
    'E-commerce parcels',
    'HX–HY require a multilateral agreement; HZ requires a bilateral agreement',
  ),
  range('IA', 'IZ', 'UNASSIGNED', 'Not allocated'),
  range('JA', 'JZ', 'RESERVED', 'Reserved; cannot be assigned as a service indicator'),
  range('KA', 'KZ', 'RESERVED', 'Reserved; cannot be assigned as a service indicator'),
  range(
    'LA',
    'LZ',
    'LETTER_TRACKED',
    'Letter post, tracked (called "letter post express" in earlier editions of S10)',
    'LZ requires a bilateral agreement',
  ),
  range('MA', 'MZ', 'LETTER_M_BAG', 'Letter post, M bags'),
  range('NA', 'NZ', 'DOMESTIC', 'Domestic, bilateral or multilateral use only'),
  range('OA', 'OZ', 'UNASSIGNED', 'Not allocated'),
  range('PA', 'PZ', 'DOMESTIC', 'Domestic, bilateral or multilateral use only'),
  range('QA', 'QM', 'LETTER_IBRS', 'Letter post, International Business Reply Service (IBRS)'),
  range('QN', 'QZ', 'UNASSIGNED', 'Not allocated'),
  range(
    'RA',
    'RZ',
    'LETTER_REGISTERED',
    'Letter post, registered but not insured (India Post: Registered Post)',
    'RZ requires a bilateral agreement',
  ),
  range('SA', 'SZ', 'RESERVED', 'Reserved; cannot be assigned as a service indicator'),
  range('TA', 'TZ', 'RESERVED', 'Reserved; cannot be assigned as a service indicator'),
  range(
    'UA',
    'UZ',
    'LETTER_UNTRACKED',
    'Letter post items not covered by the L, M, Q, R or V ranges, not tracked; used on items subject to customs control (bearing a CN 22 or CN 23)',
  ),
  range('VA', 'VZ', 'LETTER_INSURED', 'Letter post, insured', 'VZ requires a bilateral agreement'),
  range('WA', 'WZ', 'RESERVED', 'Reserved; cannot be assigned as a service indicator'),
  range('XA', 'XZ', 'UNASSIGNED', 'Not allocated'),
  range('YA', 'YZ', 'UNASSIGNED', 'Not allocated'),
  range('ZA', 'ZZ', 'DOMESTIC', 'Domestic, bilateral or multilateral use only'),
]);

/**
 * The range a service indicator belongs to (case-insensitive).
 * Throws S10Error INVALID_SERVICE_INDICATOR unless given two letters A-Z.
 */
export function serviceIndicatorInfo(indicator: string): ServiceIndicatorRange {
  if (typeof indicator !== 'string' || !/^[A-Za-z]{2}$/.test(indicator)) {
    throw new S10Error(
      'INVALID_SERVICE_INDICATOR',
      `service indicator must be two letters A-Z; got ${typeof indicator === 'string' ? JSON.stringify(indicator) : typeof indicator}`,
    );
  }
  const upper = indicator.toUpperCase();
  // Ranges never straddle a first letter, so string comparison is enough.
  const found = SERVICE_INDICATORS.find((r) => upper >= r.from && upper <= r.to);
  // Unreachable while the table covers AA–ZZ (a test checks that it does).
  if (found === undefined) throw new Error(`SERVICE_INDICATORS has no range for ${upper}`);
  return found;
}

/**
 * The product family of a service indicator, e.g. 'EMS' for "EE".
 * Throws S10Error INVALID_SERVICE_INDICATOR unless given two letters A-Z.
 */
export function productFamilyOf(indicator: string): ProductFamily {
  return serviceIndicatorInfo(indicator).family;
}
