import { newEventId, outboxInsertStatement, type DomainEvent } from '@dakgraph/events';
import { EVENT_DEFINITIONS, eventWording, type ArticleStatus } from '../domain';
import type { NewTrackingEvent } from './events';

/** The articles subgraph's outbox (prisma/migrations/articles/0005_outbox.sql). */
export const OUTBOX_TABLE = 'articles.outbox_event';
export const ARTICLE_EVENT_SOURCE = 'articles';
/** Version of ArticleEventPayload; a change that would break a consumer gets a new version. */
export const ARTICLE_EVENT_VERSION = 1;

/**
 * The event type of each status an article can reach: what partners subscribe to and what other
 * services react to. An article returned to its sender is "article.returned", the rest follow the status.
 */
export const ARTICLE_EVENT_TYPES: Readonly<Record<ArticleStatus, string>> = Object.freeze({
  AWAITING_PAYMENT: 'article.awaiting_payment',
  BOOKED: 'article.booked',
  BAGGED: 'article.bagged',
  IN_TRANSIT: 'article.in_transit',
  AT_DELIVERY_OFFICE: 'article.at_delivery_office',
  OUT_FOR_DELIVERY: 'article.out_for_delivery',
  DELIVERY_ATTEMPTED: 'article.delivery_attempted',
  DELIVERED: 'article.delivered',
  RETURNED_TO_SENDER: 'article.returned',
  RETURN_DELIVERED: 'article.return_delivered',
  CANCELLED: 'article.cancelled',
});

/** The tracking event as the graph shows it (TrackingEvent): public facts, no personal data. */
export interface ArticleEventTracking {
  sequence: number;
  type: string;
  upuCode: string | null;
  description: string;
  occurredAt: string;
  office: { id: string } | null;
  nextOffice: { id: string } | null;
  reason: string | null;
  statusAfter: string;
}

/**
 * What every article event carries (version 1). `partnerId` routes it to the partner that booked the
 * article (webhooks); it is never shown to anyone else.
 */
export interface ArticleEventPayload {
  articleNumber: string;
  status: ArticleStatus;
  sequence: number;
  partnerId: string | null;
  event: ArticleEventTracking | null;
}

export type ArticleEvent = DomainEvent<ArticleEventPayload>;

/** The article an event is about, as its writer knows it. */
export interface EventArticle {
  articleNumber: string;
  partnerId: string | null;
}

/**
 * The event a recorded tracking event announces: its type follows the status the article reached. Ids
 * are made when the event is recorded, not from when it happened: a postman's offline batch synced a day
 * late must still come after what was already published about the article (publishing is in id order).
 */
export function articleEventOf(article: EventArticle, tracking: NewTrackingEvent): ArticleEvent {
  return {
    id: newEventId(),
    type: ARTICLE_EVENT_TYPES[tracking.statusAfter],
    source: ARTICLE_EVENT_SOURCE,
    subject: article.articleNumber,
    sequence: tracking.sequence,
    occurredAt: tracking.occurredAt.toISOString(),
    version: ARTICLE_EVENT_VERSION,
    payload: {
      articleNumber: article.articleNumber,
      status: tracking.statusAfter,
      sequence: tracking.sequence,
      partnerId: article.partnerId,
      event: {
        sequence: tracking.sequence,
        type: tracking.type,
        upuCode: EVENT_DEFINITIONS[tracking.type].upuCode,
        description: eventWording({ type: tracking.type, reason: tracking.reason }),
        occurredAt: tracking.occurredAt.toISOString(),
        office: tracking.officeId ? { id: tracking.officeId } : null,
        nextOffice: tracking.nextOfficeId ? { id: tracking.nextOfficeId } : null,
        reason: tracking.reason,
        statusAfter: tracking.statusAfter,
      },
    },
  };
}

/** An article booked to be paid later has no tracking event yet; its event says it awaits payment. */
export function awaitingPaymentEventOf(article: EventArticle, bookedAt: Date): ArticleEvent {
  return {
    id: newEventId(),
    type: ARTICLE_EVENT_TYPES.AWAITING_PAYMENT,
    source: ARTICLE_EVENT_SOURCE,
    subject: article.articleNumber,
    sequence: 0,
    occurredAt: bookedAt.toISOString(),
    version: ARTICLE_EVENT_VERSION,
    payload: { articleNumber: article.articleNumber, status: 'AWAITING_PAYMENT', sequence: 0, partnerId: article.partnerId, event: null },
  };
}

/** The outbox INSERT of `events`, numbered from `firstParameter`, to run as one more CTE of a write's statement. */
export const outboxInsert = (events: readonly ArticleEvent[], firstParameter: number) => outboxInsertStatement(OUTBOX_TABLE, events, firstParameter);
