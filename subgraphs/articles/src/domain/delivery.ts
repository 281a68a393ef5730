/**
 * Expected delivery dates from India Post's delivery norms.
 *
 * The norms are maxima counted in days after the day of posting ("D"), leaving
 * out Sundays and holidays, and they hold only for articles booked before the
 * counter's cut-off time (Directorate O.M. 13-45/2008-D of Dec 2013). This
 * module applies them literally and returns an IST calendar date.
 *
 * Holidays: the three national holidays (Republic Day 26 January, Independence
 * Day 15 August, Gandhi Jayanti 2 October) close every central government office,
 * India Post included, every year, so they are always skipped with Sundays. The
 * rest of the holiday calendar differs by circle and year and we have none, so
 * other holidays are skipped only when the caller passes them; a date computed
 * without them may be early around festivals.
 */

import { ReasonedError } from '@dakgraph/errors';
import { addDays, dayOfWeek, isIsoDate, isValidInstant, toIst } from './ist.js';
import { DISTANCE_BANDS, PRODUCTS, type DistanceBand, type Product } from './tariffData.js';

/*
 * Sources:
 *  [OM13] D.G. Posts O.M. 13-45/2008-D, Dec 2013 (nfpe.blogspot.com, 27 Dec 2013):
 *         Speed Post local 2 days, metro to metro 2 days, rest of the country 4–6 days;
 *         days exclude the day of posting, Sundays and holidays; cut-off "normally
 *         3 or 4 pm for booking counters … or as decided by the Circle", and an extra
 *         day may be added for later bookings.
 *  [OM14] D.G. Posts O.M. 13-45/2008-D of 26 Nov 2014 (scribd DeliveryNorms-1): Registered
 *         (first class) mail local 2 days, metros 2–3, same or neighbouring state 3–4,
 *         rest of the country 5–6.
 *  [XPS]  indiapost.gov.in Business Parcel page, "Service Standards for Delivery of Express
 *         Parcel": local 3 days, same state 3–6, rest of the country 6–7; delivery through a
 *         branch office takes one additional day.
 * The norms are not written per distance band. Where a band maps to a norm directly
 * (local; the farthest band is "rest of the country") the value is confirmed; the
 * bands in between are our grading between those two and are marked unconfirmed.
 */

export interface DeliveryNorm {
  /** Working days after the day of posting. */
  readonly days: number;
  readonly confirmed: boolean;
}

export interface DeliveryStandard {
  readonly byBand: Readonly<Record<DistanceBand, DeliveryNorm>>;
  readonly source: string;
}

function norms(
  confirmedBands: readonly DistanceBand[],
  ...days: [number, number, number, number, number, number]
): Readonly<Record<DistanceBand, DeliveryNorm>> {
  const byBand = {} as Record<DistanceBand, DeliveryNorm>;
  DISTANCE_BANDS.forEach((band, i) => {
    byBand[band] = Object.freeze({ days: days[i] as number, confirmed: confirmedBands.includes(band) });
  });
  return Object.freeze(byBand);
}

const SPEED_POST_NORMS: DeliveryStandard = Object.freeze({
  byBand: norms(['LOCAL', 'ABOVE_2000_KM'], 2, 3, 4, 5, 6, 6),
  source: '[OM13] local 2, rest of the country up to 6; 3–6 in between graded by us',
});

export const DELIVERY_STANDARDS: Readonly<Record<Product, DeliveryStandard>> = Object.freeze({
  // No separate norm was published for Speed Post parcels; they travel in the same network.
  SPEED_POST_DOCUMENT: SPEED_POST_NORMS,
  SPEED_POST_PARCEL: SPEED_POST_NORMS,
  REGISTERED: Object.freeze({
    byBand: norms(['LOCAL', 'ABOVE_2000_KM'], 2, 4, 4, 6, 6, 6),
    source: '[OM14] local 2, same/neighbouring state up to 4, rest of the country up to 6',
  }),
  BUSINESS_PARCEL: Object.freeze({
    byBand: norms(['LOCAL', 'ABOVE_2000_KM'], 3, 5, 6, 6, 7, 7),
    source: '[XPS] local 3, same state up to 6, rest of the country up to 7',
  }),
});

/** Counter cut-off: [OM13] "3 or 4 pm … or as decided by the Circle"; we take the later. */
export const BOOKING_CUTOFF_IST: Readonly<CutoffTime> = Object.freeze({ hour: 16, minute: 0 });

/** [XPS] "Delivery in Branch Offices will take one additional day." */
export const BRANCH_OFFICE_EXTRA_DAYS = 1;

export interface CutoffTime {
  readonly hour: number;
  readonly minute: number;
}

export type DeliveryErrorReason = 'INVALID_DATE' | 'UNKNOWN_PRODUCT' | 'UNKNOWN_BAND' | 'INVALID_HOLIDAY' | 'INVALID_CUTOFF';

/** Thrown for input an estimate cannot be made from; `field` names the input. */
export class DeliveryError extends ReasonedError<DeliveryErrorReason> {
  readonly field: string;

  constructor(reason: DeliveryErrorReason, field: string, message: string) {
    super(reason, message);
    this.field = field;
  }
}

