/**
 * The life of an article as a state machine: tracking events (with their UPU
 * codes and India Post wording) move it between statuses.
 *
 * `applyEvent` answers one question: can this event physically happen to an
 * article in this status? *When* to give up and return an item is a policy on
 * the history of attempts — see `nextStepAfterAttempt` — not a transition rule.
 *
 * UPU codes are the EMSEVT item events (EMA posting, EDD/EDE into/out of a
 * sorting centre, EMG arrival at delivery office, EDG out for delivery, EMH
 * unsuccessful delivery, EMI final delivery). UPU has no item event for being
 * put into a bag or for a bag leaving: receptacles are reported in their own EDI
 * messages (PREDES/RESDES), not EMSEVT. So BAGGED and BAG_DISPATCHED, like the
 * purely domestic PAYMENT_RECEIVED and CANCELLED, carry `upuCode: null` and are
 * India Post internal events; an exchange with another post sends only the rest.
 */

import { ReasonedError } from '@dakgraph/errors';

export const ARTICLE_STATUSES = [
  'AWAITING_PAYMENT',
  'BOOKED',
  'BAGGED',
  'IN_TRANSIT',
  'AT_DELIVERY_OFFICE',
  'OUT_FOR_DELIVERY',
  'DELIVERY_ATTEMPTED',
  'DELIVERED',
  'RETURNED_TO_SENDER',
  'RETURN_DELIVERED',
  'CANCELLED',
] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

export const TRACKING_EVENTS = [
  'BOOKED',
  'PAYMENT_RECEIVED',
  'BAGGED',
  'BAG_DISPATCHED',
  'RECEIVED_AT_SORTING',
  'DISPATCHED_FROM_SORTING',
  'ARRIVED_AT_DELIVERY_OFFICE',
  'OUT_FOR_DELIVERY',
  'DELIVERY_ATTEMPTED',
  'DELIVERED',
  'RETURNED_TO_SENDER',
  'CANCELLED',
] as const;
export type TrackingEventType = (typeof TRACKING_EVENTS)[number];

export const NON_DELIVERY_REASONS = [
  'ADDRESSEE_ABSENT',
  'PREMISES_LOCKED',
  'ADDRESS_INCOMPLETE',
  'ADDRESSEE_CANNOT_BE_LOCATED',
  'NO_SUCH_ADDRESSEE',
  'ADDRESSEE_MOVED',
  'ADDRESSEE_DECEASED',
  'REFUSED',
  'OTP_NOT_PROVIDED',
  'COD_AMOUNT_NOT_PAID',
  'UNCLAIMED',
  'SENDER_REQUEST',
] as const;
export type NonDeliveryReason = (typeof NON_DELIVERY_REASONS)[number];

export interface NonDeliveryReasonInfo {
  readonly reason: NonDeliveryReason;
  /** As a tracking page shows it, India Post style. */
  readonly wording: string;
  /** Whether another attempt is pointless, so the item goes back at once. */
  readonly returnsImmediately: boolean;
  /** Can explain a failed attempt (DELIVERY_ATTEMPTED). */
  readonly forAttempt: boolean;
  /** Can explain a return (RETURNED_TO_SENDER). */
  readonly forReturn: boolean;
}

const reasonInfo = (
  reason: NonDeliveryReason,
  wording: string,
  returnsImmediately: boolean,
  forAttempt = true,
  forReturn = true,
): NonDeliveryReasonInfo => Object.freeze({ reason, wording, returnsImmediately, forAttempt, forReturn });

export const NON_DELIVERY_REASON_DEFINITIONS: Readonly<Record<NonDeliveryReason, NonDeliveryReasonInfo>> = Object.freeze({
  ADDRESSEE_ABSENT: reasonInfo('ADDRESSEE_ABSENT', 'Addressee Absent', false),
  PREMISES_LOCKED: reasonInfo('PREMISES_LOCKED', 'Door Locked', false),
  // The postman may still reach the addressee by phone, so one incomplete address is not final.
  ADDRESS_INCOMPLETE: reasonInfo('ADDRESS_INCOMPLETE', 'Insufficient Address', false),
  ADDRESSEE_CANNOT_BE_LOCATED: reasonInfo('ADDRESSEE_CANNOT_BE_LOCATED', 'Addressee Cannot be Located', true),
  NO_SUCH_ADDRESSEE: reasonInfo('NO_SUCH_ADDRESSEE', 'No Such Person in the Address', true),
  ADDRESSEE_MOVED: reasonInfo('ADDRESSEE_MOVED', 'Addressee Left without Instructions', true),
  ADDRESSEE_DECEASED: reasonInfo('ADDRESSEE_DECEASED', 'Addressee Deceased', true),
  REFUSED: reasonInfo('REFUSED', 'Refused', true),
  // OTP-based delivery (reg. 136A, 2025): no OTP, no delivery — but the addressee may have it next time.
  OTP_NOT_PROVIDED: reasonInfo('OTP_NOT_PROVIDED', 'OTP Not Provided', false),
  COD_AMOUNT_NOT_PAID: reasonInfo('COD_AMOUNT_NOT_PAID', 'COD Amount Not Paid', false),
  // Only a return can be for these: the item sat at the office, or its sender recalled it.
  UNCLAIMED: reasonInfo('UNCLAIMED', 'Unclaimed', true, false, true),
  SENDER_REQUEST: reasonInfo('SENDER_REQUEST', "Returned at Sender's Request", true, false, true),
});

