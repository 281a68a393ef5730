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

export { insertRowsStatement, type BulkColumn } from '@dakgraph/db';
