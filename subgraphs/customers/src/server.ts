import path from 'node:path';
import type { Viewer } from '@dakgraph/auth';
import { purgeRowsOlderThan, type Database } from '@dakgraph/db';
import { createSubgraph, idempotencyPurgeTask, idempotencyRetentionMs, type Subgraph } from '@dakgraph/graphql-kit';
import { createContext, type CustomersContext, type CustomersSecrets } from './context';
import { createCustomersPrisma, type CustomersPrisma } from './db';
import { importReference } from './import/importReference';
import { resolvers } from './resolvers';
import { LOGIN_WINDOW_SECONDS } from './services/loginThrottle';
import { apiKeyVerifyRoute, customerOwnersRoute, partnerTermsRoute, sessionVerifyRoute } from '@dakgraph/internal-api';
import { apiKeyVerifyHandler } from './routes/apiKeyVerify';
import { bookingPartiesHandler } from './routes/bookingParties';
import { customerOwnersHandler } from './routes/customerOwners';
import { partnerTermsHandler } from './routes/partnerTerms';
import { sessionVerifyHandler } from './routes/sessionVerify';

/** The SDL file, next to src/ and dist/ alike. */
export const CUSTOMERS_SCHEMA_FILE = path.join(__dirname, '..', 'schema.graphql');

export interface CustomersSubgraph extends Subgraph<CustomersContext> {
  prisma: CustomersPrisma;
  /** A request context for `viewer`, as the HTTP layer builds one (tests run operations with it). */
  contextFor(viewer: Viewer): CustomersContext;
}

export interface CustomersSubgraphOptions extends CustomersSecrets {
  /** The secret the gateway signs identities (and internal calls) with. */
  identitySecret: string;
  /** The secret login tokens are signed with (the gateway verifies them with the same one). */
  jwtSecret: string;
  /** Sees every SQL statement (tests count them). */
  onQuery?: (sql: string) => void;
  /** How long idempotency keys are remembered; default IDEMPOTENCY_RETENTION_HOURS (7 days). */
  idempotencyRetentionMs?: number;
}

/**
 * Builds the customers subgraph on an open, prepared database (see prepareCustomersDatabase), with the
 * gateway's internal API-key verification route beside GraphQL. Does not listen (tests call it directly).
 */
export async function createCustomersSubgraph(db: Database, options: CustomersSubgraphOptions): Promise<CustomersSubgraph> {
  const prisma = createCustomersPrisma(db, options.onQuery);
  const secrets: CustomersSecrets = { identitySecret: options.identitySecret, jwtSecret: options.jwtSecret };
  const subgraph = await createSubgraph<CustomersContext>({
    name: 'customers',
    schemaFile: CUSTOMERS_SCHEMA_FILE,
    resolvers,
    identitySecret: options.identitySecret,
    context: async (viewer) => createContext(prisma, viewer, secrets),
    routes: [
      apiKeyVerifyHandler(prisma, options.identitySecret),
      partnerTermsHandler(prisma, options.identitySecret),
      customerOwnersHandler(prisma, options.identitySecret),
      bookingPartiesHandler(prisma, options.identitySecret),
      sessionVerifyHandler(prisma, options.identitySecret),
    ],
    ready: async () => {
      await db.query('SELECT 1');
    },
    housekeeping: [
      idempotencyPurgeTask('customers', options.idempotencyRetentionMs ?? idempotencyRetentionMs(), (before) =>
        purgeRowsOlderThan(db, { table: 'customers.idempotency_record', column: 'created_at', before }),
      ),
      {
        // Failure counts of windows that ended long ago count for nothing; a day's grace keeps this simple.
        name: 'customers login throttle purge',
        everyMs: 3600 * 1000,
        run: () =>
          purgeRowsOlderThan(db, {
            table: 'customers.login_throttle',
            column: 'window_started_at',
            before: new Date(Date.now() - 24 * 3600 * 1000 - LOGIN_WINDOW_SECONDS * 1000),
          }),
      },
    ],
  });
  return { ...subgraph, prisma, contextFor: (viewer) => createContext(prisma, viewer, secrets) };
}

export { CUSTOMERS_SCHEMA, prepareCustomersDatabase } from './database';

// The routes' paths, from their declarations (@dakgraph/internal-api).
export const API_KEY_VERIFY_PATH = apiKeyVerifyRoute.path;
export const CUSTOMER_OWNERS_PATH = customerOwnersRoute.path;
export const PARTNER_TERMS_PATH = partnerTermsRoute.path;
export const SESSION_VERIFY_PATH = sessionVerifyRoute.path;
export { createContext } from './context';
export { importReference };
