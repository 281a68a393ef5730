import { consumeIdempotently, type ConsumerHandle, type DomainEvent, type EventTransport } from '@dakgraph/events';
import type { RawSql, TransactionalSql } from '@dakgraph/graphql-kit';
import {
  COUNTED_ARTICLE_EVENT_TYPES,
  COUNTED_PAYMENT_EVENT_TYPES,
  deltasOfArticleEvent,
  deltasOfPaymentEvent,
} from '../domain';
import { addToRollups } from './rollups';

/** The durable consumers' names (JetStream durables, and the processed-event records' consumer). */
export const ARTICLES_CONSUMER = 'analytics-articles';
export const PAYMENTS_CONSUMER = 'analytics-payments';
export const PROCESSED_TABLE = 'analytics.processed_event';

/** One event's effect on the rollups, in the transaction that records it as handled. */
export const handleArticleEvent = (tx: RawSql, event: DomainEvent) => addToRollups(tx, deltasOfArticleEvent(event));
export const handlePaymentEvent = (tx: RawSql, event: DomainEvent) => addToRollups(tx, deltasOfPaymentEvent(event));

/**
 * Starts both consumers. Each event is handled exactly once (idempotentConsumer): a redelivery after a
 * crash, or JetStream's at-least-once, changes no figure twice. A nation's day is one row every event
 * updates, so the transaction wait is generous: concurrent consumers queue on it rather than fail.
 */
export async function consumeOperationsEvents<Tx extends RawSql>(transport: EventTransport, db: TransactionalSql<Tx>): Promise<ConsumerHandle[]> {
  const common = { db, processedTable: PROCESSED_TABLE, transaction: { maxWait: 30_000, timeout: 30_000 } };
  return [
    await consumeIdempotently<Tx>(transport, { ...common, consumer: ARTICLES_CONSUMER, types: COUNTED_ARTICLE_EVENT_TYPES, handle: handleArticleEvent }),
    await consumeIdempotently<Tx>(transport, { ...common, consumer: PAYMENTS_CONSUMER, types: COUNTED_PAYMENT_EVENT_TYPES, handle: handlePaymentEvent }),
  ];
}
