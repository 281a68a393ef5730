import type { SqlDriverAdapterFactory } from '@prisma/client/runtime/client';
import type { Database } from './database';

/** What every subgraph's generated PrismaClient constructor accepts from us. */
export interface PrismaClientOptions {
  adapter: SqlDriverAdapterFactory;
  log?: { emit: 'event'; level: 'query' }[];
}

/** A client built with query events on: Prisma types `$on('query')` only when the log option is in the type. */
interface QueryEvents {
  $on(event: 'query', listener: (event: { query: string }) => void): unknown;
}

/**
 * One Prisma client per process for a subgraph's generated `PrismaClient`, sharing the database's
 * connections. `onQuery` sees every SQL statement (tests count them to prove batching); parameters are
 * never passed on: they hold personal data, password hashes and key hashes.
 */
export function createPrismaClient<Client>(
  PrismaClient: new (options: PrismaClientOptions) => Client,
  db: Database,
  onQuery?: (sql: string) => void,
): Client {
  if (!onQuery) return new PrismaClient({ adapter: db.prismaAdapter() });
  const client = new PrismaClient({ adapter: db.prismaAdapter(), log: [{ emit: 'event', level: 'query' }] });
  // The generated type leaves `$on('query')` out unless the log option is part of the client's type
  // parameters; the event is there at run time because the option is.
  (client as unknown as QueryEvents).$on('query', (event) => onQuery(event.query));
  return client;
}
