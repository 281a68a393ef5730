import fc from 'fast-check';
import {
  ARTICLE_STATUSES,
  EVENT_DEFINITIONS,
  MAX_DELIVERY_ATTEMPTS,
  NON_DELIVERY_REASONS,
  PUBLIC_STATUSES,
  TRACKING_EVENTS,
  TransitionError,
  allowedEvents,
  applyEvent,
  eventWording,
  isPublicStatus,
  isTerminal,
  nextStepAfterAttempt,
  statusOnCreation,
  type ArticleStatus,
  type EventTransition,
} from '../../src/domain';

const DELHI_NSH = 'delhi-nsh';
const MUMBAI_NSH = 'mumbai-nsh';

/** Applies events in turn, returning every status passed through (after each event). */
function walk(start: ArticleStatus, events: readonly EventTransition[]): ArticleStatus[] {
  const statuses: ArticleStatus[] = [];
  let status = start;
  for (const event of events) {
    status = applyEvent(status, event);
    statuses.push(status);
  }
  return statuses;
}

function transitionErrorOf(fn: () => unknown): TransitionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TransitionError) return error;
    throw error;
  }
  throw new Error('expected a TransitionError, but nothing was thrown');
}

describe('an article’s journey', () => {
  it('goes from online booking to delivery through several sorting hubs', () => {
    const start = statusOnCreation({ paid: false });
    expect(start).toBe('AWAITING_PAYMENT');
    expect(
      walk(start, [
        { type: 'PAYMENT_RECEIVED' },
        { type: 'BAGGED' },
        { type: 'BAG_DISPATCHED', nextOfficeId: DELHI_NSH },
        { type: 'RECEIVED_AT_SORTING' },
        { type: 'BAGGED' },
        { type: 'BAG_DISPATCHED', nextOfficeId: MUMBAI_NSH },
        { type: 'RECEIVED_AT_SORTING' },
        { type: 'DISPATCHED_FROM_SORTING', nextOfficeId: 'andheri-east-so' },
        { type: 'ARRIVED_AT_DELIVERY_OFFICE' },
        { type: 'OUT_FOR_DELIVERY' },
        { type: 'DELIVERED' },
      ]),
    ).toEqual([
      'BOOKED',
      'BAGGED',
      'IN_TRANSIT',
      'IN_TRANSIT',
      'BAGGED',
      'IN_TRANSIT',
      'IN_TRANSIT',
      'IN_TRANSIT',
      'AT_DELIVERY_OFFICE',
      'OUT_FOR_DELIVERY',
      'DELIVERED',
    ]);
  });

  it('starts BOOKED when paid at the counter, and a counter can book an unpaid online article', () => {
    expect(statusOnCreation({ paid: true })).toBe('BOOKED');
    expect(applyEvent('AWAITING_PAYMENT', { type: 'BOOKED' })).toBe('BOOKED');
  });

  it('goes out again after a failed attempt', () => {
    expect(
      walk('OUT_FOR_DELIVERY', [
        { type: 'DELIVERY_ATTEMPTED', reason: 'PREMISES_LOCKED' },
        { type: 'OUT_FOR_DELIVERY' },
        { type: 'DELIVERY_ATTEMPTED', reason: 'ADDRESSEE_ABSENT' },
        { type: 'OUT_FOR_DELIVERY' },
        { type: 'DELIVERED' },
      ]),
    ).toEqual(['DELIVERY_ATTEMPTED', 'OUT_FOR_DELIVERY', 'DELIVERY_ATTEMPTED', 'OUT_FOR_DELIVERY', 'DELIVERED']);
  });

  it('returns a refused item through the network to its sender', () => {
    expect(
      walk('OUT_FOR_DELIVERY', [
        { type: 'DELIVERY_ATTEMPTED', reason: 'REFUSED' },
        { type: 'RETURNED_TO_SENDER', reason: 'REFUSED' },
        { type: 'BAGGED' },
        { type: 'BAG_DISPATCHED', nextOfficeId: MUMBAI_NSH },
        { type: 'RECEIVED_AT_SORTING' },
        { type: 'DISPATCHED_FROM_SORTING', nextOfficeId: 'connaught-place-ho' },
        { type: 'ARRIVED_AT_DELIVERY_OFFICE' },
        { type: 'OUT_FOR_DELIVERY' },
        { type: 'DELIVERED' },
      ]),
    ).toEqual([
      'DELIVERY_ATTEMPTED',
      'RETURNED_TO_SENDER',
      'RETURNED_TO_SENDER',
      'RETURNED_TO_SENDER',
      'RETURNED_TO_SENDER',
      'RETURNED_TO_SENDER',
      'RETURNED_TO_SENDER',
      'RETURNED_TO_SENDER',
      'RETURN_DELIVERED',
    ]);
  });

  it('returns an item left unclaimed at the delivery office', () => {
    expect(applyEvent('AT_DELIVERY_OFFICE', { type: 'RETURNED_TO_SENDER', reason: 'UNCLAIMED' })).toBe('RETURNED_TO_SENDER');
  });

  it('delivers at the counter: window delivery, or against the intimation after an attempt', () => {
    expect(applyEvent('AT_DELIVERY_OFFICE', { type: 'DELIVERED' })).toBe('DELIVERED');
    expect(applyEvent('DELIVERY_ATTEMPTED', { type: 'DELIVERED' })).toBe('DELIVERED');
  });

  it('lets a local item booked at its own delivery office skip the bags', () => {
    expect(applyEvent('BOOKED', { type: 'ARRIVED_AT_DELIVERY_OFFICE' })).toBe('AT_DELIVERY_OFFICE');
  });
});

