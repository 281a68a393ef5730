import { createPrismaClient, type Database } from '@dakgraph/db';
import { Prisma, PrismaClient } from './__generated__/prisma/client';

export type ArticlesPrisma = PrismaClient;
/** The client inside `prisma.$transaction(async (tx) => ...)`: every write of a mutation goes through one. */
export type ArticlesTx = Prisma.TransactionClient;
export type {
  Article as ArticleRow,
  TrackingEvent as TrackingEventRow,
  OfficeRef as OfficeRefRow,
  PincodeRef as PincodeRefRow,
} from './__generated__/prisma/client';
export { Prisma };

/** The subgraph's Prisma client on `db` (see createPrismaClient; tests pass `onQuery` to count statements). */
export const createArticlesPrisma = (db: Database, onQuery?: (sql: string) => void): ArticlesPrisma => createPrismaClient(PrismaClient, db, onQuery);

/**
 * PGlite crashes on a statement with more than 32,767 parameters; statements that bind a parameter
 * per value (the UPDATE ... FROM (VALUES ...) of tracking) are cut into chunks of at most this many.
 */
export const MAX_PARAMETERS_PER_STATEMENT = 30_000;

/** Splits rows into chunks that each stay under the parameter limit at `columns` parameters a row. */
export function chunksFor<Row>(rows: readonly Row[], columns: number): Row[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMETERS_PER_STATEMENT / columns));
  const chunks: Row[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}

/** One column of a bulk insert: its name, its SQL type, and how to read it from a row. */
export interface BulkColumn<Row> {
  column: string;
  /** A trusted SQL type from our own code, e.g. 'int', 'jsonb', 'articles."ArticleStatus"'. */
  type: string;
  value: (row: Row) => unknown;
}

/** A value as text for a text[] parameter; Postgres parses it back exactly (floats round-trip). */
function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Inserts many rows in one statement, `INSERT ... SELECT ... FROM unnest($1::text[], $2::text[], ...)`:
 * one array parameter per column whatever the number of rows, so it never nears PGlite's parameter
 * limit and needs no chunking. Prisma's createMany would also be one multi-row statement, but building
 * it costs its client 0.7-1.1 s of CPU for 1,000 articles (measured), against about 0.1 s for this.
 * `table` and the columns come from our own code, never from a client.
 */
export async function insertRows<Row>(tx: ArticlesTx, table: string, columns: readonly BulkColumn<Row>[], rows: readonly Row[]): Promise<void> {
  if (!rows.length) return;
  const { sql, params } = insertRowsStatement(table, columns, rows);
  await tx.$executeRawUnsafe(sql, ...params);
}

/**
 * The statement insertRows runs, with its parameters numbered from `firstParameter`, so that callers can
 * put several inserts in one statement (data-modifying CTEs) and save round trips on hot paths.
 */
export function insertRowsStatement<Row>(
  table: string,
  columns: readonly BulkColumn<Row>[],
  rows: readonly Row[],
  firstParameter = 1,
): { sql: string; params: (string | null)[][] } {
  const names = columns.map((c) => c.column).join(', ');
  const selected = columns.map((c, i) => `u.c${i}::${c.type}`).join(', ');
  const arrays = columns.map((_, i) => `$${i + firstParameter}::text[]`).join(', ');
  const aliases = columns.map((_, i) => `c${i}`).join(', ');
  return {
    sql: `INSERT INTO ${table} (${names}) SELECT ${selected} FROM unnest(${arrays}) AS u(${aliases})`,
    params: columns.map((c) => rows.map((row) => asText(c.value(row)))),
  };
}