/**
 * Attempts before an item that keeps failing for a temporary reason goes back.
 * A documented policy value, not a published India Post figure; change it here.
 */
export const MAX_DELIVERY_ATTEMPTS = 3;
/**
 * Days an article is kept at its delivery office for the addressee to collect (after its arrival, or
 * after the last attempt left an intimation) before it goes back to its sender as UNCLAIMED: India
 * Post keeps undelivered articles in deposit for seven days. A deployment may choose (MAX_HOLD_DAYS).
 */
export const MAX_HOLD_DAYS = 7;

export interface EventDefinition {
  readonly type: TrackingEventType;
  /** UPU EMSEVT code, or null for India Post internal events (see the module comment). */
  readonly upuCode: string | null;
  /** As India Post's tracking page words it. */
  readonly wording: string;
  /** The event happens at a post office, which the record must name. */
  readonly officeRequired: boolean;
  /** A despatch names the office the item or bag is sent to. */
  readonly nextOfficeRequired: boolean;
  /** A NonDeliveryReason must be given. */
  readonly reasonRequired: boolean;
  readonly note?: string;
}

const definition = (
  type: TrackingEventType,
  upuCode: string | null,
  wording: string,
  flags: { office?: boolean; nextOffice?: boolean; reason?: boolean },
  note?: string,
): EventDefinition =>
  Object.freeze({
    type,
    upuCode,
    wording,
    officeRequired: flags.office ?? true,
    nextOfficeRequired: flags.nextOffice ?? false,
    reasonRequired: flags.reason ?? false,
    ...(note === undefined ? {} : { note }),
  });

export const EVENT_DEFINITIONS: Readonly<Record<TrackingEventType, EventDefinition>> = Object.freeze({
  BOOKED: definition('BOOKED', 'EMA', 'Item Booked', {}),
  PAYMENT_RECEIVED: definition(
    'PAYMENT_RECEIVED',
    null,
    'Payment Received',
    { office: false },
    'Online payment for an article booked online.',
  ),
  BAGGED: definition('BAGGED', null, 'Item Bagged', {}),
  BAG_DISPATCHED: definition('BAG_DISPATCHED', null, 'Bag Dispatched', { nextOffice: true }),
  RECEIVED_AT_SORTING: definition(
    'RECEIVED_AT_SORTING',
    'EDD',
    'Item Received',
    {},
    'At a sorting hub or mail office (bag opened, item scanned).',
  ),
  DISPATCHED_FROM_SORTING: definition('DISPATCHED_FROM_SORTING', 'EDE', 'Item Dispatched', { nextOffice: true }),
  ARRIVED_AT_DELIVERY_OFFICE: definition('ARRIVED_AT_DELIVERY_OFFICE', 'EMG', 'Item Received at Delivery Office', {}),
  OUT_FOR_DELIVERY: definition('OUT_FOR_DELIVERY', 'EDG', 'Out for Delivery', {}),
  DELIVERY_ATTEMPTED: definition('DELIVERY_ATTEMPTED', 'EMH', 'Delivery Attempted', { reason: true }),
  DELIVERED: definition('DELIVERED', 'EMI', 'Item Delivered', {}),
  RETURNED_TO_SENDER: definition(
    'RETURNED_TO_SENDER',
    'EMH',
    'Item Returned to Sender',
    { reason: true },
    'UPU has no separate return event: a return is EMH with the non-delivery measure "return to sender".',
  ),
  CANCELLED: definition('CANCELLED', null, 'Booking Cancelled', { office: false }, 'Only before the item leaves the booking office.'),
});

