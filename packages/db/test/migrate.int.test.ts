import { mkdtempSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, migrate, MigrationError, openDatabase, toCopyText, type Database, type TestDatabase } from '../src';

/** The runner on both engines: the embedded PGlite and a fresh database on the PostgreSQL server. */
const engines: [string, () => Promise<{ db: Database; cleanup: () => Promise<void> }>][] = [
  ['PGlite', async () => {
    const db = await openDatabase({});
    return { db, cleanup: () => db.close() };
  }],
  ['PostgreSQL', async () => {
    const server: TestDatabase = await createTestDatabase('dakgraph_db_test');
    const db = await openDatabase({ url: server.url });
    return { db, cleanup: async () => { await db.close(); await server.drop(); } };
  }],
];

describe.each(engines)('migrate() on %s', (_engine, open) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let dir: string;

  beforeEach(async () => {
    ({ db, cleanup } = await open());
    dir = mkdtempSync(path.join(tmpdir(), 'dakgraph-migrations-'));
    writeFileSync(path.join(dir, '0001_bags.sql'), 'CREATE TABLE demo.bag (id text PRIMARY KEY);');
    writeFileSync(path.join(dir, '0002_bag_weight.sql'), 'ALTER TABLE demo.bag ADD COLUMN weight_grams integer;');
  });

  afterEach(async () => {
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies pending files in order, once', async () => {
    expect(await migrate(db, 'demo', dir)).toEqual({ applied: ['0001_bags.sql', '0002_bag_weight.sql'], alreadyApplied: [] });
    expect(await migrate(db, 'demo', dir)).toEqual({ applied: [], alreadyApplied: ['0001_bags.sql', '0002_bag_weight.sql'] });
    writeFileSync(path.join(dir, '0003_bag_seal.sql'), 'ALTER TABLE demo.bag ADD COLUMN seal text;');
    expect((await migrate(db, 'demo', dir)).applied).toEqual(['0003_bag_seal.sql']);
    const columns = await db.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = 'demo' AND table_name = 'bag' ORDER BY ordinal_position",
    );
    expect(columns.map((c) => c.column_name)).toEqual(['id', 'weight_grams', 'seal']);
  });

  it('refuses to run when an applied file has changed', async () => {
    await migrate(db, 'demo', dir);
    writeFileSync(path.join(dir, '0001_bags.sql'), 'CREATE TABLE demo.bag (id text PRIMARY KEY, extra int);');
    await expect(migrate(db, 'demo', dir)).rejects.toThrow(/0001_bags.sql was changed after it was applied/);
  });

  it('refuses to run when an applied file is missing', async () => {
    await migrate(db, 'demo', dir);
    unlinkSync(path.join(dir, '0002_bag_weight.sql'));
    await expect(migrate(db, 'demo', dir)).rejects.toThrow(MigrationError);
  });

  it('leaves nothing behind when a file fails', async () => {
    writeFileSync(path.join(dir, '0003_broken.sql'), 'ALTER TABLE demo.no_such_table ADD COLUMN x int;');
    await expect(migrate(db, 'demo', dir)).rejects.toThrow(/0003_broken.sql failed/);
    const tables = await db.query("SELECT 1 FROM information_schema.tables WHERE table_schema = 'demo' AND table_name = 'bag'");
    expect(tables).toHaveLength(0);
  });

  it('rejects badly named files before touching the database', async () => {
    writeFileSync(path.join(dir, 'add-things.sql'), 'SELECT 1;');
    await expect(migrate(db, 'demo', dir)).rejects.toThrow(/NNNN_lower_snake_case/);
  });

  it('lets two runners race without applying anything twice', async () => {
    const results = await Promise.all([migrate(db, 'demo', dir), migrate(db, 'demo', dir)]);
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, 2]);
  });

  it('bulk-loads rows with COPY, escaping tabs, newlines, backslashes and nulls', async () => {
    await migrate(db, 'demo', dir);
    const rows = [['EE1', 10], ['tab\there', null], ['line\nbreak \\ slash', 3]];
    await db.copyFrom('demo.bag', ['id', 'weight_grams'], toCopyText(rows));
    const loaded = await db.query<{ id: string; weight_grams: number | null }>('SELECT id, weight_grams FROM demo.bag ORDER BY weight_grams NULLS FIRST');
    expect(loaded).toEqual([
      { id: 'tab\there', weight_grams: null },
      { id: 'line\nbreak \\ slash', weight_grams: 3 },
      { id: 'EE1', weight_grams: 10 },
    ]);
  });
});

describe('the embedded database folder', () => {
  it('is opened by one process at a time, and released on close', async () => {
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'dakgraph-pglite-')), 'db');
    const first = await openDatabase({ dataDir });
    // A lock held by another live process (our parent stands in for `npm start`).
    writeFileSync(`${dataDir}.lock`, String(process.ppid));
    await expect(openDatabase({ dataDir })).rejects.toThrow(/open in another process \(PID \d+/);
    writeFileSync(`${dataDir}.lock`, String(process.pid));
    await first.close();
    const again = await openDatabase({ dataDir });
    await again.close();
  }, 60_000);

  it('takes over a stale lock left by a process that is gone', async () => {
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'dakgraph-pglite-')), 'db');
    writeFileSync(`${dataDir}.lock`, '999999999');
    const db = await openDatabase({ dataDir });
    await db.close();
  }, 60_000);
});
