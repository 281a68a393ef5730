import fc from 'fast-check';
import type { DomainEvent } from '@dakgraph/events';
import {
  addDays,
  checkDayRange,
  checkFilter,
  daysBetween,
  deltasOfArticleEvent,
  deltasOfPaymentEvent,
  istDayOf,
  onTimeShare,
  readLevel,
} from '../src/domain';

const booking = { product: 'SPEED_POST_PARCEL', officeId: '110001-baroda-house', expectedDeliveryDate: '2026-12-05', taxablePaise: 10_000, gstPaise: 1_800 };

const articleEvent = (type: string, statusAfter: string, extra: Record<string, unknown> = {}, occurredAt = '2026-12-03T06:00:00.000Z'): DomainEvent => ({
  id: '01a23bc7-b777-7000-8000-000000000001',
  type: `article.${statusAfter.toLowerCase()}`,
  source: 'articles',
  subject: 'EE123456785IN',
  sequence: 2,
  occurredAt,
  version: 1,
  payload: {
    articleNumber: 'EE123456785IN',
    status: statusAfter,
    sequence: 2,
    partnerId: null,
    event: { sequence: 2, type, upuCode: null, description: type, occurredAt, office: { id: '400001-mumbai' }, nextOffice: null, reason: null, statusAfter, ...extra },
    booking,
  },
});

describe('IST days', () => {
  it('gives an instant the day India has', () => {
    expect(istDayOf('2026-12-02T18:29:59.999Z')).toBe('2026-12-02');
    expect(istDayOf('2026-12-02T18:30:00.000Z')).toBe('2026-12-03');
  });

  it('checks ranges: real days, in order, at most 366 of them', () => {
    expect(checkDayRange('2024-01-01', '2024-12-31')).toEqual({ from: '2024-01-01', to: '2024-12-31' });
    expect(() => checkDayRange('2026-02-29', '2026-03-01')).toThrow(/YYYY-MM-DD/);
    expect(() => checkDayRange('2026-12-03', '2026-12-02')).toThrow(/before/);
    expect(() => checkDayRange('2025-01-01', '2026-01-02')).toThrow(/at most 366/);
  });

  it('lists every day of a range, across months and leap days', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2099-01-01'), noInvalidDate: true }), fc.integer({ min: 0, max: 400 }), (start, span) => {
        const from = start.toISOString().slice(0, 10);
        const days = daysBetween(from, addDays(from, span));
        expect(days).toHaveLength(span + 1);
        expect(new Set(days).size).toBe(span + 1);
      }),
    );
  });
});

