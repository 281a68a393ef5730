import type { RawSql, TransactionalSql } from '@dakgraph/graphql-kit';
import type { DomainEvent } from './event';
import { checkTable } from './sql';
import type { ConsumerHandle, EventHandler, EventTransport } from './transport';

export interface IdempotentConsumerOptions<Tx extends RawSql> {
  db: TransactionalSql<Tx>;
  /** The consumer's record of handled events, e.g. 'customers.processed_event' (processedEventsTableSql). */
  processedTable: string;
  /** The consumer's name in that table: several consumers may share it, each sees every event once. */
  consumer: string;
  /** The effect, written through `tx`, the transaction that also records the event as handled. */
  handle: (tx: Tx, event: DomainEvent) => Promise<void>;
  /** Passed to $transaction (Prisma's interactive transactions time out after 5 s by default). */
  transaction?: { maxWait?: number; timeout?: number };
}

/**
 * Wraps `handle` so that each event takes effect exactly once however often it is delivered: in one
 * transaction, the event is recorded as handled by this consumer and, only if it was not already,
 * handled. A redelivery finds the record and changes nothing; a failure rolls both back, so the event
 * is handled when it comes again. Two deliveries at once serialise on the record's primary key.
 */
export function idempotentConsumer<Tx extends RawSql>(options: IdempotentConsumerOptions<Tx>): EventHandler {
  const table = checkTable(options.processedTable);
  if (!options.consumer) throw new Error('idempotentConsumer needs a consumer name');
  const claimSql = `INSERT INTO ${table} (consumer, event_id) VALUES ($1, $2::uuid) ON CONFLICT DO NOTHING RETURNING event_id::text AS event_id`;
  return async (event) => {
    await options.db.$transaction(async (tx) => {
      const claimed = await tx.$queryRawUnsafe<{ event_id: string }[]>(claimSql, options.consumer, event.id);
      if (claimed.length === 0) return;
      await options.handle(tx, event);
    }, options.transaction);
  };
}

export interface IdempotentConsumeOptions<Tx extends RawSql> extends IdempotentConsumerOptions<Tx> {
  /** The event types to receive; every type when absent. */
  types?: readonly string[];
  /** Called after each event has been handled and committed (e.g. to poke the outbox relay the handler wrote to). */
  afterEach?: () => void;
}

/**
 * Starts a durable consumer (named `options.consumer`, the name its processed-event records carry too)
 * whose handler is wrapped in idempotentConsumer: the way every consumer of dakgraph consumes.
 */
export function consumeIdempotently<Tx extends RawSql>(transport: EventTransport, options: IdempotentConsumeOptions<Tx>): Promise<ConsumerHandle> {
  const handle = idempotentConsumer(options);
  return transport.consume(options.consumer, { types: options.types }, async (event) => {
    await handle(event);
    options.afterEach?.();
  });
}
