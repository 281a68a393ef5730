import { insertRowsStatement, type ArticlesTx, type BulkColumn, type TrackingEventRow } from '../db';
import { outboxInsert, type ArticleEvent } from './articleEvents';

/** A tracking event to insert (recorded_at is the database's clock). */
export type NewTrackingEvent = Omit<TrackingEventRow, 'recordedAt'>;

export const EVENT_COLUMNS: readonly BulkColumn<NewTrackingEvent>[] = [
  { column: 'article_number', type: 'bpchar', value: (e) => e.articleNumber },
  { column: 'sequence', type: 'int', value: (e) => e.sequence },
  { column: 'type', type: 'articles."TrackingEventType"', value: (e) => e.type },
  { column: 'occurred_at', type: 'timestamptz', value: (e) => e.occurredAt },
  { column: 'office_id', type: 'text', value: (e) => e.officeId },
  { column: 'next_office_id', type: 'text', value: (e) => e.nextOfficeId },
  { column: 'reason', type: 'articles."NonDeliveryReason"', value: (e) => e.reason },
  { column: 'status_after', type: 'articles."ArticleStatus"', value: (e) => e.statusAfter },
  { column: 'recorded_by', type: 'text', value: (e) => e.recordedBy },
];

/**
 * Inserts tracking events and the domain events announcing them with one statement, however many (the
 * outbox insert is a data-modifying CTE), so the events travel exactly when the tracking commits.
 */
export async function insertEvents(tx: ArticlesTx, events: readonly NewTrackingEvent[], announced: readonly ArticleEvent[]): Promise<void> {
  if (!events.length) return;
  const tracked = insertRowsStatement('articles.tracking_event', EVENT_COLUMNS, events);
  const outbox = outboxInsert(announced, tracked.params.length + 1);
  await tx.$executeRawUnsafe(`WITH tracked AS (${tracked.sql}) ${outbox.sql}`, ...tracked.params, ...outbox.params);
}