export interface StatusDefinition {
  readonly status: ArticleStatus;
  readonly wording: string;
  readonly terminal: boolean;
  /**
   * The public (anyone holding the article number) may see every status: a
   * status says where the item is, never who sent it or to whom. Personal data
   * is guarded on the article's other fields, not here.
   */
  readonly publiclyVisible: boolean;
}

const TRANSITIONS: Readonly<Record<ArticleStatus, Readonly<Partial<Record<TrackingEventType, ArticleStatus>>>>> = Object.freeze({
  AWAITING_PAYMENT: {
    PAYMENT_RECEIVED: 'BOOKED',
    // Paid at the counter when handed over: the clerk books it in one step.
    BOOKED: 'BOOKED',
    CANCELLED: 'CANCELLED',
  },
  BOOKED: {
    BAGGED: 'BAGGED',
    // A local item booked at its own delivery office goes straight to that office's delivery branch.
    ARRIVED_AT_DELIVERY_OFFICE: 'AT_DELIVERY_OFFICE',
    CANCELLED: 'CANCELLED',
  },
  BAGGED: {
    BAG_DISPATCHED: 'IN_TRANSIT',
  },
  IN_TRANSIT: {
    // Any number of hubs: received, then either re-bagged or dispatched item-wise, onwards.
    RECEIVED_AT_SORTING: 'IN_TRANSIT',
    DISPATCHED_FROM_SORTING: 'IN_TRANSIT',
    BAGGED: 'BAGGED',
    ARRIVED_AT_DELIVERY_OFFICE: 'AT_DELIVERY_OFFICE',
  },
  AT_DELIVERY_OFFICE: {
    OUT_FOR_DELIVERY: 'OUT_FOR_DELIVERY',
    // Window delivery: post box holders and addressees who call at the office.
    DELIVERED: 'DELIVERED',
    // Missent, or redirected to another delivery office.
    BAGGED: 'BAGGED',
    // Unclaimed after the retention period, refused at the counter, or recalled by the sender.
    RETURNED_TO_SENDER: 'RETURNED_TO_SENDER',
  },
  OUT_FOR_DELIVERY: {
    DELIVERED: 'DELIVERED',
    DELIVERY_ATTEMPTED: 'DELIVERY_ATTEMPTED',
  },
  DELIVERY_ATTEMPTED: {
    OUT_FOR_DELIVERY: 'OUT_FOR_DELIVERY',
    // Collected at the counter against the intimation left at the door.
    DELIVERED: 'DELIVERED',
    // Redirected to the addressee's new address.
    BAGGED: 'BAGGED',
    RETURNED_TO_SENDER: 'RETURNED_TO_SENDER',
  },
  DELIVERED: {},
  // The return leg: the item travels back through bags, hubs and a delivery office
  // like any other, but stays RETURNED_TO_SENDER until the sender has it (the events
  // themselves show where it is). A failed attempt at the sender's address is
  // recorded too; what happens to an item nobody takes back is outside this model.
  RETURNED_TO_SENDER: {
    BAGGED: 'RETURNED_TO_SENDER',
    BAG_DISPATCHED: 'RETURNED_TO_SENDER',
    RECEIVED_AT_SORTING: 'RETURNED_TO_SENDER',
    DISPATCHED_FROM_SORTING: 'RETURNED_TO_SENDER',
    ARRIVED_AT_DELIVERY_OFFICE: 'RETURNED_TO_SENDER',
    OUT_FOR_DELIVERY: 'RETURNED_TO_SENDER',
    DELIVERY_ATTEMPTED: 'RETURNED_TO_SENDER',
    DELIVERED: 'RETURN_DELIVERED',
  },
  RETURN_DELIVERED: {},
  CANCELLED: {},
});

export const STATUS_DEFINITIONS: Readonly<Record<ArticleStatus, StatusDefinition>> = Object.freeze(
  Object.fromEntries(
    (
      [
        ['AWAITING_PAYMENT', 'Awaiting Payment'],
        ['BOOKED', 'Item Booked'],
        ['BAGGED', 'Item Bagged'],
        ['IN_TRANSIT', 'In Transit'],
        ['AT_DELIVERY_OFFICE', 'Item Received at Delivery Office'],
        ['OUT_FOR_DELIVERY', 'Out for Delivery'],
        ['DELIVERY_ATTEMPTED', 'Delivery Attempted'],
        ['DELIVERED', 'Item Delivered'],
        ['RETURNED_TO_SENDER', 'Item Returned to Sender'],
        ['RETURN_DELIVERED', 'Item Delivered to Sender'],
        ['CANCELLED', 'Booking Cancelled'],
      ] as const
    ).map(([status, wording]) => [
      status,
      Object.freeze({ status, wording, terminal: Object.keys(TRANSITIONS[status]).length === 0, publiclyVisible: true }),
    ]),
  ) as Record<ArticleStatus, StatusDefinition>,
);