describe('when to return', () => {
  it('tries again for temporary reasons, up to the attempt limit', () => {
    expect(MAX_DELIVERY_ATTEMPTS).toBe(3);
    expect(nextStepAfterAttempt([])).toBe('REATTEMPT');
    expect(nextStepAfterAttempt(['ADDRESSEE_ABSENT'])).toBe('REATTEMPT');
    expect(nextStepAfterAttempt(['ADDRESSEE_ABSENT', 'PREMISES_LOCKED'])).toBe('REATTEMPT');
    expect(nextStepAfterAttempt(['ADDRESSEE_ABSENT', 'PREMISES_LOCKED', 'OTP_NOT_PROVIDED'])).toBe('RETURN_TO_SENDER');
  });

  it('returns at once when no second visit can help', () => {
    expect(nextStepAfterAttempt(['REFUSED'])).toBe('RETURN_TO_SENDER');
    expect(nextStepAfterAttempt(['NO_SUCH_ADDRESSEE'])).toBe('RETURN_TO_SENDER');
    expect(nextStepAfterAttempt(['ADDRESSEE_MOVED'])).toBe('RETURN_TO_SENDER');
  });
});

describe('impossible transitions', () => {
  it('accepts nothing once delivered, and says so', () => {
    for (const type of TRACKING_EVENTS) {
      const error = transitionErrorOf(() => applyEvent('DELIVERED', { type }));
      expect(error.reason).toBe('IMPOSSIBLE_TRANSITION');
    }
    expect(transitionErrorOf(() => applyEvent('DELIVERED', { type: 'OUT_FOR_DELIVERY' })).message).toBe(
      'An article that is DELIVERED cannot be OUT_FOR_DELIVERY; allowed next events: none',
    );
  });

  it('cannot deliver an item that was only booked, and lists what can happen', () => {
    expect(transitionErrorOf(() => applyEvent('BOOKED', { type: 'DELIVERED' })).message).toBe(
      'An article that is BOOKED cannot be DELIVERED; allowed next events: BAGGED, ARRIVED_AT_DELIVERY_OFFICE, CANCELLED',
    );
  });

  it.each([
    ['BAGGED', 'RECEIVED_AT_SORTING'],
    ['IN_TRANSIT', 'CANCELLED'],
    ['IN_TRANSIT', 'DELIVERED'],
    ['AWAITING_PAYMENT', 'BAGGED'],
    ['OUT_FOR_DELIVERY', 'OUT_FOR_DELIVERY'],
    ['RETURNED_TO_SENDER', 'RETURNED_TO_SENDER'],
    ['CANCELLED', 'PAYMENT_RECEIVED'],
    ['RETURN_DELIVERED', 'OUT_FOR_DELIVERY'],
  ] as const)('%s cannot take %s', (status, type) => {
    expect(transitionErrorOf(() => applyEvent(status, { type, reason: 'REFUSED', nextOfficeId: DELHI_NSH })).reason).toBe(
      'IMPOSSIBLE_TRANSITION',
    );
  });

  it('rejects unknown events and statuses', () => {
    expect(transitionErrorOf(() => applyEvent('BOOKED', { type: 'TELEPORTED' as never })).reason).toBe('UNKNOWN_EVENT');
    expect(transitionErrorOf(() => applyEvent('LOST' as never, { type: 'BAGGED' })).reason).toBe('UNKNOWN_STATUS');
  });
});

