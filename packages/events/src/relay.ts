import type { RawSql, TransactionalSql } from '@dakgraph/graphql-kit';
import type { DomainEvent } from './event';
import { eventFromRow, OUTBOX_SELECT, type OutboxRow } from './outbox';
import { checkTable } from './sql';
import type { EventLogger, EventTransport } from './transport';

export interface OutboxRelayOptions<Tx extends RawSql> {
  db: TransactionalSql<Tx>;
  /** The outbox, `schema.outbox_event`. */
  table: string;
  transport: EventTransport;
  /** Events claimed and published at a time. */
  batchSize?: number;
  /** How often to look for events nobody poked about (another process's, or after a failure). */
  pollMs?: number;
  /** The longest pause between retries while publishing fails. */
  maxBackoffMs?: number;
  /**
   * How long a claim lasts: a relay that crashed holding rows lets another take them over after this.
   * It must be longer than a batch takes to publish, or a slow relay's rows are published twice (which
   * JetStream and consumers de-duplicate). 60 s by default.
   */
  claimLeaseMs?: number;
  log?: EventLogger;
}

/** Moves recorded events from a subgraph's outbox to the transport. */
export interface OutboxRelay {
  /** Starts polling in the background; failures are logged and retried, never thrown. */
  start(): void;
  /** Something was just committed: look now rather than at the next poll. */
  poke(): void;
  /** Stops after the batch in hand is published and marked. */
  stop(): Promise<void>;
  /** Publishes everything pending now and says how many; throws on failure (for tests and shutdown). */
  drain(): Promise<number>;
}

/**
 * The relay of the transactional outbox. A cycle claims the oldest unpublished rows in id order in one
 * short transaction, publishes them with no transaction open (PGlite has a single connection, and a
 * publish may wait on the network), then marks them published. Claims are a lease (claimed_until) taken
 * under an advisory lock while no other lease is live, so one relay at a time owns the outbox and events
 * leave in id order, per subject in sequence order. A crash between publish and mark re-publishes the
 * batch when the lease runs out: JetStream drops it by message id, consumers de-duplicate by event id.
 * A crash between commit and publish loses nothing: the rows wait unpublished.
 */
export function createOutboxRelay<Tx extends RawSql>(options: OutboxRelayOptions<Tx>): OutboxRelay {
  const table = checkTable(options.table);
  const batchSize = options.batchSize ?? 500;
  const pollMs = options.pollMs ?? 250;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const claimLeaseMs = options.claimLeaseMs ?? 60_000;
  const log = options.log ?? console;
  const { db, transport } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, not ${batchSize}`);

  // Which advisory lock serialises claims on this outbox: derived from the table, so relays of
  // different subgraphs sharing a database do not wait for each other.
  const lockKey = `dakgraph.events:${table}`;
  const claimSql =
    `UPDATE ${table} SET claimed_until = now() + $2::int * interval '1 millisecond' ` +
    `WHERE id IN (SELECT id FROM ${table} WHERE published_at IS NULL ORDER BY id LIMIT $1) ` +
    `AND NOT EXISTS (SELECT 1 FROM ${table} WHERE published_at IS NULL AND claimed_until > now()) ` +
    `RETURNING ${OUTBOX_SELECT}`;
  const markSql = `UPDATE ${table} SET published_at = now(), claimed_until = NULL WHERE id = ANY ($1::text[]::uuid[]) AND published_at IS NULL`;
  const releaseSql = `UPDATE ${table} SET claimed_until = NULL WHERE id = ANY ($1::text[]::uuid[]) AND published_at IS NULL`;

  /** Published but not yet marked (the mark failed): marked first in the next cycle, not re-published. */
  let unmarked: string[] = [];
  let chain: Promise<unknown> = Promise.resolve();

  /** Runs cycles one after another, whether from the loop or drain(). */
  function exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = chain.then(work);
    chain = result.catch(() => undefined);
    return result;
  }

  async function claim(): Promise<DomainEvent[]> {
    const rows = await db.$transaction(async (tx) => {
      // The subquery keeps the void result out of the row, which no driver needs to decode.
      await tx.$queryRawUnsafe('SELECT count(*)::int AS locked FROM (SELECT pg_advisory_xact_lock(hashtext($1)::bigint)) AS lock', lockKey);
      return tx.$queryRawUnsafe<OutboxRow[]>(claimSql, batchSize, claimLeaseMs);
    });
    return inPublishOrder(rows.map(eventFromRow));
  }

  async function cycle(): Promise<number> {
    if (unmarked.length) {
      await db.$executeRawUnsafe(markSql, unmarked);
      unmarked = [];
    }
    const events = await claim();
    if (events.length === 0) return 0;
    const ids = events.map((event) => event.id);
    try {
      await transport.publish(events);
    } catch (error) {
      // Let the rows go now rather than at the end of the lease, so a retry (ours or another relay's)
      // does not wait; best effort, the lease runs out anyway.
      await Promise.resolve(db.$executeRawUnsafe(releaseSql, ids)).catch(() => undefined);
      throw error;
    }
    unmarked = ids;
    await db.$executeRawUnsafe(markSql, ids);
    unmarked = [];
    return events.length;
  }

  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let backingOff = false;

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  async function runLoop(): Promise<void> {
    let failures = 0;
    while (running) {
      try {
        const published = await exclusive(cycle);
        failures = 0;
        if (published >= batchSize) continue;
        if (running) await sleep(pollMs);
      } catch (error) {
        failures += 1;
        const pause = Math.min(pollMs * 2 ** failures, maxBackoffMs);
        log.error(`[events] relay of ${table} via ${transport.description} failed (attempt ${failures}, again in ${pause} ms): ${(error as Error).message}`);
        backingOff = true;
        if (running) await sleep(pause);
        backingOff = false;
      }
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = runLoop();
    },
    poke() {
      // During a backoff a poke would only hammer a transport that is down.
      if (!backingOff) wake?.();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      loop = undefined;
    },
    async drain() {
      let total = 0;
      for (;;) {
        const published = await exclusive(cycle);
        total += published;
        if (published === 0) return total;
      }
    },
  };
}

/**
 * Id order, except that a subject's events are put in sequence order among the places its events hold:
 * ids are made when the caller creates events, which two transactions on one subject may do in the
 * opposite order to their commits (sequence follows the commits).
 */
export function inPublishOrder(events: readonly DomainEvent[]): DomainEvent[] {
  const byId = [...events].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const bySubject = new Map<string, DomainEvent[]>();
  for (const event of byId) {
    const list = bySubject.get(event.subject) ?? [];
    list.push(event);
    bySubject.set(event.subject, list);
  }
  for (const list of bySubject.values()) list.sort((a, b) => a.sequence - b.sequence || (a.id < b.id ? -1 : 1));
  const taken = new Map<string, number>();
  return byId.map((event) => {
    const index = taken.get(event.subject) ?? 0;
    taken.set(event.subject, index + 1);
    return (bySubject.get(event.subject) as DomainEvent[])[index] as DomainEvent;
  });
}