/** Month and day (MM-DD) of the national holidays, closed every year whatever the circle. */
export const NATIONAL_HOLIDAYS: readonly string[] = ['01-26', '08-15', '10-02'];

export interface DeliveryEstimateInput {
  readonly product: Product;
  readonly band: DistanceBand;
  readonly bookedAt: Date;
  /** IST dates (YYYY-MM-DD) on which the route does not move or deliver, besides Sundays and national holidays. */
  readonly holidays?: readonly string[];
  /** The booking office's cut-off, when it differs from BOOKING_CUTOFF_IST. */
  readonly cutoffIst?: CutoffTime;
  /** Delivered by a branch office (rural): the norms allow one more day. */
  readonly deliveredByBranchOffice?: boolean;
}

export interface DeliveryEstimate {
  /** IST date, YYYY-MM-DD. Never a Sunday, a national holiday or a given holiday. */
  readonly expectedDeliveryDate: string;
  /** "D": the IST date the norm counts from (the booking date, or the next working day). */
  readonly countedFrom: string;
  readonly bookedAfterCutoff: boolean;
  /** Working days allowed after D, including any branch office day. */
  readonly normDays: number;
  /** False when the norm for this band is our grading rather than a published figure. */
  readonly normConfirmed: boolean;
}

/** The IST date by which the norms say the article should be delivered. */
export function expectedDeliveryDate(input: DeliveryEstimateInput): string {
  return deliveryEstimate(input).expectedDeliveryDate;
}

/**
 * The estimate with its working: D is the IST booking date, moved to the next
 * working day when the article was booked at or after the cut-off or on a
 * Sunday or holiday (it is not despatched until then). Delivery is the
 * `normDays`-th working day after D.
 */
export function deliveryEstimate(input: DeliveryEstimateInput): DeliveryEstimate {
  const { product, band, bookedAt } = input;
  if (!(PRODUCTS as readonly unknown[]).includes(product)) {
    throw new DeliveryError('UNKNOWN_PRODUCT', 'product', `product must be one of ${PRODUCTS.join(', ')}; got ${JSON.stringify(product)}`);
  }
  if (!(DISTANCE_BANDS as readonly unknown[]).includes(band)) {
    throw new DeliveryError('UNKNOWN_BAND', 'band', `band must be one of ${DISTANCE_BANDS.join(', ')}; got ${JSON.stringify(band)}`);
  }
  if (!isValidInstant(bookedAt)) {
    throw new DeliveryError('INVALID_DATE', 'bookedAt', 'bookedAt must be a valid date and time');
  }
  const holidays = holidaySet(input.holidays);
  const cutoff = checkedCutoff(input.cutoffIst ?? BOOKING_CUTOFF_IST);
  const isWorkingDay = (date: string): boolean =>
    dayOfWeek(date) !== 0 && !holidays.has(date) && !NATIONAL_HOLIDAYS.includes(date.slice(5));
  const nextWorkingDay = (date: string): string => {
    let next = addDays(date, 1);
    while (!isWorkingDay(next)) next = addDays(next, 1);
    return next;
  };

  const booked = toIst(bookedAt);
  // Booked exactly at the cut-off misses it: the norm covers articles booked *before* it.
  const bookedAfterCutoff = booked.hour * 60 + booked.minute >= cutoff.hour * 60 + cutoff.minute;
  const countedFrom = bookedAfterCutoff || !isWorkingDay(booked.date) ? nextWorkingDay(booked.date) : booked.date;

  const norm = DELIVERY_STANDARDS[product].byBand[band];
  const normDays = norm.days + (input.deliveredByBranchOffice === true ? BRANCH_OFFICE_EXTRA_DAYS : 0);
  let expected = countedFrom;
  for (let day = 0; day < normDays; day++) expected = nextWorkingDay(expected);

  return Object.freeze({ expectedDeliveryDate: expected, countedFrom, bookedAfterCutoff, normDays, normConfirmed: norm.confirmed });
}

function holidaySet(holidays: readonly string[] | undefined): ReadonlySet<string> {
  if (holidays === undefined || holidays === null) return new Set();
  if (!Array.isArray(holidays)) throw new DeliveryError('INVALID_HOLIDAY', 'holidays', 'holidays must be a list of YYYY-MM-DD dates');
  holidays.forEach((holiday: unknown, i) => {
    if (!isIsoDate(holiday)) {
      throw new DeliveryError(
        'INVALID_HOLIDAY',
        `holidays[${i}]`,
        `holidays[${i}] must be a date written YYYY-MM-DD; got ${JSON.stringify(holiday)}`,
      );
    }
  });
  return new Set(holidays);
}

function checkedCutoff(cutoff: CutoffTime): CutoffTime {
  const ok = (n: unknown, max: number): boolean => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= max;
  if (typeof cutoff !== 'object' || cutoff === null || !ok(cutoff.hour, 23) || !ok(cutoff.minute, 59)) {
    throw new DeliveryError('INVALID_CUTOFF', 'cutoffIst', 'cutoffIst must be { hour: 0–23, minute: 0–59 } in IST');
  }
  return cutoff;
}
