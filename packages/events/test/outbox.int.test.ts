import { eventFromRow, OUTBOX_COLUMNS, OUTBOX_SELECT, outboxInsertStatement, recordEvents, type OutboxRow } from '../src';
import { ENGINES, makeEvents, openTestSql, type TestSql } from './support';

describe.each(ENGINES)('the outbox on %s', (engine) => {
  let db: TestSql;

  beforeAll(async () => {
    db = await openTestSql(engine);
  });
  afterAll(() => db.close());
  beforeEach(() => db.$executeRawUnsafe('TRUNCATE producer.outbox_event'));

  const stored = async () =>
    (await db.rows<OutboxRow>(`SELECT ${OUTBOX_SELECT} FROM producer.outbox_event ORDER BY id`)).map(eventFromRow);

  it('records 1,000 events in one statement and reads them back exactly', async () => {
    const events = makeEvents(1_000);
    const { sql, params } = outboxInsertStatement('producer.outbox_event', events);
    expect(params).toHaveLength(OUTBOX_COLUMNS.length);
    expect(await db.$executeRawUnsafe(sql, ...params)).toBe(1_000);
    expect(await stored()).toEqual(events);
    const [row] = await db.rows<{ unpublished: number }>('SELECT count(*)::int AS unpublished FROM producer.outbox_event WHERE published_at IS NULL AND created_at IS NOT NULL');
    expect(row?.unpublished).toBe(1_000);
  });

  it('embeds in a bigger statement with its parameters numbered from an offset', async () => {
    const events = makeEvents(3);
    const { sql, params } = outboxInsertStatement('producer.outbox_event', events, 2);
    expect(sql).toContain('$2::text[]');
    expect(sql).not.toContain('$1::');
    // The shape of a subgraph's hot path: the change and its events in one round trip.
    const [row] = await db.rows<{ change: string; recorded: number }>(
      `WITH recorded AS (${sql} RETURNING 1) SELECT $1::text AS change, (SELECT count(*)::int FROM recorded) AS recorded`,
      'EE123456785IN delivered',
      ...params,
    );
    expect(row).toEqual({ change: 'EE123456785IN delivered', recorded: 3 });
    expect(await stored()).toEqual(events);
  });

  it('recordEvents writes in the caller transaction: a rollback takes the events with it', async () => {
    const events = makeEvents(5);
    await expect(
      db.$transaction(async (tx) => {
        await recordEvents(tx, 'producer.outbox_event', events);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await stored()).toEqual([]);
    await db.$transaction((tx) => recordEvents(tx, 'producer.outbox_event', events));
    expect(await stored()).toEqual(events);
  });

  it('runs no statement for no events and refuses a bad event before writing', async () => {
    const noStatement: Parameters<typeof recordEvents>[0] = {
      $queryRawUnsafe: () => Promise.reject(new Error('no statement expected')),
      $executeRawUnsafe: () => Promise.reject(new Error('no statement expected')),
    };
    await recordEvents(noStatement, 'producer.outbox_event', []);
    const [event] = makeEvents(1);
    expect(() => outboxInsertStatement('producer.outbox_event', [{ ...event!, type: 'article.>' }])).toThrow(/event type/);
    expect(() => outboxInsertStatement('producer.outbox_event', [{ ...event!, sequence: 1.5 }])).toThrow(/sequence/);
    expect(() => outboxInsertStatement('producer.outbox_event; DROP TABLE x', [event!])).toThrow(/schema\.table/);
  });
});