describe('event fields', () => {
  it('requires a reason for a failed attempt and for a return, listing the valid ones', () => {
    const error = transitionErrorOf(() => applyEvent('OUT_FOR_DELIVERY', { type: 'DELIVERY_ATTEMPTED' }));
    expect(error.reason).toBe('REASON_REQUIRED');
    expect(error.message).toContain('ADDRESSEE_ABSENT');
    expect(error.message).not.toContain('UNCLAIMED');
    expect(transitionErrorOf(() => applyEvent('AT_DELIVERY_OFFICE', { type: 'RETURNED_TO_SENDER', reason: null })).reason).toBe(
      'REASON_REQUIRED',
    );
  });

  it('rejects a reason that does not fit the event', () => {
    expect(transitionErrorOf(() => applyEvent('OUT_FOR_DELIVERY', { type: 'DELIVERY_ATTEMPTED', reason: 'UNCLAIMED' })).reason).toBe(
      'INVALID_REASON',
    );
    expect(transitionErrorOf(() => applyEvent('OUT_FOR_DELIVERY', { type: 'DELIVERY_ATTEMPTED', reason: 'DOG' as never })).reason).toBe(
      'INVALID_REASON',
    );
    expect(transitionErrorOf(() => applyEvent('BOOKED', { type: 'BAGGED', reason: 'REFUSED' })).reason).toBe('INVALID_REASON');
  });

  it('requires the next office on a dispatch, and only there', () => {
    expect(transitionErrorOf(() => applyEvent('BAGGED', { type: 'BAG_DISPATCHED' })).reason).toBe('NEXT_OFFICE_REQUIRED');
    expect(transitionErrorOf(() => applyEvent('BAGGED', { type: 'BAG_DISPATCHED', nextOfficeId: '  ' })).reason).toBe(
      'NEXT_OFFICE_REQUIRED',
    );
    expect(transitionErrorOf(() => applyEvent('IN_TRANSIT', { type: 'DISPATCHED_FROM_SORTING' })).reason).toBe('NEXT_OFFICE_REQUIRED');
    expect(transitionErrorOf(() => applyEvent('AT_DELIVERY_OFFICE', { type: 'OUT_FOR_DELIVERY', nextOfficeId: DELHI_NSH })).reason).toBe(
      'NEXT_OFFICE_NOT_ALLOWED',
    );
    expect(applyEvent('AT_DELIVERY_OFFICE', { type: 'OUT_FOR_DELIVERY', nextOfficeId: null })).toBe('OUT_FOR_DELIVERY');
  });

  it('checks the transition before the fields', () => {
    expect(transitionErrorOf(() => applyEvent('DELIVERED', { type: 'BAG_DISPATCHED' })).reason).toBe('IMPOSSIBLE_TRANSITION');
  });
});

