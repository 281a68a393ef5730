import fc from 'fast-check';
import {
  DELIVERY_STANDARDS,
  DISTANCE_BANDS,
  DeliveryError,
  NATIONAL_HOLIDAYS,
  PRODUCTS,
  deliveryEstimate,
  expectedDeliveryDate,
  type DistanceBand,
  type Product,
} from '../../src/domain';

/** An instant given as IST wall-clock time. */
const ist = (dateTime: string): Date => new Date(`${dateTime}+05:30`);

// Week of 1 Sep 2025 (no national holiday): Wed 3 Sep, Thu 4, Fri 5, Sat 6, Sun 7, Mon 8 Sep.
describe('expectedDeliveryDate', () => {
  it('counts the norm in days after the day of booking (local Speed Post: 2 days)', () => {
    expect(expectedDeliveryDate({ product: 'SPEED_POST_DOCUMENT', band: 'LOCAL', bookedAt: ist('2025-09-03T10:00:00') })).toBe('2025-09-05');
  });

  it('skips Sunday', () => {
    // Friday + 2 working days: Saturday, then Monday.
    expect(expectedDeliveryDate({ product: 'SPEED_POST_DOCUMENT', band: 'LOCAL', bookedAt: ist('2025-09-05T10:00:00') })).toBe('2025-09-08');
    // Farthest band, 6 days from Wednesday: Thu, Fri, Sat, Mon, Tue, Wed.
    expect(expectedDeliveryDate({ product: 'SPEED_POST_PARCEL', band: 'ABOVE_2000_KM', bookedAt: ist('2025-09-03T10:00:00') })).toBe('2025-09-10');
  });

  it('counts from the next working day when booked at or after the 16:00 IST cut-off', () => {
    const before = deliveryEstimate({ product: 'SPEED_POST_DOCUMENT', band: 'LOCAL', bookedAt: ist('2025-09-05T15:59:00') });
    const at = deliveryEstimate({ product: 'SPEED_POST_DOCUMENT', band: 'LOCAL', bookedAt: ist('2025-09-05T16:00:00') });
    expect(before).toMatchObject({ countedFrom: '2025-09-05', bookedAfterCutoff: false, expectedDeliveryDate: '2025-09-08' });
    expect(at).toMatchObject({ countedFrom: '2025-09-06', bookedAfterCutoff: true, expectedDeliveryDate: '2025-09-09' });
  });

  it('moves a Saturday evening booking past Sunday to Monday', () => {
    const estimate = deliveryEstimate({ product: 'SPEED_POST_DOCUMENT', band: 'LOCAL', bookedAt: ist('2025-09-06T17:30:00') });
    expect(estimate).toMatchObject({ countedFrom: '2025-09-08', expectedDeliveryDate: '2025-09-10' });
  });

  it('treats an article booked on a Sunday as booked on Monday', () => {
    expect(deliveryEstimate({ product: 'SPEED_POST_DOCUMENT', band: 'LOCAL', bookedAt: ist('2025-09-07T11:00:00') })).toMatchObject({
      countedFrom: '2025-09-08',
      expectedDeliveryDate: '2025-09-10',
    });
  });

  it('reads the booking time in IST, not UTC', () => {
    // 19:00 UTC on Friday is 00:30 IST on Saturday: well before Saturday's cut-off.
    expect(deliveryEstimate({ product: 'SPEED_POST_DOCUMENT', band: 'LOCAL', bookedAt: new Date('2025-09-05T19:00:00Z') })).toMatchObject({
      countedFrom: '2025-09-06',
      bookedAfterCutoff: false,
      expectedDeliveryDate: '2025-09-09',
    });
  });

  it('skips the holidays it is given (Sundays only otherwise)', () => {
    const bookedAt = ist('2025-09-03T10:00:00');
    expect(expectedDeliveryDate({ product: 'SPEED_POST_DOCUMENT', band: 'LOCAL', bookedAt })).toBe('2025-09-05');
    expect(expectedDeliveryDate({ product: 'SPEED_POST_DOCUMENT', band: 'LOCAL', bookedAt, holidays: ['2025-09-04'] })).toBe('2025-09-06');
  });

  it('skips the national holidays every year, wherever the article goes', () => {
    // Wed 1 Oct 2025 local Speed Post: Thu 2 Oct is Gandhi Jayanti, so Fri 3 and Sat 4.
    expect(expectedDeliveryDate({ product: 'SPEED_POST_DOCUMENT', band: 'LOCAL', bookedAt: ist('2025-10-01T10:00:00') })).toBe('2025-10-04');
    // Booked on Republic Day 2027 (a Tuesday): counted from Wed 27 Jan.
    expect(deliveryEstimate({ product: 'SPEED_POST_DOCUMENT', band: 'LOCAL', bookedAt: ist('2027-01-26T10:00:00') }).countedFrom).toBe('2027-01-27');
    // Thu 14 Aug 2025, two days: Independence Day (Fri) is skipped.
    expect(expectedDeliveryDate({ product: 'SPEED_POST_DOCUMENT', band: 'LOCAL', bookedAt: ist('2025-08-14T10:00:00') })).toBe('2025-08-18');
  });

  it('honours an office cut-off and a branch office day', () => {
    const bookedAt = ist('2025-09-03T17:00:00');
    expect(expectedDeliveryDate({ product: 'SPEED_POST_DOCUMENT', band: 'LOCAL', bookedAt, cutoffIst: { hour: 18, minute: 0 } })).toBe('2025-09-05');
    expect(
      deliveryEstimate({ product: 'SPEED_POST_DOCUMENT', band: 'LOCAL', bookedAt, cutoffIst: { hour: 18, minute: 0 }, deliveredByBranchOffice: true }),
    ).toMatchObject({ normDays: 3, expectedDeliveryDate: '2025-09-06' });
  });

  it('says which norms are published figures', () => {
    expect(deliveryEstimate({ product: 'SPEED_POST_DOCUMENT', band: 'LOCAL', bookedAt: ist('2025-09-03T10:00:00') }).normConfirmed).toBe(true);
    expect(deliveryEstimate({ product: 'SPEED_POST_DOCUMENT', band: 'KM_501_1000', bookedAt: ist('2025-09-03T10:00:00') }).normConfirmed).toBe(false);
  });

  it('rejects bad input with the field named', () => {
    const attempt = (input: Partial<Parameters<typeof deliveryEstimate>[0]>): unknown => {
      try {
        return deliveryEstimate({ product: 'SPEED_POST_DOCUMENT', band: 'LOCAL', bookedAt: ist('2025-09-03T10:00:00'), ...input });
      } catch (error) {
        return error;
      }
    };
    expect(attempt({ bookedAt: new Date(Number.NaN) })).toMatchObject({ reason: 'INVALID_DATE', field: 'bookedAt' });
    expect(attempt({ holidays: ['2025-02-30'] })).toMatchObject({ reason: 'INVALID_HOLIDAY', field: 'holidays[0]' });
    expect(attempt({ band: 'NEAR' as DistanceBand })).toMatchObject({ reason: 'UNKNOWN_BAND', field: 'band' });
    expect(attempt({ cutoffIst: { hour: 24, minute: 0 } })).toBeInstanceOf(DeliveryError);
  });
});

