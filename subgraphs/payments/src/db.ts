import { createPrismaClient, type Database } from '@dakgraph/db';
import { Prisma, PrismaClient } from './__generated__/prisma/client';

export type PaymentsPrisma = PrismaClient;
/** The client inside `prisma.$transaction(async (tx) => ...)`: every write of a mutation goes through one. */
export type PaymentsTx = Prisma.TransactionClient;
export type {
  Payment as PaymentRow,
  Remittance as RemittanceRow,
  CodCollection as CodCollectionRow,
  PaymentMethod,
  PaymentStatus,
  PaymentPurpose,
} from './__generated__/prisma/client';
export { Prisma };

/** The subgraph's Prisma client on `db` (see createPrismaClient; tests pass `onQuery` to count statements). */
export const createPaymentsPrisma = (db: Database, onQuery?: (sql: string) => void): PaymentsPrisma => createPrismaClient(PrismaClient, db, onQuery);
