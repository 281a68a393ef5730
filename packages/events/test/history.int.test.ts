import { createInProcessTransport, outboxHistory, outboxInsertStatement, type DomainEvent } from '../src';
import { ENGINES, eventually, makeEvents, memoryLog, openTestSql, type TestSql } from './support';

describe.each(ENGINES)("the outbox's history for the in-process transport, on %s", (engine) => {
  let db: TestSql;
  // outboxHistory reads through a Database-shaped session.
  const session = () => ({ query: <Row>(sql: string, params: unknown[] = []) => db.rows<Row>(sql, ...params) });

  beforeAll(async () => {
    db = await openTestSql(engine);
  });
  afterAll(() => db.close());
  beforeEach(() => db.$executeRawUnsafe('TRUNCATE producer.outbox_event'));

  /** Six events: four published just now, one published two days ago, one not yet published. */
  async function outbox(): Promise<DomainEvent[]> {
    const events = makeEvents(6);
    const { sql, params } = outboxInsertStatement('producer.outbox_event', events);
    await db.$executeRawUnsafe(sql, ...params);
    await db.$executeRawUnsafe(`UPDATE producer.outbox_event SET published_at = now() WHERE id = ANY($1::text[]::uuid[])`, events.slice(0, 4).map((e) => e.id));
    await db.$executeRawUnsafe(`UPDATE producer.outbox_event SET published_at = now() - interval '2 days' WHERE id = $1::uuid`, events[4]!.id);
    return events;
  }

  it('is the recent published events, of the types asked for, in publication order', async () => {
    const events = await outbox();
    const history = outboxHistory(session(), ['producer.outbox_event']);
    expect((await history(undefined)).map((e) => e.id)).toEqual(events.slice(0, 4).map((e) => e.id));
    expect((await history(['article.delivered'])).map((e) => e.id)).toEqual([events[1]!.id, events[3]!.id]);
    expect(await history(['article.returned_to_sender'])).toEqual([]);
    expect((await history(undefined))[0]).toEqual(events[0]);
    // A narrower window or a limit keeps the most recent.
    expect((await outboxHistory(session(), ['producer.outbox_event'], { limit: 2 })(undefined)).map((e) => e.id)).toEqual(events.slice(2, 4).map((e) => e.id));
    expect(await outboxHistory(session(), ['producer.outbox_event'], { windowMs: 0 })(undefined)).toEqual([]);
    expect(() => outboxHistory(session(), ['producer.outbox_event; DROP TABLE x'])).toThrow();
    expect(() => outboxHistory(session(), ['producer.outbox_event'], { limit: 0 })).toThrow();
  });

  it("gives a durable's first run in a fresh process what the last one had marked published, once", async () => {
    const events = await outbox();
    const log = memoryLog();
    const transport = createInProcessTransport({ log, history: outboxHistory(session(), ['producer.outbox_event']) });
    try {
      const seen: string[] = [];
      const handle = await transport.consume('webhooks', { types: ['article.booked'] }, async (event) => {
        seen.push(event.id);
      });
      await eventually('the booked events of the history are handled', () => seen.length === 2);
      expect(seen).toEqual([events[0]!.id, events[2]!.id]);
      // A live event queues behind them; the same durable started again in this process replays nothing more.
      const [live] = makeEvents(1);
      await transport.publish([live!]);
      expect(seen).toEqual([events[0]!.id, events[2]!.id, live!.id]);
      await handle.stop();
      const again = await transport.consume('webhooks', { types: ['article.booked'] }, async (event) => {
        seen.push(event.id);
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await again.stop();
      expect(seen).toHaveLength(3);
      expect(log.infos.join('\n')).toContain('webhooks replays 2 recent events');
    } finally {
      await transport.close();
    }
  });
});
