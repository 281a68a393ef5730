import { createTestDatabase, openDatabase, type Database } from '@dakgraph/db';
import type { GraphQLFormattedError } from 'graphql';
import { createOfficesSubgraph, prepareOfficesDatabase, type OfficesSubgraph } from '../src/server';
import { createContext } from '../src/context';
import { PUBLIC_VIEWER } from '@dakgraph/auth';

export const TEST_IDENTITY_SECRET = 'offices-test-identity-secret-0123456789abcdef';

/** A loaded offices subgraph on one engine, with a counter of the SQL statements it runs. */
export interface OfficesHarness {
  db: Database;
  subgraph: OfficesSubgraph;
  queries: string[];
  run(query: string, variables?: Record<string, unknown>): Promise<{ data?: any; errors?: readonly GraphQLFormattedError[] }>;
  close(): Promise<void>;
}

export const ENGINES = ['PGlite', 'PostgreSQL'] as const;

export async function startOffices(engine: (typeof ENGINES)[number]): Promise<OfficesHarness> {
  const server = engine === 'PostgreSQL' ? await createTestDatabase('dakgraph_offices_test') : null;
  const db = await openDatabase(server ? { url: server.url } : {});
  await prepareOfficesDatabase(db, { progress: false, log: () => undefined });
  const queries: string[] = [];
  const subgraph = await createOfficesSubgraph(db, { identitySecret: TEST_IDENTITY_SECRET, onQuery: (sql) => queries.push(sql) });
  return {
    db,
    subgraph,
    queries,
    async run(query, variables) {
      const response = await subgraph.apollo.executeOperation(
        { query, variables },
        { contextValue: createContext(subgraph.prisma, PUBLIC_VIEWER) },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return response.body.singleResult as { data?: any; errors?: readonly GraphQLFormattedError[] };
    },
    async close() {
      await subgraph.apollo.stop();
      await subgraph.prisma.$disconnect();
      await db.close();
      await server?.drop();
    },
  };
}

export const codesOf = (result: { errors?: readonly GraphQLFormattedError[] }) =>
  (result.errors ?? []).map((error) => error.extensions?.code);
