/**
 * IST days, the unit of every report: a post office's day is India's, so an instant is read at UTC+05:30
 * (fixed, no daylight saving) before it is given a day. 2026-12-02T19:00Z is already 3 December.
 */
import { badInput } from '@dakgraph/graphql-kit';

const IST_OFFSET_MS = (5 * 60 + 30) * 60_000;
const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The longest range a report or series covers: a year, leap or not. */
export const MAX_RANGE_DAYS = 366;

/** The IST day of an instant, YYYY-MM-DD. */
export function istDayOf(instant: Date | string): string {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  return new Date(at.getTime() + IST_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whether `text` is a real calendar day written YYYY-MM-DD (2026-02-30 is not). */
export function isDay(text: string): boolean {
  const match = ISO_DAY.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

/** The day `count` days after `day` (before, when negative). */
export function addDays(day: string, count: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + count * DAY_MS).toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** A report's days, checked. */
export interface DayRange {
  from: string;
  to: string;
}

/** Checks a report's `from` and `to`: real days, in order, at most MAX_RANGE_DAYS apart. */
export function checkDayRange(from: string, to: string): DayRange {
  if (!isDay(from)) throw badInput(`from must be an IST day written YYYY-MM-DD, e.g. "2026-12-03"; got "${from.slice(0, 40)}"`, 'from');
  if (!isDay(to)) throw badInput(`to must be an IST day written YYYY-MM-DD, e.g. "2026-12-03"; got "${to.slice(0, 40)}"`, 'to');
  if (to < from) throw badInput(`to (${to}) is before from (${from})`, 'to');
  const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (span > MAX_RANGE_DAYS) throw badInput(`A report covers at most ${MAX_RANGE_DAYS} days; from ${from} to ${to} is ${span}`, 'to');
  return { from, to };
}
