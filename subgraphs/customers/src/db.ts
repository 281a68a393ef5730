import { createPrismaClient, type Database } from '@dakgraph/db';
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
  WebhookEndpoint as WebhookEndpointRow,
  WebhookDelivery as WebhookDeliveryRow,
  WebhookAttempt as WebhookAttemptRow,
} from './__generated__/prisma/client';
export { Prisma };

/** The subgraph's Prisma client on `db` (see createPrismaClient; tests pass `onQuery` to count statements). */
export const createCustomersPrisma = (db: Database, onQuery?: (sql: string) => void): CustomersPrisma => createPrismaClient(PrismaClient, db, onQuery);