describe('properties', () => {
  const product = fc.constantFrom<Product>(...PRODUCTS);
  const band = fc.constantFrom<DistanceBand>(...DISTANCE_BANDS);
  const instant = fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true });

  it('never lands on a Sunday or a national holiday, and never sooner than the norm allows', () => {
    fc.assert(
      fc.property(product, band, instant, (p, b, bookedAt) => {
        const estimate = deliveryEstimate({ product: p, band: b, bookedAt });
        const delivery = new Date(`${estimate.expectedDeliveryDate}T00:00:00Z`);
        const countedFrom = new Date(`${estimate.countedFrom}T00:00:00Z`);
        expect(delivery.getUTCDay()).not.toBe(0);
        expect(NATIONAL_HOLIDAYS).not.toContain(estimate.expectedDeliveryDate.slice(5));
        const calendarDays = (delivery.getTime() - countedFrom.getTime()) / 86_400_000;
        expect(calendarDays).toBeGreaterThanOrEqual(DELIVERY_STANDARDS[p].byBand[b].days);
        // National holidays are months apart, so a span holds at most one; with it, the working days
        // (and the holiday) span at most one Sunday per six days.
        expect(calendarDays).toBeLessThanOrEqual(estimate.normDays + 1 + Math.ceil((estimate.normDays + 1) / 6));
      }),
      { numRuns: 1_000 },
    );
  });

  it('a later booking is never delivered earlier', () => {
    fc.assert(
      fc.property(product, band, instant, fc.integer({ min: 1, max: 5 * 86_400_000 }), (p, b, bookedAt, laterByMs) => {
        const first = expectedDeliveryDate({ product: p, band: b, bookedAt });
        const second = expectedDeliveryDate({ product: p, band: b, bookedAt: new Date(bookedAt.getTime() + laterByMs) });
        expect(second >= first).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  });
});
