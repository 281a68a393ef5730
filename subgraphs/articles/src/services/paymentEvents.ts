import { consumeIdempotently, type ConsumerHandle, type DomainEvent, type EventTransport } from '@dakgraph/events';
import { PAYMENT_EVENT_SOURCE, PAYMENT_EVENT_TYPES, PAYMENT_EVENT_VERSION, paymentEventPayloadV1 } from '@dakgraph/internal-api';
import type { ArticlesPrisma, ArticlesTx } from '../db';
import type { ItemProblem } from './problems';
import { applyEvents, lockArticles, writeEvents } from './tracking';

/**
 * Articles' consumer of the payments subgraph's events: a captured booking payment moves its article
 * from AWAITING_PAYMENT to BOOKED (a PAYMENT_RECEIVED tracking event); an expired one, with no payment
 * captured by the end of its grace, cancels it (CANCELLED; its S10 number comes from a sequence, so it is
 * never given to another article). Each event takes effect once (articles.processed_event), in the same
 * transaction as the tracking event and its outbox row, so a crash at any point loses no confirmation and
 * books nothing twice. An article that has moved on (booked at the counter, cancelled, or already paid)
 * is left as it is: the payment then shows in payments' reconciliation.
 */

/** The durable consumer's name (JetStream, or in-process in the embedded mode). */
export const PAYMENT_CONSUMER = 'articles-payments';
export const PAYMENT_CONSUMER_EVENT_TYPES: readonly string[] = [PAYMENT_EVENT_TYPES.CAPTURED, PAYMENT_EVENT_TYPES.EXPIRED];

/** Who recorded the tracking events this consumer writes (the recorded_by column). */
export const PAYMENTS_PRINCIPAL = 'service:payments';

export async function handlePaymentEvent(tx: ArticlesTx, event: DomainEvent): Promise<void> {
  if (event.source !== PAYMENT_EVENT_SOURCE || !PAYMENT_CONSUMER_EVENT_TYPES.includes(event.type)) return;
  if (event.version !== PAYMENT_EVENT_VERSION) {
    throw new Error(`payment event ${event.id} has payload version ${event.version}; this consumer reads version ${PAYMENT_EVENT_VERSION}`);
  }
  const parsed = paymentEventPayloadV1.safeParse(event.payload);
  if (!parsed.success) throw new Error(`payment event ${event.id} has a malformed payload (${parsed.error.issues[0]?.path.join('.') || 'payload'})`);
  const payment = parsed.data;
  if (payment.purpose !== 'BOOKING') return;
  const locked = await lockArticles(tx, [payment.articleNumber]);
  const article = locked.get(payment.articleNumber);
  if (!article || article.status !== 'AWAITING_PAYMENT') return;
  const type = event.type === PAYMENT_EVENT_TYPES.CAPTURED ? 'PAYMENT_RECEIVED' : 'CANCELLED';
  // Never before what the article already shows: a late event still comes after it in the timeline.
  const previous = (article.lastEventAt ?? article.bookedAt).getTime();
  const occurredAt = new Date(Math.max(Date.parse(event.occurredAt), previous));
  const problems: ItemProblem[] = [];
  const rows = applyEvents(
    locked,
    [{ index: 0, articleNumber: article.articleNumber, type, officeId: article.bookingOfficeId, nextOfficeId: null, reason: null, occurredAt }],
    PAYMENTS_PRINCIPAL,
    problems,
    { deliveryProved: false },
  );
  if (problems.length) throw new Error(`payment event ${event.id} could not move article ${article.articleNumber}: ${problems[0]!.message}`);
  await writeEvents(tx, locked, rows);
}

/** Starts the consumer; `recorded` is called after each event that wrote (it pokes the outbox relay). */
export function consumePaymentEvents(transport: EventTransport, prisma: ArticlesPrisma, recorded: () => void): Promise<ConsumerHandle> {
  return consumeIdempotently<ArticlesTx>(transport, {
    db: prisma,
    processedTable: 'articles.processed_event',
    consumer: PAYMENT_CONSUMER,
    types: PAYMENT_CONSUMER_EVENT_TYPES,
    handle: handlePaymentEvent,
    afterEach: recorded,
    transaction: { maxWait: 30_000, timeout: 30_000 },
  });
}
