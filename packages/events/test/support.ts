import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createTestDatabase, type TestDatabase } from '@dakgraph/db';
import type { RawSql, TransactionalSql } from '@dakgraph/graphql-kit';
import pg from 'pg';
import {
  createInProcessTransport,
  createJetStreamTransport,
  newEventId,
  outboxTableSql,
  processedEventsTableSql,
  type DomainEvent,
  type EventHandler,
  type EventLogger,
  type EventTransport,
} from '../src';

/**
 * The two engines every database test runs on, each behind the same Prisma-shaped interface the package
 * sees in a subgraph. The adapters talk to pg and PGlite directly (not through @dakgraph/db's Database,
 * whose query() drops the affected-row count that $executeRawUnsafe returns).
 */
export const ENGINES = ['pglite', 'postgres'] as const;
export type Engine = (typeof ENGINES)[number];

export interface TestSql extends TransactionalSql<RawSql> {
  /** Rows of a statement, for assertions. */
  rows<Row>(sql: string, ...values: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

interface Queryable {
  query(sql: string, values: unknown[]): Promise<{ rows: unknown[]; count: number }>;
}

function rawSql(client: Queryable): RawSql {
  return {
    $queryRawUnsafe: async <T>(sql: string, ...values: unknown[]) => (await client.query(sql, values)).rows as T,
    $executeRawUnsafe: async (sql: string, ...values: unknown[]) => (await client.query(sql, values)).count,
  };
}

export async function openTestSql(engine: Engine, schemas: readonly string[] = ['producer', 'consumer']): Promise<TestSql> {
  const ddl = schemas.map((schema) => `CREATE SCHEMA IF NOT EXISTS ${schema}; ${outboxTableSql(schema)} ${processedEventsTableSql(schema)}`).join('\n');
  if (engine === 'pglite') {
    const pglite = await PGlite.create();
    await pglite.exec(ddl);
    const over = (db: Pick<PGlite, 'query'>): Queryable => ({
      async query(sql, values) {
        const result = await db.query(sql, values);
        return { rows: result.rows, count: result.affectedRows ?? 0 };
      },
    });
    const base = rawSql(over(pglite));
    return {
      ...base,
      $transaction: <R>(work: (tx: RawSql) => Promise<R>) => pglite.transaction((tx) => work(rawSql(over(tx)))),
      rows: async <Row>(sql: string, ...values: unknown[]) => (await pglite.query<Row>(sql, values)).rows,
      close: () => pglite.close(),
    };
  }
  const server: TestDatabase = await createTestDatabase('dakgraph_events');
  const pool = new pg.Pool({ connectionString: server.url, max: 5 });
  // Dropping the database ends idle connections; without a listener that error would be unhandled.
  pool.on('error', () => undefined);
  await pool.query(ddl);
  const over = (db: pg.Pool | pg.PoolClient): Queryable => ({
    async query(sql, values) {
      const result = await db.query(sql, values);
      return { rows: result.rows, count: result.rowCount ?? 0 };
    },
  });
  return {
    ...rawSql(over(pool)),
    async $transaction<R>(work: (tx: RawSql) => Promise<R>) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(rawSql(over(client)));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    rows: async <Row>(sql: string, ...values: unknown[]) => (await pool.query(sql, values)).rows as Row[],
    async close() {
      await pool.end();
      await server.drop();
    },
  };
}

/** `count` events over `subjects` article numbers, numbered 1, 2, ... per subject, ids in creation order. */
export function makeEvents(count: number, subjects: readonly string[] = ['EE123456785IN', 'EE000000000IN', 'RR987654321IN']): DomainEvent[] {
  const sequences = new Map<string, number>();
  return Array.from({ length: count }, (_, i) => {
    const subject = subjects[i % subjects.length] as string;
    const sequence = (sequences.get(subject) ?? 0) + 1;
    sequences.set(subject, sequence);
    return {
      id: newEventId(),
      type: i % 2 === 0 ? 'article.booked' : 'article.delivered',
      source: 'articles',
      subject,
      sequence,
      occurredAt: new Date(Date.UTC(2026, 10, 25, 6, 30, 0, i)).toISOString(),
      version: 1,
      payload: { index: i, office: 'Bhainsa S.O', note: `naïve "quotes" \\ and\ttabs ${i}`, weightGrams: 20.5 + i, tags: ['a', null] },
    };
  });
}

/** Waits until `check` holds, polling; fails with `what` after a generous deadline (no timing asserted). */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, deadlineMs = 20_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A logger that keeps what it was told, so tests stay quiet and can look at failures. */
export function memoryLog(): EventLogger & { errors: string[]; infos: string[] } {
  const errors: string[] = [];
  const infos: string[] = [];
  return { errors, infos, info: (message) => infos.push(message), error: (message) => errors.push(message) };
}

/** The transports every delivery test runs on. */
export const TRANSPORTS = ['in-process', 'jetstream'] as const;
export type TransportKind = (typeof TRANSPORTS)[number];

export const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/**
 * A transport for one test file: JetStream on a stream and subject prefix of its own (deleted by
 * `dispose`), so parallel runs and other engineers' tests never see each other's events.
 */
export async function openTestTransport(
  kind: TransportKind,
  log: EventLogger,
  onDuplicate?: (event: DomainEvent) => void,
): Promise<{ transport: EventTransport; dispose(): Promise<void> }> {
  if (kind === 'in-process') {
    const transport = createInProcessTransport({ log });
    return { transport, dispose: () => transport.close() };
  }
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const stream = `DAKGRAPH_EVENTS_TEST_${suffix}`;
  const transport = await createJetStreamTransport({
    servers: NATS_URL,
    stream,
    subjectPrefix: `test_${suffix}.events`,
    // No test waits for ack_wait (a failed handler naks with its own delay), and on a loaded CI machine a
    // starved event loop can leave a handled message unacknowledged for seconds: with 5 s the server then
    // delivered it again, and tests that assert each event once saw a duplicate.
    ackWaitMs: 60_000,
    log,
    onDuplicate,
  });
  return {
    transport,
    async dispose() {
      await transport.close();
      await deleteStream(stream);
    },
  };
}

async function deleteStream(stream: string): Promise<void> {
  const nc = await connect({ servers: NATS_URL });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream);
  } finally {
    await nc.close();
  }
}

/**
 * A handler that keeps what it was given, in order; with `only`, just those events (a new JetStream
 * durable starts at the beginning of the stream, so it also gets earlier tests' events).
 */
export function collector(only?: readonly DomainEvent[]): { handler: EventHandler; events: DomainEvent[]; ids(): string[] } {
  const events: DomainEvent[] = [];
  const wanted = only && new Set(only.map((event) => event.id));
  return {
    events,
    handler: async (event) => {
      if (!wanted || wanted.has(event.id)) events.push(event);
    },
    ids: () => events.map((event) => event.id),
  };
}
