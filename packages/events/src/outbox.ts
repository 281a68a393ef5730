import { insertRowsStatement, type BulkColumn } from '@dakgraph/db';
import type { RawSql } from '@dakgraph/graphql-kit';
import { checkEventType, type DomainEvent } from './event';
import { checkSchema, checkTable } from './sql';

/** The outbox table's name inside a subgraph's schema. */
export const OUTBOX_TABLE = 'outbox_event';

/** One column the producer writes: its name, its SQL type, and how to read it from an event. */
export type OutboxColumn = BulkColumn<DomainEvent>;

/**
 * The columns a producer writes, in the order of the insert's parameters. Exported so that a subgraph's
 * migration and Prisma schema can be checked against it; created_at, published_at and claimed_until are
 * the relay's and the database's.
 */
export const OUTBOX_COLUMNS: readonly OutboxColumn[] = [
  { column: 'id', type: 'uuid', value: (event) => event.id },
  { column: 'type', type: 'text', value: (event) => checkEventType(event.type) },
  { column: 'source', type: 'text', value: (event) => event.source },
  { column: 'subject', type: 'text', value: (event) => event.subject },
  { column: 'sequence', type: 'integer', value: (event) => String(event.sequence) },
  { column: 'occurred_at', type: 'timestamptz', value: (event) => event.occurredAt },
  { column: 'version', type: 'integer', value: (event) => String(event.version) },
  { column: 'payload', type: 'jsonb', value: (event) => JSON.stringify(event.payload ?? null) },
];

/**
 * The outbox DDL for `schema`, idempotent so it can sit in a migration or run at start-up. The partial
 * index on unpublished rows keeps the relay's scan as small as its backlog, however many published rows
 * wait for the purge; the index on published_at lets the purge find expired rows without a full scan.
 * claimed_until is the relay's lease: a relay owns the rows it claimed until then, so two relays never
 * both publish a row (one that crashed lets its lease run out and another takes the rows over).
 */
export function outboxTableSql(schema: string): string {
  const table = `${checkSchema(schema)}.${OUTBOX_TABLE}`;
  return `CREATE TABLE IF NOT EXISTS ${table} (
  id uuid PRIMARY KEY,
  type text NOT NULL,
  source text NOT NULL,
  subject text NOT NULL,
  sequence integer NOT NULL,
  occurred_at timestamptz NOT NULL,
  version integer NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz NULL,
  claimed_until timestamptz NULL
);
CREATE INDEX IF NOT EXISTS outbox_event_unpublished_idx ON ${table} (id) WHERE published_at IS NULL;
CREATE INDEX IF NOT EXISTS outbox_event_published_at_idx ON ${table} (published_at) WHERE published_at IS NOT NULL;
`;
}

/**
 * Records which events a consumer has handled, in the consumer's own schema, so that a redelivered
 * event is recognised and skipped (idempotentConsumer). The index on processed_at serves the purge.
 */
export function processedEventsTableSql(schema: string): string {
  const table = `${checkSchema(schema)}.processed_event`;
  return `CREATE TABLE IF NOT EXISTS ${table} (
  consumer text NOT NULL,
  event_id uuid NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
CREATE INDEX IF NOT EXISTS processed_event_processed_at_idx ON ${table} (processed_at);
`;
}

/**
 * ONE insert for any number of events, `INSERT ... SELECT ... FROM unnest($n::text[], ...)`: one array
 * parameter per column whatever the count, so it never nears PGlite's 32,767-parameter limit and costs
 * one round trip. Parameters are numbered from `firstParameter`, so a caller can embed the statement as a
 * data-modifying CTE of a bigger one (`WITH changed AS (...), recorded AS (<sql>) SELECT ...`) and record
 * its events in the same round trip as its change. `table` comes from our own code.
 */
export function outboxInsertStatement(
  table: string,
  events: readonly DomainEvent[],
  firstParameter = 1,
): { sql: string; params: (string | null)[][] } {
  checkTable(table);
  if (!Number.isInteger(firstParameter) || firstParameter < 1) throw new Error(`firstParameter must be a positive integer, not ${firstParameter}`);
  for (const event of events) checkEvent(event);
  return insertRowsStatement(table, OUTBOX_COLUMNS, events, firstParameter);
}

/**
 * Writes `events` to the outbox through `tx`, the transaction of the change they describe: if it rolls
 * back, so do they. No statement for an empty list.
 */
export async function recordEvents(tx: RawSql, table: string, events: readonly DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  const { sql, params } = outboxInsertStatement(table, events);
  await tx.$executeRawUnsafe(sql, ...params);
}

// Fails a bad event at record time, in the producer's transaction, rather than at publish time in the
// relay, where it would block the outbox behind it.
function checkEvent(event: DomainEvent): void {
  checkEventType(event.type);
  if (!Number.isInteger(event.sequence) || event.sequence < 0 || event.sequence > 2 ** 31 - 1) {
    throw new Error(`event ${event.id}: sequence must be a non-negative 32-bit integer, not ${event.sequence}`);
  }
  if (!Number.isInteger(event.version) || event.version < 1 || event.version > 2 ** 31 - 1) {
    throw new Error(`event ${event.id}: version must be a positive 32-bit integer, not ${event.version}`);
  }
  if (Number.isNaN(Date.parse(event.occurredAt))) throw new Error(`event ${event.id}: occurredAt is not a time: "${event.occurredAt}"`);
  if (!event.source || !event.subject) throw new Error(`event ${event.id}: source and subject must not be empty`);
}

/** A row as the relay reads it (see OUTBOX_SELECT): text where drivers disagree on types. */
export interface OutboxRow {
  id: string;
  type: string;
  source: string;
  subject: string;
  sequence: number;
  occurred_at: string;
  version: number;
  payload: string;
}

/**
 * The select list that reads an outbox row the same way through every driver (Prisma, pg, PGlite):
 * uuid and jsonb as text, the time as ISO 8601 in UTC with milliseconds, numbers as int4.
 */
export const OUTBOX_SELECT =
  `id::text AS id, type, source, subject, sequence::int AS sequence, ` +
  `to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at, version::int AS version, payload::text AS payload`;

/** The event an outbox row holds. */
export function eventFromRow(row: OutboxRow): DomainEvent {
  return {
    id: row.id,
    type: row.type,
    source: row.source,
    subject: row.subject,
    sequence: Number(row.sequence),
    occurredAt: row.occurred_at,
    version: Number(row.version),
    payload: JSON.parse(row.payload) as unknown,
  };
}