/** Every status, since all are public (see StatusDefinition.publiclyVisible). */
export const PUBLIC_STATUSES: readonly ArticleStatus[] = Object.freeze(
  ARTICLE_STATUSES.filter((s) => STATUS_DEFINITIONS[s].publiclyVisible),
);

export type TransitionErrorReason =
  | 'IMPOSSIBLE_TRANSITION'
  | 'UNKNOWN_EVENT'
  | 'UNKNOWN_STATUS'
  | 'REASON_REQUIRED'
  | 'INVALID_REASON'
  | 'NEXT_OFFICE_REQUIRED'
  | 'NEXT_OFFICE_NOT_ALLOWED';

/** Thrown when an event cannot be recorded; `message` lists what could be. */
export class TransitionError extends ReasonedError<TransitionErrorReason> {
  constructor(reason: TransitionErrorReason, message: string) {
    super(reason, message);
  }
}

/** What the state machine needs of an event to move an article. */
export interface EventTransition {
  readonly type: TrackingEventType;
  readonly reason?: NonDeliveryReason | null;
  readonly nextOfficeId?: string | null;
}

/**
 * How an article starts: AWAITING_PAYMENT when booked online and not yet paid,
 * BOOKED when accepted and paid at a counter (its first event is BOOKED, EMA).
 */
export function statusOnCreation(input: { paid: boolean }): 'AWAITING_PAYMENT' | 'BOOKED' {
  return input.paid ? 'BOOKED' : 'AWAITING_PAYMENT';
}

export function isTerminal(status: ArticleStatus): boolean {
  return STATUS_DEFINITIONS[knownStatus(status)].terminal;
}

export function isPublicStatus(status: ArticleStatus): boolean {
  return STATUS_DEFINITIONS[knownStatus(status)].publiclyVisible;
}

/** Events an article in this status can take next, in TRACKING_EVENTS order. Empty for terminal statuses. */
export function allowedEvents(status: ArticleStatus): readonly TrackingEventType[] {
  const next = TRANSITIONS[knownStatus(status)];
  return TRACKING_EVENTS.filter((type) => next[type] !== undefined);
}

/**
 * The status after `event`, or a TransitionError saying why it cannot happen.
 * The transition is checked first, then the event's own fields.
 */
export function applyEvent(current: ArticleStatus, event: EventTransition): ArticleStatus {
  const status = knownStatus(current);
  const type: unknown = event?.type;
  if (!(TRACKING_EVENTS as readonly unknown[]).includes(type)) {
    throw new TransitionError(
      'UNKNOWN_EVENT',
      `unknown tracking event ${JSON.stringify(type)}; known events: ${TRACKING_EVENTS.join(', ')}`,
    );
  }
  const eventType = type as TrackingEventType;
  const next = TRANSITIONS[status][eventType];
  if (next === undefined) {
    const allowed = allowedEvents(status);
    throw new TransitionError(
      'IMPOSSIBLE_TRANSITION',
      `An article that is ${status} cannot be ${eventType}; allowed next events: ${allowed.length === 0 ? 'none' : allowed.join(', ')}`,
    );
  }
  checkReason(eventType, event.reason);
  checkNextOffice(eventType, event.nextOfficeId);
  return next;
}

/**
 * After a failed attempt, whether to go out again or send the item back: back at
 * once for a reason no second visit can cure (refusal, no such person, …), or
 * when `maxAttempts` (a deployment may choose; MAX_DELIVERY_ATTEMPTS by default) attempts have failed.
 */
export function nextStepAfterAttempt(
  attemptReasons: readonly NonDeliveryReason[],
  maxAttempts: number = MAX_DELIVERY_ATTEMPTS,
): 'REATTEMPT' | 'RETURN_TO_SENDER' {
  const last = attemptReasons[attemptReasons.length - 1];
  if (last === undefined) return 'REATTEMPT';
  const info = NON_DELIVERY_REASON_DEFINITIONS[last];
  if (info === undefined) throw new TransitionError('INVALID_REASON', `unknown non-delivery reason ${JSON.stringify(last)}`);
  return info.returnsImmediately || attemptReasons.length >= maxAttempts ? 'RETURN_TO_SENDER' : 'REATTEMPT';
}

