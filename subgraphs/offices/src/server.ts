import path from 'node:path';
import { migrate, migrationsDir, type Database } from '@dakgraph/db';
import { createSubgraph, type Subgraph } from '@dakgraph/graphql-kit';
import { createContext, type OfficesContext } from './context';
import { createOfficesPrisma, type OfficesPrisma } from './db';
import { importOffices, type ImportOptions } from './import/importOffices';
import { resolvers } from './resolvers';

/** The SDL file, next to src/ and dist/ alike. */
export const OFFICES_SCHEMA_FILE = path.join(__dirname, '..', 'schema.graphql');
export const OFFICES_SCHEMA = 'offices';

export interface OfficesSubgraph extends Subgraph<OfficesContext> {
  prisma: OfficesPrisma;
}

/** Builds the offices subgraph on an open, migrated database. Does not listen (tests call it directly). */
export interface OfficesSubgraphOptions {
  /** The secret the gateway signs identities with. */
  identitySecret: string;
  /** Sees every SQL statement (tests count them). */
  onQuery?: (sql: string) => void;
}

export async function createOfficesSubgraph(db: Database, options: OfficesSubgraphOptions): Promise<OfficesSubgraph> {
  const prisma = createOfficesPrisma(db, options.onQuery);
  const subgraph = await createSubgraph<OfficesContext>({
    name: 'offices',
    schemaFile: OFFICES_SCHEMA_FILE,
    resolvers,
    identitySecret: options.identitySecret,
    context: async (viewer) => createContext(prisma, viewer),
    ready: async () => {
      await db.query('SELECT 1');
    },
  });
  return { ...subgraph, prisma };
}

/** Brings the database up to date for this subgraph: migrations, then the directory import if it changed. */
export async function prepareOfficesDatabase(db: Database, options: ImportOptions = {}): Promise<void> {
  await migrate(db, OFFICES_SCHEMA, migrationsDir(OFFICES_SCHEMA));
  await importOffices(db, options);
}

export { createContext } from './context';
export { importOffices };
