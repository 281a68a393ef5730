import type { RawSql } from '@dakgraph/graphql-kit';
import { createOutboxRelay, idempotentConsumer, inPublishOrder, recordEvents, type DomainEvent, type EventTransport } from '../src';
import { collector, ENGINES, eventually, makeEvents, memoryLog, openTestSql, openTestTransport, TRANSPORTS, type TestSql } from './support';

const OUTBOX = 'producer.outbox_event';

describe.each(ENGINES.flatMap((engine) => TRANSPORTS.map((transport) => [engine, transport] as const)))('the relay on %s over %s', (engine, kind) => {
  let db: TestSql;
  let transport: EventTransport;
  let dispose: () => Promise<void>;
  const log = memoryLog();
  const duplicates: DomainEvent[] = [];
  let durableCount = 0;
  const durable = () => `relay-${(durableCount += 1)}`;

  beforeAll(async () => {
    db = await openTestSql(engine);
    await db.$executeRawUnsafe('CREATE TABLE consumer.effect (event_id uuid NOT NULL, subject text NOT NULL, sequence int NOT NULL)');
    ({ transport, dispose } = await openTestTransport(kind, log, (event) => duplicates.push(event)));
  });
  afterAll(async () => {
    await dispose();
    await db.close();
  });
  beforeEach(async () => {
    await db.$executeRawUnsafe(`TRUNCATE ${OUTBOX}, consumer.effect, consumer.processed_event`);
    duplicates.length = 0;
  });

  const unpublished = async () => (await db.rows<{ n: number }>(`SELECT count(*)::int AS n FROM ${OUTBOX} WHERE published_at IS NULL`))[0]?.n;
  /** Effects of `events` (a new JetStream durable also gets earlier tests' events, which do not count). */
  const effects = async (events: readonly DomainEvent[]) =>
    (await db.rows<{ n: number }>('SELECT count(*)::int AS n FROM consumer.effect WHERE event_id = ANY ($1::uuid[])', events.map((event) => event.id)))[0]?.n;

  /** Records `events` the way a subgraph does: a few at a time, each batch in the transaction of its change. */
  async function record(events: readonly DomainEvent[], perTransaction = 100): Promise<void> {
    for (let i = 0; i < events.length; i += perTransaction) {
      await db.$transaction((tx) => recordEvents(tx, OUTBOX, events.slice(i, i + perTransaction)));
    }
  }

  /** The effect every consumer in these tests has: one row per event it handled, made once. */
  const writeEffect = (event: DomainEvent) =>
    idempotentConsumer({
      db,
      processedTable: 'consumer.processed_event',
      consumer: 'effects',
      handle: async (tx: RawSql, handled) => {
        await tx.$executeRawUnsafe('INSERT INTO consumer.effect VALUES ($1::uuid, $2, $3)', handled.id, handled.subject, handled.sequence);
      },
    })(event);

  it('delivers everything recorded once, in order per subject', async () => {
    const events = makeEvents(1_200);
    const seen = collector(events);
    const handle = await transport.consume(durable(), {}, seen.handler);
    const relay = createOutboxRelay({ db, table: OUTBOX, transport, batchSize: 500, pollMs: 50, log });
    relay.start();
    await record(events);
    relay.poke();
    await eventually('every event is delivered', () => seen.events.length >= events.length);
    await eventually('every row is marked published', async () => (await unpublished()) === 0);
    await relay.stop();
    await handle.stop();
    expect(new Set(seen.ids()).size).toBe(events.length);
    expect(seen.events.length).toBe(events.length);
    const bySubject = new Map<string, number[]>();
    for (const event of seen.events) bySubject.set(event.subject, [...(bySubject.get(event.subject) ?? []), event.sequence]);
    for (const sequences of bySubject.values()) expect(sequences).toEqual(sequences.map((_, i) => i + 1));
    expect(seen.events).toEqual(events);
  });

  it('a crash after publishing and before marking re-publishes, and the duplicate has no effect', async () => {
    const events = makeEvents(40);
    const raw = collector(events);
    const rawHandle = await transport.consume(durable(), {}, raw.handler);
    const effectHandle = await transport.consume(durable(), {}, writeEffect);
    await record(events);

    // The first relay publishes, then its process "dies" before the mark reaches the database.
    const crashing = createOutboxRelay({
      db: {
        ...db,
        $transaction: (work) => db.$transaction(work),
        $executeRawUnsafe: (sql, ...values) =>
          sql.includes('SET published_at') ? Promise.reject(new Error('connection lost')) : db.$executeRawUnsafe(sql, ...values),
      },
      table: OUTBOX,
      transport,
      claimLeaseMs: 200,
      log,
    });
    await expect(crashing.drain()).rejects.toThrow('connection lost');
    expect(await unpublished()).toBe(events.length);
    await eventually('the first publish was handled', async () => (await effects(events)) === events.length);

    // A new relay takes the rows over once the dead one's lease has run out, and publishes them again.
    const next = createOutboxRelay({ db, table: OUTBOX, transport, log });
    await eventually('the new relay has re-published', async () => (await next.drain()) > 0 || (await unpublished()) === 0);
    expect(await unpublished()).toBe(0);
    if (kind === 'jetstream') {
      // JetStream knew every id: it reported the duplicates and delivered none of them.
      await eventually('every duplicate is reported', () => duplicates.length === events.length);
      expect(duplicates.map((event) => event.id)).toEqual(events.map((event) => event.id));
      await new Promise((resolve) => setTimeout(resolve, 200)); // room for a wrongful redelivery to show
      expect(raw.ids()).toEqual(events.map((event) => event.id));
    } else {
      // Memory keeps no ids: the events come again, and the consumer's record skips them.
      await eventually('the republished events arrive', () => raw.events.length === 2 * events.length);
    }
    await rawHandle.stop();
    await effectHandle.stop();
    expect(await effects(events)).toBe(events.length);
  });

  it('a crash after commit and before publishing loses nothing', async () => {
    const events = makeEvents(25);
    const seen = collector(events);
    const handle = await transport.consume(durable(), {}, seen.handler);
    const first = createOutboxRelay({ db, table: OUTBOX, transport, log });
    first.start();
    await first.stop();
    await record(events);
    const next = createOutboxRelay({ db, table: OUTBOX, transport, pollMs: 50, log });
    next.start();
    await eventually('the new relay delivers them', () => seen.events.length >= events.length);
    await next.stop();
    await handle.stop();
    expect(seen.ids()).toEqual(events.map((event) => event.id));
    expect(await unpublished()).toBe(0);
  });

  it('logs a failing publish and retries it, without losing or crashing', async () => {
    const events = makeEvents(10);
    const seen = collector(events);
    const handle = await transport.consume(durable(), {}, seen.handler);
    let failuresLeft = 2;
    const flaky: EventTransport = {
      description: 'a flaky transport',
      publish: (batch) => (failuresLeft-- > 0 ? Promise.reject(new Error('NATS is down')) : transport.publish(batch)),
      consume: (...args) => transport.consume(...args),
      close: () => transport.close(),
    };
    const errorsBefore = log.errors.length;
    await record(events);
    const relay = createOutboxRelay({ db, table: OUTBOX, transport: flaky, pollMs: 20, log });
    relay.start();
    await eventually('the events get through', () => seen.events.length >= events.length);
    await relay.stop();
    await handle.stop();
    expect(seen.ids()).toEqual(events.map((event) => event.id));
    expect(log.errors.slice(errorsBefore).filter((line) => line.includes('NATS is down'))).toHaveLength(2);
  });

  it('lets only one relay own the outbox at a time', async () => {
    const events = makeEvents(300);
    const seen = collector(events);
    const handle = await transport.consume(durable(), {}, seen.handler);
    await record(events);
    const relays = [1, 2, 3].map(() => createOutboxRelay({ db, table: OUTBOX, transport, batchSize: 20, pollMs: 20, log }));
    relays.forEach((relay) => relay.start());
    // Three relays taking turns at leases of 20 events: slow on a busy shared machine (CI runs every
    // workspace's tests at once), so the deadline is generous; only the order and completeness are asserted.
    await eventually('all are delivered', () => seen.events.length >= events.length, 90_000);
    await Promise.all(relays.map((relay) => relay.stop()));
    await handle.stop();
    expect(seen.ids()).toEqual(events.map((event) => event.id));
  }, 120_000);
});

describe('inPublishOrder', () => {
  it('keeps id order but puts each subject in sequence order', () => {
    const [a, b, c] = makeEvents(3, ['EE123456785IN']);
    const other = makeEvents(1, ['RR987654321IN'])[0]!;
    // a's transaction made its id last but committed first (sequence 1).
    const late = { ...a!, id: 'ffffffff-0000-7000-8000-000000000000' };
    // By id: b, c, other, late; the article's three places take its events in sequence order.
    expect(inPublishOrder([other, c!, late, b!]).map((event) => [event.subject, event.sequence])).toEqual([
      ['EE123456785IN', 1],
      ['EE123456785IN', 2],
      ['RR987654321IN', 1],
      ['EE123456785IN', 3],
    ]);
  });
});
