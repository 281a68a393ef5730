import type { SqlSession } from '@dakgraph/db';
import type { DomainEvent } from './event';
import { eventFromRow, OUTBOX_SELECT, type OutboxRow } from './outbox';
import { inPublishOrder } from './relay';
import { checkTable } from './sql';

/** Events published earlier, of the given types (every type when absent), oldest first. */
export type EventHistory = (types: readonly string[] | undefined) => Promise<DomainEvent[]>;

export interface OutboxHistoryOptions {
  /** How far back to replay: 24 hours by default (what a text or a webhook is still worth). */
  windowMs?: number;
  /** At most this many events, the most recent (a guard for a very busy day): 100,000 by default. */
  limit?: number;
}

/**
 * The recent published events of the outboxes of one database, for the in-process transport's history:
 * in the embedded single-process mode the outbox is the only durable copy of an event once the relay
 * has marked it published. Unpublished events are left out: the relay publishes them anyway.
 */
export function outboxHistory(db: Pick<SqlSession, 'query'>, tables: readonly string[], options: OutboxHistoryOptions = {}): EventHistory {
  const checked = tables.map(checkTable);
  const windowMs = options.windowMs ?? 24 * 3600 * 1000;
  const limit = options.limit ?? 100_000;
  if (!Number.isInteger(windowMs) || windowMs < 0) throw new Error(`windowMs must be a whole number of milliseconds, not ${windowMs}`);
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit must be a positive integer, not ${limit}`);
  return async (types) => {
    const events: DomainEvent[] = [];
    for (const table of checked) {
      const rows = await db.query<OutboxRow>(
        `SELECT * FROM (SELECT ${OUTBOX_SELECT} FROM ${table}
            WHERE published_at > now() - $1::int * interval '1 millisecond' AND ($2::text[] IS NULL OR type = ANY($2::text[]))
            ORDER BY id DESC LIMIT $3) AS recent ORDER BY id`,
        [windowMs, types ? [...types] : null, limit],
      );
      events.push(...rows.map(eventFromRow));
    }
    return inPublishOrder(events);
  };
}
