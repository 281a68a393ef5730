/**
 * What each domain event adds to the daily figures: a pure function of the event, so the consumers, the
 * tests and the reasoning share one rule. The rebuild (services/rebuild.ts) states the same rules in SQL
 * over the source tables; test/analytics.int.test.ts holds the two to each other.
 *
 *  - booked: an article became BOOKED (booked and paid at the counter, billed to an account, or paid
 *    later): +1 at its booking office on that day, by product, with its charge (excluding GST) as revenue
 *    and its GST. Revenue is counted when the article is booked, not when money moves.
 *  - delivered: a DELIVERED event that delivered it to its addressee (not a return delivered to the
 *    sender): +1 at the delivering office; on time when that IST day is on or before the expected date.
 *  - failed attempt: every DELIVERY_ATTEMPTED event, by reason, at the office whose postman made it.
 *  - returned: a RETURNED_TO_SENDER event (the article turned back), at the office that turned it.
 *  - COD collected: payments' cod.collected, at the delivery office that collected it.
 *  - COD remitted: payments' cod.remitted, the collected amounts by the offices that collected them, on
 *    the day the remittance was paid.
 * An event of an office the directory does not know adds nothing (nor does the rebuild count it).
 */
import {
  ARTICLE_EVENT_SOURCE,
  articleEventPayloadV1,
  codCollectedPayloadV1,
  codRemittedPayloadV1,
  PAYMENT_EVENT_TYPES,
} from '@dakgraph/internal-api';
import type { DomainEvent } from '@dakgraph/events';
import { istDayOf } from './days';

export const FIGURES = [
  'booked',
  'delivered',
  'deliveredOnTime',
  'failedAttempts',
  'returned',
  'revenuePaise',
  'gstPaise',
  'codCollectedPaise',
  'codRemittedPaise',
] as const;

export type Figure = (typeof FIGURES)[number];
export type Figures = Record<Figure, number>;

/** The kinds a figure is broken down by: BOOKED by product, FAILED_ATTEMPT by non-delivery reason. */
export type Measure = 'BOOKED' | 'FAILED_ATTEMPT';

/** What one event adds at one office on one IST day. */
export interface OfficeDayDelta {
  officeId: string;
  day: string;
  figures: Partial<Figures>;
  breakdown?: { measure: Measure; key: string; count: number };
}

export const zeroFigures = (): Figures => Object.fromEntries(FIGURES.map((figure) => [figure, 0])) as Figures;

/** A failed attempt recorded without a reason (none is required for every event kind) is counted under this. */
export const UNSPECIFIED_REASON = 'UNSPECIFIED';

/** The article event types that can change a figure. */
export const COUNTED_ARTICLE_EVENT_TYPES = ['article.booked', 'article.delivered', 'article.delivery_attempted', 'article.returned'] as const;
/** The payment event types that can change a figure. */
export const COUNTED_PAYMENT_EVENT_TYPES = [PAYMENT_EVENT_TYPES.COD_COLLECTED, PAYMENT_EVENT_TYPES.COD_REMITTED] as const;

/** What an article event adds; [] for an event that counts for nothing (or one from before booking facts travelled). */
export function deltasOfArticleEvent(event: DomainEvent): OfficeDayDelta[] {
  if (event.source !== ARTICLE_EVENT_SOURCE) return [];
  const payload = articleEventPayloadV1.parse(event.payload);
  const tracking = payload.event;
  if (!tracking) return [];
  const day = istDayOf(tracking.occurredAt);
  const booking = payload.booking;
  const office = tracking.office?.id ?? null;
  if (tracking.type === 'BOOKED' || tracking.type === 'PAYMENT_RECEIVED') {
    if (tracking.statusAfter !== 'BOOKED' || !booking) return [];
    return [
      {
        officeId: booking.officeId,
        day,
        figures: { booked: 1, revenuePaise: booking.taxablePaise, gstPaise: booking.gstPaise },
        breakdown: { measure: 'BOOKED', key: booking.product, count: 1 },
      },
    ];
  }
  if (!office) return [];
  if (tracking.type === 'DELIVERED' && tracking.statusAfter === 'DELIVERED') {
    // Without the expected date (an event from before it travelled) the delivery counts, but not as on time.
    const onTime = booking ? day <= booking.expectedDeliveryDate : false;
    return [{ officeId: office, day, figures: { delivered: 1, deliveredOnTime: onTime ? 1 : 0 } }];
  }
  if (tracking.type === 'DELIVERY_ATTEMPTED') {
    return [
      {
        officeId: office,
        day,
        figures: { failedAttempts: 1 },
        breakdown: { measure: 'FAILED_ATTEMPT', key: tracking.reason ?? UNSPECIFIED_REASON, count: 1 },
      },
    ];
  }
  if (tracking.type === 'RETURNED_TO_SENDER') return [{ officeId: office, day, figures: { returned: 1 } }];
  return [];
}

/** What a payment event adds (COD collected and remitted); [] for the others. */
export function deltasOfPaymentEvent(event: DomainEvent): OfficeDayDelta[] {
  if (event.type === PAYMENT_EVENT_TYPES.COD_COLLECTED) {
    const collected = codCollectedPayloadV1.parse(event.payload);
    if (!collected.officeId) return [];
    return [{ officeId: collected.officeId, day: istDayOf(collected.collectedAt), figures: { codCollectedPaise: collected.amountPaise } }];
  }
  if (event.type === PAYMENT_EVENT_TYPES.COD_REMITTED) {
    const remitted = codRemittedPayloadV1.parse(event.payload);
    const day = istDayOf(event.occurredAt);
    return (remitted.byOffice ?? []).map((part) => ({ officeId: part.officeId, day, figures: { codRemittedPaise: part.amountPaise } }));
  }
  return [];
}

/** deliveredOnTime / delivered; null when nothing was delivered. */
export const onTimeShare = (figures: Pick<Figures, 'delivered' | 'deliveredOnTime'>): number | null =>
  figures.delivered > 0 ? figures.deliveredOnTime / figures.delivered : null;
