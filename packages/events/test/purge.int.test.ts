import { eventRetentionMs, outboxPurgeTask, processedEventsPurgeTask, recordEvents } from '../src';
import { ENGINES, makeEvents, openTestSql, type TestSql } from './support';

const HOUR = 3600 * 1000;

describe.each(ENGINES)('the event purges on %s', (engine) => {
  let db: TestSql;
  const now = Date.parse('2026-11-25T12:00:00Z');

  beforeAll(async () => {
    db = await openTestSql(engine, ['producer']);
  });
  afterAll(() => db.close());

  it('deletes only published events published longer ago than the retention, in batches', async () => {
    const events = makeEvents(20);
    await db.$transaction((tx) => recordEvents(tx, 'producer.outbox_event', events));
    // 12 published 200+ hours ago, 3 an hour ago, 1 exactly at the cut-off, 4 never published (one of them
    // created long ago: an old unpublished event is still owed to its consumers).
    const ages = [...Array.from({ length: 12 }, (_, i) => 200 + i), 1, 2, 3, 168];
    for (const [i, age] of ages.entries()) {
      await db.$executeRawUnsafe('UPDATE producer.outbox_event SET published_at = $1::timestamptz WHERE id = $2::uuid', new Date(now - age * HOUR).toISOString(), events[i]!.id);
    }
    await db.$executeRawUnsafe(`UPDATE producer.outbox_event SET created_at = now() - interval '400 days' WHERE id = $1::uuid`, events[19]!.id);
    const statements: string[] = [];
    const counting = {
      $queryRawUnsafe: <T>(sql: string, ...values: unknown[]) => {
        statements.push(sql);
        return db.$queryRawUnsafe<T>(sql, ...values);
      },
      $executeRawUnsafe: (sql: string, ...values: unknown[]) => db.$executeRawUnsafe(sql, ...values),
    };
    const task = outboxPurgeTask('articles event purge', { db: counting, table: 'producer.outbox_event', retentionMs: 168 * HOUR, batchSize: 5, now: () => now });
    expect(task.everyMs).toBe(HOUR);
    expect(await task.run()).toBe(12);
    expect(statements).toHaveLength(3); // 5, 5, 2
    const left = await db.rows<{ id: string }>('SELECT id::text AS id FROM producer.outbox_event ORDER BY id');
    expect(left.map((row) => row.id)).toEqual(events.slice(12).map((event) => event.id));
    expect(await task.run()).toBe(0);
  });

  it('forgets handled-event records older than the retention', async () => {
    const events = makeEvents(4);
    for (const [i, age] of [300, 200, 2, 1].entries()) {
      await db.$executeRawUnsafe(
        'INSERT INTO producer.processed_event (consumer, event_id, processed_at) VALUES ($1, $2::uuid, $3::timestamptz)',
        'webhooks',
        events[i]!.id,
        new Date(now - age * HOUR).toISOString(),
      );
    }
    const task = processedEventsPurgeTask('customers processed-event purge', { db, table: 'producer.processed_event', retentionMs: 168 * HOUR, now: () => now });
    expect(await task.run()).toBe(2);
    const left = await db.rows<{ id: string }>('SELECT event_id::text AS id FROM producer.processed_event ORDER BY event_id');
    expect(left.map((row) => row.id)).toEqual(events.slice(2).map((event) => event.id));
  });

  it('refuses a table that is not a plain schema.table', async () => {
    const task = outboxPurgeTask('bad', { db, table: 'producer.outbox_event; DROP TABLE x', retentionMs: HOUR });
    await expect(task.run()).rejects.toThrow(/schema\.table/);
  });
});

describe('eventRetentionMs', () => {
  it('reads EVENT_RETENTION_HOURS, a week by default', () => {
    expect(eventRetentionMs({})).toBe(168 * HOUR);
    expect(eventRetentionMs({ EVENT_RETENTION_HOURS: ' ' })).toBe(168 * HOUR);
    expect(eventRetentionMs({ EVENT_RETENTION_HOURS: '48' })).toBe(48 * HOUR);
    for (const bad of ['0', '-1', '1.5', '8761', 'week']) expect(() => eventRetentionMs({ EVENT_RETENTION_HOURS: bad })).toThrow(/EVENT_RETENTION_HOURS/);
  });
});
