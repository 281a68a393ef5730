import { createPrismaClient, type Database } from '@dakgraph/db';
import { Prisma, PrismaClient } from './__generated__/prisma/client';

export type AnalyticsPrisma = PrismaClient;
/** The client inside `prisma.$transaction(async (tx) => ...)`: each event's rollup writes go through one. */
export type AnalyticsTx = Prisma.TransactionClient;
export type { OfficeRef as OfficeRefRow } from './__generated__/prisma/client';
export { Prisma };

/** The subgraph's Prisma client on `db` (see createPrismaClient; tests pass `onQuery` to count statements). */
export const createAnalyticsPrisma = (db: Database, onQuery?: (sql: string) => void): AnalyticsPrisma => createPrismaClient(PrismaClient, db, onQuery);