describe('definitions', () => {
  it('uses the UPU codes for the events UPU defines', () => {
    const codes = Object.fromEntries(TRACKING_EVENTS.map((type) => [type, EVENT_DEFINITIONS[type].upuCode]));
    expect(codes).toEqual({
      BOOKED: 'EMA',
      PAYMENT_RECEIVED: null,
      BAGGED: null,
      BAG_DISPATCHED: null,
      RECEIVED_AT_SORTING: 'EDD',
      DISPATCHED_FROM_SORTING: 'EDE',
      ARRIVED_AT_DELIVERY_OFFICE: 'EMG',
      OUT_FOR_DELIVERY: 'EDG',
      DELIVERY_ATTEMPTED: 'EMH',
      DELIVERED: 'EMI',
      RETURNED_TO_SENDER: 'EMH',
      CANCELLED: null,
    });
  });

  it('words events the way a tracking page does', () => {
    expect(eventWording({ type: 'BOOKED' })).toBe('Item Booked');
    expect(eventWording({ type: 'OUT_FOR_DELIVERY' })).toBe('Out for Delivery');
    expect(eventWording({ type: 'DELIVERY_ATTEMPTED', reason: 'PREMISES_LOCKED' })).toBe('Delivery Attempted - Door Locked');
  });

  it('flags offices, next offices and reasons consistently with applyEvent', () => {
    const needsNextOffice = TRACKING_EVENTS.filter((t) => EVENT_DEFINITIONS[t].nextOfficeRequired);
    const needsReason = TRACKING_EVENTS.filter((t) => EVENT_DEFINITIONS[t].reasonRequired);
    const needsNoOffice = TRACKING_EVENTS.filter((t) => !EVENT_DEFINITIONS[t].officeRequired);
    expect(needsNextOffice).toEqual(['BAG_DISPATCHED', 'DISPATCHED_FROM_SORTING']);
    expect(needsReason).toEqual(['DELIVERY_ATTEMPTED', 'RETURNED_TO_SENDER']);
    expect(needsNoOffice).toEqual(['PAYMENT_RECEIVED', 'CANCELLED']);
  });

  it('has exactly three terminal statuses, and every status is public', () => {
    expect(ARTICLE_STATUSES.filter(isTerminal)).toEqual(['DELIVERED', 'RETURN_DELIVERED', 'CANCELLED']);
    for (const status of ARTICLE_STATUSES) expect(allowedEvents(status).length === 0).toBe(isTerminal(status));
    expect(PUBLIC_STATUSES).toEqual(ARTICLE_STATUSES);
    expect(ARTICLE_STATUSES.every(isPublicStatus)).toBe(true);
  });

  it('reaches every status and uses every event from the two starting statuses', () => {
    const seen = new Set<ArticleStatus>(['AWAITING_PAYMENT', 'BOOKED']);
    const usedEvents = new Set<string>();
    const queue: ArticleStatus[] = [...seen];
    while (queue.length > 0) {
      const status = queue.shift() as ArticleStatus;
      for (const type of allowedEvents(status)) {
        usedEvents.add(type);
        const next = applyEvent(status, validEvent(type));
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    expect([...seen].sort()).toEqual([...ARTICLE_STATUSES].sort());
    expect([...usedEvents].sort()).toEqual([...TRACKING_EVENTS].sort());
  });
});

/** The event with whatever fields its definition requires. */
function validEvent(type: (typeof TRACKING_EVENTS)[number]): EventTransition {
  const definition = EVENT_DEFINITIONS[type];
  return {
    type,
    ...(definition.reasonRequired ? { reason: type === 'RETURNED_TO_SENDER' ? 'UNCLAIMED' : 'ADDRESSEE_ABSENT' } : {}),
    ...(definition.nextOfficeRequired ? { nextOfficeId: DELHI_NSH } : {}),
  };
}

describe('properties', () => {
  const eventArbitrary: fc.Arbitrary<EventTransition> = fc.record(
    {
      type: fc.oneof(fc.constantFrom(...TRACKING_EVENTS), fc.constantFrom('LOST', 'DAMAGED', '') as fc.Arbitrary<never>),
      reason: fc.oneof(fc.constantFrom(...NON_DELIVERY_REASONS), fc.constant(null), fc.constant('NOT_A_REASON' as never)),
      nextOfficeId: fc.oneof(fc.constant(null), fc.constant(''), fc.constant(MUMBAI_NSH)),
    },
    { requiredKeys: ['type'] },
  );

  it('random event sequences never leave the status set, and terminal statuses stay terminal', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ARTICLE_STATUSES), fc.array(eventArbitrary, { maxLength: 40 }), (start, events) => {
        let status: ArticleStatus = start;
        for (const event of events) {
          const before = status;
          try {
            status = applyEvent(status, event);
            expect(allowedEvents(before)).toContain(event.type);
          } catch (error) {
            expect(error).toBeInstanceOf(TransitionError);
          }
          expect(ARTICLE_STATUSES).toContain(status);
          if (isTerminal(before)) expect(status).toBe(before);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('every allowed event succeeds when given the fields it needs', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ARTICLE_STATUSES), (status) => {
        for (const type of allowedEvents(status)) {
          expect(ARTICLE_STATUSES).toContain(applyEvent(status, validEvent(type)));
        }
      }),
    );
  });
});