describe('what an event adds', () => {
  it('a booking counts at its booking office, by product, with its charge and GST', () => {
    expect(deltasOfArticleEvent({ ...articleEvent('BOOKED', 'BOOKED'), type: 'article.booked' })).toEqual([
      { officeId: booking.officeId, day: '2026-12-03', figures: { booked: 1, revenuePaise: 10_000, gstPaise: 1_800 }, breakdown: { measure: 'BOOKED', key: 'SPEED_POST_PARCEL', count: 1 } },
    ]);
    // Paid later: the payment's event (no office of its own) books it at the booking office.
    const paid = articleEvent('PAYMENT_RECEIVED', 'BOOKED', { office: null });
    expect(deltasOfArticleEvent(paid)[0]).toMatchObject({ officeId: booking.officeId, figures: { booked: 1 } });
  });

  it('a delivery counts at the delivering office, on time up to the expected day (an IST day)', () => {
    expect(deltasOfArticleEvent(articleEvent('DELIVERED', 'DELIVERED', {}, '2026-12-05T18:29:00.000Z'))[0]).toMatchObject({
      officeId: '400001-mumbai',
      day: '2026-12-05',
      figures: { delivered: 1, deliveredOnTime: 1 },
    });
    expect(deltasOfArticleEvent(articleEvent('DELIVERED', 'DELIVERED', {}, '2026-12-05T18:30:00.000Z'))[0]).toMatchObject({
      day: '2026-12-06',
      figures: { delivered: 1, deliveredOnTime: 0 },
    });
    // A return delivered to its sender is not a delivery.
    expect(deltasOfArticleEvent(articleEvent('DELIVERED', 'RETURN_DELIVERED'))).toEqual([]);
  });

  it('failed attempts by reason, returns, and nothing for the movements between', () => {
    expect(deltasOfArticleEvent(articleEvent('DELIVERY_ATTEMPTED', 'DELIVERY_ATTEMPTED', { reason: 'PREMISES_LOCKED' }))[0]).toMatchObject({
      figures: { failedAttempts: 1 },
      breakdown: { measure: 'FAILED_ATTEMPT', key: 'PREMISES_LOCKED', count: 1 },
    });
    expect(deltasOfArticleEvent(articleEvent('RETURNED_TO_SENDER', 'RETURNED_TO_SENDER', { reason: 'UNCLAIMED' }))[0]).toMatchObject({ figures: { returned: 1 } });
    for (const type of ['BAGGED', 'BAG_DISPATCHED', 'RECEIVED_AT_SORTING', 'ARRIVED_AT_DELIVERY_OFFICE', 'OUT_FOR_DELIVERY']) {
      expect(deltasOfArticleEvent(articleEvent(type, 'IN_TRANSIT'))).toEqual([]);
    }
  });

  it('COD collected at the collecting office, remitted by the offices that collected it', () => {
    const collected: DomainEvent = {
      id: '01a23bc7-b777-7000-8000-000000000002', type: 'cod.collected', source: 'payments', subject: 'EE123456785IN', sequence: 0, occurredAt: '2026-12-03T06:00:00.000Z', version: 1,
      payload: { articleNumber: 'EE123456785IN', paymentId: 'pay_1', partnerId: null, amountPaise: 49_900, mode: 'CASH', collectedAt: '2026-12-03T06:00:00.000Z', officeId: '400001-mumbai' },
    };
    expect(deltasOfPaymentEvent(collected)).toEqual([{ officeId: '400001-mumbai', day: '2026-12-03', figures: { codCollectedPaise: 49_900 } }]);
    const remitted: DomainEvent = {
      ...collected, type: 'cod.remitted', subject: 'rem_1', occurredAt: '2026-12-04T20:00:00.000Z',
      payload: { remittanceId: 'rem_1', partnerId: 'ptn_1', articleCount: 3, grossPaise: 3_000, feesPaise: 0, feeGstPaise: 0, netPaise: 3_000, bankReference: 'UTR123456', periodEnd: '2026-12-04T00:00:00.000Z',
        byOffice: [{ officeId: '400001-mumbai', articleCount: 2, amountPaise: 2_000 }, { officeId: '110001-baroda-house', articleCount: 1, amountPaise: 1_000 }] },
    };
    expect(deltasOfPaymentEvent(remitted)).toEqual([
      { officeId: '400001-mumbai', day: '2026-12-05', figures: { codRemittedPaise: 2_000 } },
      { officeId: '110001-baroda-house', day: '2026-12-05', figures: { codRemittedPaise: 1_000 } },
    ]);
  });

  it('an event from before booking facts travelled still counts a delivery, never as on time', () => {
    const old = articleEvent('DELIVERED', 'DELIVERED');
    delete (old.payload as { booking?: unknown }).booking;
    expect(deltasOfArticleEvent(old)[0]).toMatchObject({ figures: { delivered: 1, deliveredOnTime: 0 } });
    expect(deltasOfArticleEvent({ ...articleEvent('BOOKED', 'BOOKED'), payload: { ...(old.payload as object), event: { ...(old.payload as { event: object }).event, type: 'BOOKED', statusAfter: 'BOOKED' } } })).toEqual([]);
  });

  it('refuses a payload that breaks the contract rather than count it wrong', () => {
    expect(() => deltasOfArticleEvent({ ...articleEvent('BOOKED', 'BOOKED'), payload: { articleNumber: 1 } })).toThrow();
  });
});

describe('which stored level answers', () => {
  it('is the finer of the grouping and the filter', () => {
    expect(readLevel('NATION', {})).toBe('NATION');
    expect(readLevel('DIVISION', { circle: 'karnataka' })).toBe('DIVISION');
    expect(readLevel('NATION', { division: 'bangalore-hq/bangalore-south' })).toBe('DIVISION');
    expect(readLevel('CIRCLE', { officeId: '560001-bangalore-g-p-o' })).toBe('OFFICE');
  });

  it('filters are ids as the directory writes them', () => {
    expect(checkFilter({ circle: ' Karnataka ', officeId: null })).toEqual({ circle: 'karnataka' });
    expect(() => checkFilter({ region: "x' OR 1=1 --" })).toThrow(/filter.region/);
  });

  it('the on-time share is null when nothing was delivered', () => {
    expect(onTimeShare({ delivered: 0, deliveredOnTime: 0 })).toBeNull();
    expect(onTimeShare({ delivered: 4, deliveredOnTime: 3 })).toBe(0.75);
  });
});
