/**
 * Money is whole paise everywhere (GraphQL Int, integer columns); rupees appear only where a standard
 * asks for them as text, such as a UPI link's `am`.
 */

/** Whether `value` is a whole, non-negative number of paise that fits a GraphQL Int. */
export function isPaise(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= 2 ** 31 - 1;
}

/** Paise as rupees with two decimals, "1234.50": exact (no floating point), as UPI's `am` wants it. */
export function rupeesText(paise: number): string {
  if (!isPaise(paise)) throw new RangeError(`an amount in paise must be a whole number from 0 to 2147483647, not ${paise}`);
  const rupees = Math.floor(paise / 100);
  const rest = paise % 100;
  return `${rupees}.${String(rest).padStart(2, '0')}`;
}

/** The rate of GST on postal services, in basis points (18%). */
export const GST_BASIS_POINTS = 1_800;

/** GST on a taxable amount, rounded to the nearest paisa (half up), as the tariff rounds it. */
export function gstOn(taxablePaise: number): number {
  return Math.floor((taxablePaise * GST_BASIS_POINTS + 5_000) / 10_000);
}
