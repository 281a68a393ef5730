import path from 'node:path';
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { PGlite, type Extension } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import pg from 'pg';
import type { SqlDriverAdapterFactory } from '@prisma/client/runtime/client';

/** The SQL the migration runner and bulk loaders need, the same on both engines. */
export interface SqlSession {
  /** Runs a script of one or more statements, without parameters. */
  exec(sql: string): Promise<void>;
  /** Runs one statement with `$1`-style parameters and returns its rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /**
   * Loads rows with COPY (tab-separated text format); the fastest bulk path on both engines.
   * `table` and `columns` are trusted identifiers from our own code.
   */
  copyFrom(table: string, columns: string[], text: string): Promise<void>;
}

export interface Database extends SqlSession {
  readonly kind: 'pglite' | 'postgres';
  /** A human-readable description for logs (never includes a password). */
  readonly description: string;
  /** Runs `fn` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
  /** A Prisma driver adapter sharing this database's connections. */
  prismaAdapter(): SqlDriverAdapterFactory;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** A postgres:// URL: use that server. */
  url?: string;
  /** Otherwise an embedded PGlite database persisted in this folder (in memory when omitted). */
  dataDir?: string;
  /** Connections in the pool (server only). */
  poolSize?: number;
}

/** Opens the server named by `url`, or else the embedded PGlite database in `dataDir`. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  return options.url ? openPostgres(options.url, options.poolSize) : openPGlite(options.dataDir);
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres (unparseable URL)';
  }
}

async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, allowExitOnIdle: true });
  // An idle client that loses its server emits 'error' on the pool; without a listener Node exits.
  pool.on('error', (error) => console.error('[db] idle connection error:', error.message));
  await pool.query('select 1');

  const session = (client: pg.Pool | pg.PoolClient): SqlSession => ({
    async exec(sql) {
      await client.query(sql);
    },
    async query<Row>(sql: string, params: unknown[] = []) {
      const result = await client.query(sql, params);
      return result.rows as Row[];
    },
    async copyFrom(table, columns, text) {
      const { from } = await import('pg-copy-streams');
      const { pipeline } = await import('node:stream/promises');
      const { Readable } = await import('node:stream');
      const connection = 'release' in client ? client : await client.connect();
      try {
        const sink = connection.query(from(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
        await pipeline(Readable.from([text]), sink);
      } finally {
        if (connection !== client) (connection as pg.PoolClient).release();
      }
    },
  });

  return {
    kind: 'postgres',
    description: `PostgreSQL at ${redact(url)}`,
    ...session(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(session(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    prismaAdapter: () => new PrismaPg(pool),
    close: () => pool.end(),
  };
}

// PGlite's contrib entry points ship CommonJS builds but only ESM-flavoured type declarations,
// which TypeScript refuses to `import` from CommonJS; require them and name their type ourselves.
/* eslint-disable @typescript-eslint/no-require-imports */
const contrib = {
  pg_trgm: (require('@electric-sql/pglite/contrib/pg_trgm') as { pg_trgm: Extension }).pg_trgm,
  cube: (require('@electric-sql/pglite/contrib/cube') as { cube: Extension }).cube,
  earthdistance: (require('@electric-sql/pglite/contrib/earthdistance') as { earthdistance: Extension }).earthdistance,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * PGlite is one process's database: a second process opening the same folder would not see the first
 * one's writes and could corrupt the files. A lock file beside the folder, holding the owner's PID,
 * turns that into a clear error (a stale lock from a crashed process is taken over).
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = `${path.resolve(dataDir)}.lock`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          unlinkSync(lockFile);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockFile, 'utf8'));
      let alive = false;
      try {
        alive = Number.isInteger(owner) && owner > 0 && (process.kill(owner, 0), true);
      } catch {
        alive = false;
      }
      if (alive) {
        throw new Error(
          `The embedded database in ${path.resolve(dataDir)} is open in another process (PID ${owner}, probably ` +
            '`npm start`). Stop that process first, or set DATABASE_URL to use a PostgreSQL server.',
        );
      }
      unlinkSync(lockFile); // stale: its owner is gone
    }
  }
  throw new Error(`Could not lock the embedded database in ${dataDir}`);
}

async function openPGlite(dataDir?: string): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const unlock = dataDir ? lockDataDir(dataDir) : () => undefined;
  // The options-object form: with a positional `undefined` dataDir, PGlite ignores the options.
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({ ...(dataDir ? { dataDir: path.resolve(dataDir) } : {}), extensions: contrib });
  } catch (error) {
    unlock();
    throw error;
  }

  type Queryable = Pick<PGlite, 'exec' | 'query'>;
  const session = (client: Queryable): SqlSession => ({
    async exec(sql) {
      await client.exec(sql);
    },
    async query<Row>(sql: string, params: unknown[] = []) {
      const result = await client.query<Row>(sql, params);
      return result.rows;
    },
    async copyFrom(table, columns, text) {
      // PGlite reads COPY input from a virtual file backed by the given blob.
      await client.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], {
        blob: new Blob([text]),
      });
    },
  });

  return {
    kind: 'pglite',
    description: dataDir ? `embedded PGlite in ${path.resolve(dataDir)}` : 'embedded PGlite in memory',
    ...session(pglite),
    transaction: (fn) => pglite.transaction((tx) => fn(session(tx))),
    prismaAdapter: () => new PrismaPGlite(pglite),
    async close() {
      await pglite.close();
      unlock();
    },
  };
}

/** Encodes one value for COPY's text format. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** Renders rows as COPY text: one line a row, tab between columns, \N for null. */
export function toCopyText(rows: readonly (readonly unknown[])[]): string {
  let out = '';
  for (const row of rows) out += row.map(copyValue).join('\t') + '\n';
  return out;
}
