import type { Database } from '@dakgraph/db';
import { Prisma, PrismaClient } from './__generated__/prisma/client';

export type CustomersPrisma = PrismaClient;
/** The client inside `prisma.$transaction(async (tx) => ...)`: every write of a mutation goes through one. */
export type CustomersTx = Prisma.TransactionClient;
export type {
  Customer as CustomerRow,
  Address as AddressRow,
  Partner as PartnerRow,
  ApiKey as ApiKeyRow,
  StaffUser as StaffUserRow,
  OfficeRef as OfficeRefRow,
} from './__generated__/prisma/client';
export { Prisma };

/**
 * One Prisma client per process, sharing the database's connections. `onQuery` sees every SQL
 * statement (tests count them to prove batching). Parameters are never passed on: they may be
 * password hashes or key hashes.
 */
export function createCustomersPrisma(db: Database, onQuery?: (sql: string) => void): CustomersPrisma {
  if (!onQuery) return new PrismaClient({ adapter: db.prismaAdapter() });
  const prisma = new PrismaClient({ adapter: db.prismaAdapter(), log: [{ emit: 'event', level: 'query' }] });
  prisma.$on('query', (event) => onQuery(event.query));
  return prisma as unknown as CustomersPrisma;
}

/** Whether `error` is Prisma's unique-constraint violation (P2002), e.g. two sign-ups racing for one email. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
