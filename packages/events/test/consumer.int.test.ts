import type { RawSql } from '@dakgraph/graphql-kit';
import { idempotentConsumer, type DomainEvent } from '../src';
import { ENGINES, eventually, makeEvents, memoryLog, openTestSql, openTestTransport, type TestSql } from './support';

describe.each(ENGINES)('idempotentConsumer on %s', (engine) => {
  let db: TestSql;

  beforeAll(async () => {
    db = await openTestSql(engine, ['consumer']);
    await db.$executeRawUnsafe('CREATE TABLE consumer.effect (event_id uuid NOT NULL, note text NOT NULL)');
  });
  afterAll(() => db.close());
  beforeEach(() => db.$executeRawUnsafe('TRUNCATE consumer.effect, consumer.processed_event'));

  const effects = async () => (await db.rows<{ event_id: string }>('SELECT event_id::text AS event_id FROM consumer.effect ORDER BY event_id')).map((row) => row.event_id);
  const consumerWith = (handle: (tx: RawSql, event: DomainEvent) => Promise<void>, consumer = 'webhooks') =>
    idempotentConsumer({ db, processedTable: 'consumer.processed_event', consumer, handle });
  const writeEffect = async (tx: RawSql, event: DomainEvent) => {
    await tx.$executeRawUnsafe('INSERT INTO consumer.effect VALUES ($1::uuid, $2)', event.id, event.type);
  };

  it('has exactly one effect for an event delivered ten times, in turn or at once', async () => {
    const [event, other] = makeEvents(2);
    const handler = consumerWith(writeEffect);
    for (let i = 0; i < 10; i += 1) await handler(event!);
    await Promise.all(Array.from({ length: 10 }, () => handler(other!)));
    expect(await effects()).toEqual([event!.id, other!.id]);
  });

  it('keeps consumers apart: each handles the event once', async () => {
    const [event] = makeEvents(1);
    await consumerWith(writeEffect, 'webhooks')(event!);
    await consumerWith(writeEffect, 'statistics')(event!);
    await consumerWith(writeEffect, 'statistics')(event!);
    expect(await effects()).toEqual([event!.id, event!.id]);
  });

  it('rolls the record back with a failed effect, so the next delivery applies it', async () => {
    const [event] = makeEvents(1);
    let fail = true;
    const handler = consumerWith(async (tx, handled) => {
      await writeEffect(tx, handled);
      if (fail) throw new Error('the partner endpoint is down');
    });
    await expect(handler(event!)).rejects.toThrow('the partner endpoint is down');
    expect(await effects()).toEqual([]);
    fail = false;
    await handler(event!);
    await handler(event!);
    expect(await effects()).toEqual([event!.id]);
  });

  it.each(['in-process', 'jetstream'] as const)('a handler that throws once gets the event again from the %s transport', async (kind) => {
    const { transport, dispose } = await openTestTransport(kind, memoryLog());
    const events = makeEvents(5);
    const failing = events[2]!;
    let thrown = 0;
    const handle = await transport.consume('webhooks', {}, consumerWith(async (tx, event) => {
      await writeEffect(tx, event);
      if (event.id === failing.id && thrown === 0) {
        thrown += 1;
        throw new Error('once');
      }
    }));
    await transport.publish(events);
    await eventually('all five have their effect', async () => (await effects()).length >= 5);
    await transport.publish(events); // and a republish of them all changes nothing
    await handle.stop();
    await dispose();
    expect(thrown).toBe(1);
    expect(await effects()).toEqual(events.map((event) => event.id).sort());
  });
});
