/**
 * Calendar arithmetic in India Standard Time.
 *
 * Tariffs take effect on Indian dates and delivery norms count Indian days, so
 * an instant must be read as an IST wall-clock time before either is applied:
 * 2025-09-30T19:00Z is already 1 October in every post office. IST is a fixed
 * UTC+05:30 with no daylight saving, so a constant offset is exact and we need
 * neither Intl time-zone data nor a date library.
 */

const IST_OFFSET_MS = (5 * 60 + 30) * 60_000;
const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** An instant as a post office clock and calendar in India show it. */
export interface IstWallTime {
  /** Calendar date, YYYY-MM-DD. */
  readonly date: string;
  readonly hour: number;
  readonly minute: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly dayOfWeek: number;
}

export function isValidInstant(instant: unknown): instant is Date {
  return instant instanceof Date && Number.isFinite(instant.getTime());
}

/** The IST calendar date and clock time of an instant. The caller checks the Date is valid. */
export function toIst(instant: Date): IstWallTime {
  const shifted = new Date(instant.getTime() + IST_OFFSET_MS);
  return {
    date: formatUtcDate(shifted),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    dayOfWeek: shifted.getUTCDay(),
  };
}

/** True for a real calendar date written YYYY-MM-DD (2025-02-30 is false). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (match === null) return false;
  const [, year, month, day] = match;
  const parsed = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return formatUtcDate(parsed) === value;
}

/** The date `days` calendar days after an ISO date (negative goes back). */
export function addDays(isoDate: string, days: number): string {
  return formatUtcDate(new Date(utcMidnight(isoDate) + days * DAY_MS));
}

/** 0 = Sunday … 6 = Saturday, for an ISO date. */
export function dayOfWeek(isoDate: string): number {
  return new Date(utcMidnight(isoDate)).getUTCDay();
}

/** The last millisecond of an IST calendar date: 23:59:59.999 IST, i.e. 18:29:59.999Z that day. */
export function endOfIstDay(isoDate: string): Date {
  return new Date(utcMidnight(isoDate) + DAY_MS - IST_OFFSET_MS - 1);
}

function utcMidnight(isoDate: string): number {
  const match = ISO_DATE.exec(isoDate);
  if (match === null) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${JSON.stringify(isoDate)}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

function formatUtcDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