/**
 * Where an article stands for delivery: which leg it is on and whether it waits at an office for a
 * postman, is with one, or neither (in transit, delivered, cancelled). The status alone cannot say it
 * for a returned article: it stays RETURNED_TO_SENDER all the way back (so the public sees it is coming
 * back), and only its last event tells an article bagged for the journey from one waiting at the
 * sender's delivery office or out with the postman there. A DELIVERY_ATTEMPTED article is both waiting
 * and with the postman: he may try again the same day, or it goes out again another day.
 */
export interface DeliveryStage {
  leg: 'OUTWARD' | 'RETURN';
  /** At an office, ready to go out for delivery (assignForDelivery). */
  awaitingDelivery: boolean;
  /** Out with the postman it was assigned to (deliver, attempt, reissue its OTP). */
  withPostman: boolean;
}

export function deliveryStage(status: ArticleStatus, lastEventType: TrackingEventType | null): DeliveryStage {
  if (status === 'RETURNED_TO_SENDER') {
    return {
      leg: 'RETURN',
      // Back at the office that failed to deliver it (a sender served by that office), or arrived at the sender's.
      awaitingDelivery: lastEventType === 'RETURNED_TO_SENDER' || lastEventType === 'ARRIVED_AT_DELIVERY_OFFICE' || lastEventType === 'DELIVERY_ATTEMPTED',
      withPostman: lastEventType === 'OUT_FOR_DELIVERY' || lastEventType === 'DELIVERY_ATTEMPTED',
    };
  }
  return {
    leg: 'OUTWARD',
    awaitingDelivery: status === 'AT_DELIVERY_OFFICE' || status === 'DELIVERY_ATTEMPTED',
    withPostman: status === 'OUT_FOR_DELIVERY' || status === 'DELIVERY_ATTEMPTED',
  };
}

/** "Delivery Attempted - Door Locked": the line a tracking page shows for an event. */
export function eventWording(event: { type: TrackingEventType; reason?: NonDeliveryReason | null }): string {
  const base = EVENT_DEFINITIONS[event.type]?.wording;
  if (base === undefined) throw new TransitionError('UNKNOWN_EVENT', `unknown tracking event ${JSON.stringify(event.type)}`);
  const reason = event.reason == null ? undefined : NON_DELIVERY_REASON_DEFINITIONS[event.reason];
  return reason === undefined ? base : `${base} - ${reason.wording}`;
}

// ---------------------------------------------------------------------------

function knownStatus(status: ArticleStatus): ArticleStatus {
  if (!(ARTICLE_STATUSES as readonly unknown[]).includes(status)) {
    throw new TransitionError(
      'UNKNOWN_STATUS',
      `unknown article status ${JSON.stringify(status)}; known statuses: ${ARTICLE_STATUSES.join(', ')}`,
    );
  }
  return status;
}

function checkReason(type: TrackingEventType, reason: unknown): void {
  const definition = EVENT_DEFINITIONS[type];
  const valid = NON_DELIVERY_REASONS.filter((r) =>
    type === 'DELIVERY_ATTEMPTED' ? NON_DELIVERY_REASON_DEFINITIONS[r].forAttempt : NON_DELIVERY_REASON_DEFINITIONS[r].forReturn,
  );
  if (reason === undefined || reason === null) {
    if (definition.reasonRequired) {
      throw new TransitionError('REASON_REQUIRED', `${type} needs a reason, one of: ${valid.join(', ')}`);
    }
    return;
  }
  if (!definition.reasonRequired) {
    throw new TransitionError('INVALID_REASON', `${type} does not take a reason; got ${JSON.stringify(reason)}`);
  }
  if (!(valid as readonly unknown[]).includes(reason)) {
    throw new TransitionError('INVALID_REASON', `${JSON.stringify(reason)} is not a reason for ${type}; use one of: ${valid.join(', ')}`);
  }
}

function checkNextOffice(type: TrackingEventType, nextOfficeId: unknown): void {
  const given = nextOfficeId !== undefined && nextOfficeId !== null;
  if (EVENT_DEFINITIONS[type].nextOfficeRequired) {
    if (!given || typeof nextOfficeId !== 'string' || nextOfficeId.trim() === '') {
      throw new TransitionError('NEXT_OFFICE_REQUIRED', `${type} needs nextOfficeId: the office the item or bag is dispatched to`);
    }
  } else if (given) {
    const dispatches = TRACKING_EVENTS.filter((t) => EVENT_DEFINITIONS[t].nextOfficeRequired);
    throw new TransitionError('NEXT_OFFICE_NOT_ALLOWED', `${type} does not take a nextOfficeId; only ${dispatches.join(' and ')} do`);
  }
}
