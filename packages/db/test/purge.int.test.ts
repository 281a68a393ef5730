import { createTestDatabase, openDatabase, purgeRowsOlderThan, type Database, type TestDatabase } from '../src';

const HOUR = 3600 * 1000;

// The same purge on both engines: embedded PGlite and the PostgreSQL server.
describe.each(['pglite', 'postgres'] as const)('purgeRowsOlderThan on %s', (engine) => {
  let db: Database;
  let server: TestDatabase | undefined;
  const now = new Date('2026-11-25T12:00:00Z');

  beforeAll(async () => {
    server = engine === 'postgres' ? await createTestDatabase('dakgraph_purge') : undefined;
    db = await openDatabase({ url: server?.url });
    await db.exec(`CREATE SCHEMA counter;
      CREATE TABLE counter.idempotency_record (principal text, "key" text, created_at timestamptz NOT NULL, PRIMARY KEY (principal, "key"));`);
  });

  afterAll(async () => {
    await db.close();
    await server?.drop();
  });

  async function seed(ageHours: number[]): Promise<void> {
    await db.exec('TRUNCATE counter.idempotency_record');
    for (const [i, age] of ageHours.entries()) {
      await db.query('INSERT INTO counter.idempotency_record VALUES ($1, $2, $3)', ['staff:1', `key-${i}`, new Date(now.getTime() - age * HOUR)]);
    }
  }
  const keys = async () =>
    (await db.query<{ key: string }>('SELECT "key" FROM counter.idempotency_record ORDER BY "key"')).map((row) => row.key);

  it('deletes exactly the rows older than the cut-off, over several batches', async () => {
    // 12 expired rows in batches of 5: three statements (5, 5, 2); the 3 fresh rows and the one exactly
    // at the cut-off stay.
    await seed([...Array.from({ length: 12 }, (_, i) => 200 + i), 1, 2, 3, 168]);
    const deleted = await purgeRowsOlderThan(db, {
      table: 'counter.idempotency_record',
      column: 'created_at',
      before: new Date(now.getTime() - 168 * HOUR),
      batchSize: 5,
    });
    expect(deleted).toBe(12);
    expect(await keys()).toEqual(['key-12', 'key-13', 'key-14', 'key-15']);
  });

  it('deletes nothing when nothing has expired', async () => {
    await seed([1, 2]);
    expect(await purgeRowsOlderThan(db, { table: 'counter.idempotency_record', column: 'created_at', before: new Date(now.getTime() - HOUR * 24) })).toBe(0);
    expect(await keys()).toHaveLength(2);
  });

  it('refuses a table or column that is not a plain identifier (they are spliced into SQL)', async () => {
    await expect(
      purgeRowsOlderThan(db, { table: 'counter.idempotency_record; DROP TABLE x', column: 'created_at', before: now }),
    ).rejects.toThrow(/schema\.table/);
    await expect(purgeRowsOlderThan(db, { table: 'counter.idempotency_record', column: 'created_at"', before: now })).rejects.toThrow();
    await expect(purgeRowsOlderThan(db, { table: 'idempotency_record', column: 'created_at', before: now })).rejects.toThrow();
  });
});
