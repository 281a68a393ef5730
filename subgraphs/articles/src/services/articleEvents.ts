import { newEventId, outboxInsertStatement, type DomainEvent } from '@dakgraph/events';
import {
  ARTICLE_EVENT_SOURCE,
  ARTICLE_EVENT_TYPE_BY_STATUS,
  ARTICLE_EVENT_VERSION,
  type ArticleBookingFactsV1,
  type ArticleEventPayloadV1,
} from '@dakgraph/internal-api';
import { EVENT_DEFINITIONS, eventWording, type ArticleStatus } from '../domain';
import type { TrackingEventRow } from '../db';

/** The articles subgraph's outbox (prisma/migrations/articles/0005_outbox.sql). */
export const OUTBOX_TABLE = 'articles.outbox_event';
/** The payload every article event carries: the shared contract's current version. */
export type ArticleEventPayload = ArticleEventPayloadV1;

export type ArticleEvent = DomainEvent<ArticleEventPayload>;

/** The article an event is about, as its writer knows it. */
export interface EventArticle {
  articleNumber: string;
  partnerId: string | null;
  /** Cash on delivery: the amount, the fee charged for it, and (once delivered) how it was collected. */
  codAmountPaise?: number | null;
  codFeePaise?: number;
  codMode?: 'CASH' | 'UPI' | null;
  /** What it was booked as (product, office, due date, charge): every event carries it, for analytics. */
  booking?: ArticleBookingFactsV1;
}

/** The booking facts of a stored or drafted article, as its events carry them. */
export function bookingFactsOf(article: {
  product: string;
  bookingOfficeId: string;
  expectedDeliveryDate: Date;
  charges: unknown;
}): ArticleBookingFactsV1 {
  const charges = article.charges as { taxablePaise?: number; gstPaise?: number } | null;
  return {
    product: article.product,
    officeId: article.bookingOfficeId,
    expectedDeliveryDate: article.expectedDeliveryDate.toISOString().slice(0, 10),
    taxablePaise: charges?.taxablePaise ?? 0,
    gstPaise: charges?.gstPaise ?? 0,
  };
}

/** What a COD article's delivery collected, for the payments ledger; null for any other event. */
function codOf(article: EventArticle, statusAfter: string): ArticleEventPayload['cod'] {
  if (statusAfter !== 'DELIVERED' || !article.codAmountPaise || !article.codMode) return null;
  return { amountPaise: article.codAmountPaise, mode: article.codMode, feePaise: article.codFeePaise ?? 0 };
}

/**
 * The event a recorded tracking event announces: its type follows the status the article reached. Ids
 * are made when the event is recorded, not from when it happened: a postman's offline batch synced a day
 * late must still come after what was already published about the article (publishing is in id order).
 */
export function articleEventOf(article: EventArticle, tracking: Omit<TrackingEventRow, 'recordedAt'>): ArticleEvent {
  return {
    id: newEventId(),
    type: ARTICLE_EVENT_TYPE_BY_STATUS[tracking.statusAfter],
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
      cod: codOf(article, tracking.statusAfter),
      ...(article.booking ? { booking: article.booking } : {}),
    },
  };
}

/** An article booked to be paid later has no tracking event yet; its event says it awaits payment. */
export function awaitingPaymentEventOf(article: EventArticle & { totalPaise: number; bookingOfficeId: string }, bookedAt: Date): ArticleEvent {
  return {
    id: newEventId(),
    type: ARTICLE_EVENT_TYPE_BY_STATUS.AWAITING_PAYMENT,
    source: ARTICLE_EVENT_SOURCE,
    subject: article.articleNumber,
    sequence: 0,
    occurredAt: bookedAt.toISOString(),
    version: ARTICLE_EVENT_VERSION,
    payload: {
      articleNumber: article.articleNumber,
      status: 'AWAITING_PAYMENT',
      sequence: 0,
      partnerId: article.partnerId,
      event: null,
      // What is to be paid: payments' reconciliation shows it for an article paid without a captured payment.
      chargePaise: article.totalPaise,
      bookingOfficeId: article.bookingOfficeId,
      ...(article.booking ? { booking: article.booking } : {}),
    },
  };
}

/** The outbox INSERT of `events`, numbered from `firstParameter`, to run as one more CTE of a write's statement. */
export const outboxInsert = (events: readonly ArticleEvent[], firstParameter: number) => outboxInsertStatement(OUTBOX_TABLE, events, firstParameter);

/** Compiles only while the domain's statuses and the event contract's are the same set. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const STATUSES_AGREE: Same<ArticleStatus, keyof typeof ARTICLE_EVENT_TYPE_BY_STATUS> = true;
void STATUSES_AGREE;
