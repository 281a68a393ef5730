import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Integration tests run against the real PostgreSQL server, each run in a database of its own,
 * created here and dropped afterwards. TEST_DATABASE_ADMIN_URL points at any database on the server
 * from which we may create others.
 */
export const adminUrl = (): string =>
  process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

const urlOf = (name: string): string => {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
};

export interface TestDatabaseOptions {
  /** A database to copy (PostgreSQL's CREATE DATABASE ... TEMPLATE), e.g. one from preparedTemplate. */
  template?: string;
}

export async function createTestDatabase(prefix = 'dakgraph_test', options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}"${options.template ? ` TEMPLATE "${options.template}"` : ''}`));
  return {
    url: urlOf(name),
    drop: () => withAdmin(async (admin) => void (await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  };
}

/**
 * A database prepared once and copied by every test that needs the same start: migrating every schema and
 * copying the office directory into each subgraph's tables takes a test graph 15-25 s, a copy of the
 * prepared database one or two. Named by `prefix` and a hash of `version` (what the preparation depends
 * on: the migrations, the directory's version), so a change makes a new one and the old ones are dropped.
 * Concurrent test processes wait on an advisory lock while the first prepares it. Callers still run their
 * own preparation on the copy (it finds nothing to do), so a stale template can only cost time.
 */
export async function preparedTemplate(prefix: string, version: string, prepare: (url: string) => Promise<void>): Promise<string> {
  const name = `${prefix}_${createHash('sha256').update(version).digest('hex').slice(0, 16)}`;
  return withAdmin(async (admin) => {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [prefix]);
    try {
      const [found] = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rows;
      if (found) return name;
      // Prepared under another name and renamed when done: a crash halfway leaves no half-made template.
      const building = `${name}_building`;
      await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${building}"`);
      await prepare(urlOf(building));
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      const stale = (await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1 AND datname <> $2`, [`${prefix}\\_%`, name])).rows as { datname: string }[];
      for (const { datname } of stale) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      return name;
    } finally {
      await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [prefix]);
    }
  });
}
