import { retentionMsFromEnv, type HousekeepingTask, type RawSql } from '@dakgraph/graphql-kit';
import { deleteInBatches } from './sql';

/** How often a subgraph purges old events. */
export const EVENT_PURGE_EVERY_MS = 3600 * 1000;
const DEFAULT_RETENTION_HOURS = 7 * 24;

/**
 * How long published events and handled-event records are kept: EVENT_RETENTION_HOURS, 7 days by
 * default (1 to 8760). Long enough to look into what was sent last week; the handled-event records must
 * outlast any redelivery, which the stream's duplicate window and ack wait keep to minutes.
 */
export function eventRetentionMs(env: NodeJS.ProcessEnv = process.env): number {
  return retentionMsFromEnv(env, 'EVENT_RETENTION_HOURS', DEFAULT_RETENTION_HOURS);
}

export interface EventPurgeOptions {
  db: RawSql;
  /** `schema.outbox_event` or `schema.processed_event`. */
  table: string;
  retentionMs: number;
  /** Rows a statement: small enough that no delete holds its locks for long. 5,000 by default. */
  batchSize?: number;
  everyMs?: number;
  now?: () => number;
}

function purgeTask(name: string, options: EventPurgeOptions, condition: string): HousekeepingTask {
  const now = options.now ?? Date.now;
  if (!Number.isFinite(options.retentionMs) || options.retentionMs < 0) throw new Error(`retentionMs must not be negative, not ${options.retentionMs}`);
  return {
    name,
    everyMs: options.everyMs ?? EVENT_PURGE_EVERY_MS,
    run: () => deleteInBatches(options.db, options.table, condition, new Date(now() - options.retentionMs).toISOString(), options.batchSize ?? 5_000),
  };
}

/**
 * The housekeeping task that deletes published events published longer ago than the retention; an
 * unpublished event is never deleted, however old (it is still owed to consumers). `run` resolves to
 * the number deleted.
 */
export function outboxPurgeTask(name: string, options: EventPurgeOptions): HousekeepingTask {
  return purgeTask(name, options, 'published_at < $1::timestamptz');
}

/** The housekeeping task that forgets handled-event records older than the retention. */
export function processedEventsPurgeTask(name: string, options: EventPurgeOptions): HousekeepingTask {
  return purgeTask(name, options, 'processed_at < $1::timestamptz');
}
