import { openDatabase, replaceSnapshot, type Database, type SnapshotTable } from '../src';

describe('replaceSnapshot', () => {
  let db: Database;
  const tables = (names: string[]): SnapshotTable[] => [
    { table: 'ref.pincode', columns: ['code', 'name'], rows: names.map((name, i) => [`11000${i}`, name]) },
  ];

  beforeAll(async () => {
    db = await openDatabase({});
    await db.exec(`CREATE SCHEMA ref;
      CREATE TABLE ref.pincode (code text PRIMARY KEY, name text NOT NULL);
      CREATE TABLE ref.import_run (source text PRIMARY KEY, checksum text NOT NULL, office_count int NOT NULL, imported_at timestamptz NOT NULL);`);
  });

  afterAll(async () => {
    await db.close();
  });

  const names = async () => (await db.query<{ name: string }>('SELECT name FROM ref.pincode ORDER BY code')).map((r) => r.name);
  const load = (list: string[], force = false) =>
    replaceSnapshot(db, { source: 'test', recordTable: 'ref.import_run', officeCount: list.length, tables: tables(list), force });

  it('loads, skips the same data, and replaces changed data whole', async () => {
    expect((await load(['Parliament Street', 'Sansad Marg'])).skipped).toBe(false);
    expect((await load(['Parliament Street', 'Sansad Marg'])).skipped).toBe(true);
    expect((await load(['Parliament Street', 'Sansad Marg'], true)).skipped).toBe(false);
    expect((await load(['Janpath'])).skipped).toBe(false);
    expect(await names()).toEqual(['Janpath']);
  });

  it('keeps the old copy when the new one cannot load', async () => {
    const before = await names();
    const duplicate: SnapshotTable[] = [{ table: 'ref.pincode', columns: ['code', 'name'], rows: [['1', 'a'], ['1', 'b']] }];
    await expect(replaceSnapshot(db, { source: 'test', recordTable: 'ref.import_run', officeCount: 2, tables: duplicate })).rejects.toThrow();
    expect(await names()).toEqual(before);
  });
});
