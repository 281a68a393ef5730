import { insertRows, type ArticlesTx, type BulkColumn, type TrackingEventRow } from '../db';

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

/** Inserts tracking events with one multi-row statement, however many. */
export function insertEvents(tx: ArticlesTx, events: readonly NewTrackingEvent[]): Promise<void> {
  return insertRows(tx, 'articles.tracking_event', EVENT_COLUMNS, events);
}
