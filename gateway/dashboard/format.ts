/**
 * Pure helpers of the dashboard: IST days, money and shares. No DOM here, so the route tests (Node) can
 * import and check them too.
 */

/** India Standard Time is UTC+05:30 all year (no daylight saving), so a fixed offset is exact. */
const IST_OFFSET_MS = (5 * 60 + 30) * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The IST day (YYYY-MM-DD) of an instant: the days the analytics subgraph counts in. */
export function istDay(at: Date = new Date()): string {
  return new Date(at.getTime() + IST_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whether `value` is a real calendar day written YYYY-MM-DD (2026-02-30 is not). */
export function isDay(value: string): boolean {
  const match = DAY.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** `day` moved by `days` calendar days (negative: earlier). Calendar arithmetic in UTC, so no clock is involved. */
export function addDays(day: string, days: number): string {
  if (!isDay(day)) throw new RangeError(`not a day: ${JSON.stringify(day)}`);
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** How many days from `from` to `to`, both included (0 when `to` is before `from`). */
export function daysIncluded(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1);
}

/** The longest range the analytics API answers for (its own limit). */
export const MAX_RANGE_DAYS = 366;

/** A whole number in the Indian system of digit grouping: 1,23,45,678 (lakh, crore). */
export function indianDigits(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  const digits = String(Math.abs(value));
  const last3 = digits.slice(-3);
  const rest = digits.slice(0, -3);
  // Before the last three digits the groups are of two.
  const grouped = rest ? `${rest.replace(/\B(?=(\d{2})+(?!\d))/g, ',')},${last3}` : last3;
  return value < 0 ? `-${grouped}` : grouped;
}

/**
 * Integer paise as rupees: "₹1,23,456.00". Integer arithmetic throughout, so any LargePaise (exact up to
 * 2^53 - 1) shows exactly, with no floating-point rounding.
 */
export function rupees(paise: number): string {
  if (!Number.isSafeInteger(paise)) throw new RangeError(`paise must be a safe integer, not ${paise}`);
  const sign = paise < 0 ? '-' : '';
  const abs = Math.abs(paise);
  const whole = Math.floor(abs / 100);
  const fraction = String(abs % 100).padStart(2, '0');
  return `${sign}₹${indianDigits(whole)}.${fraction}`;
}

/** A count with Indian digit grouping. */
export function count(value: number): string {
  return indianDigits(value);
}

/** An on-time share (0 to 1) as a percentage with one decimal; "–" when nothing was delivered (null). */
export function share(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
}
