import path from 'node:path';
import type { Viewer } from '@dakgraph/auth';
import { purgeRowsOlderThan, type Database } from '@dakgraph/db';
import { consumeIdempotently, eventRetentionMs, processedEventsPurgeTask, type ConsumerHandle, type EventTransport } from '@dakgraph/events';
import { createSubgraph, idempotencyPurgeTask, idempotencyRetentionMs, type BackgroundWorker, type Subgraph } from '@dakgraph/graphql-kit';
import { createContext, WEBHOOKS_UNCONFIGURED, type CustomersContext, type CustomersSecrets, type WebhookSettings } from './context';
import { createCustomersPrisma, type CustomersPrisma, type CustomersTx } from './db';
import { importReference } from './import/importReference';
import { resolvers } from './resolvers';
import { LOGIN_WINDOW_SECONDS } from './services/loginThrottle';
import { createWebhookDispatcher, type WebhookDispatcherOptions } from './services/webhookDispatcher';
import { handleArticleEvent, WEBHOOK_EVENT_TYPES } from './services/webhookEvents';
import { parseWebhookSecretKey } from './services/webhookSecrets';
import type { HostResolver } from './services/webhookTargets';
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
  /**
   * WEBHOOK_SECRET_KEY: 32 bytes in base64, the key partners' webhook signing secrets are encrypted with
   * (the webhook dispatcher needs the same one). A malformed key refuses to start. Without one, registering
   * an endpoint and rotating a secret answer SERVICE_UNAVAILABLE and everything else works (src/index.ts
   * refuses to start without it; hosts that build the subgraph themselves pass it).
   */
  webhookSecretKey?: string;
  /** Production rules for webhook URLs (https only, public addresses only); default NODE_ENV === 'production'. */
  webhookProduction?: boolean;
  /** How webhook hosts are resolved when checked; default DNS (tests pass their own). */
  resolveWebhookHost?: HostResolver;
  /**
   * Where article events arrive from (NATS JetStream, or in-process in the embedded mode): with one, the
   * webhook consumer queues partners' deliveries while the subgraph listens.
   */
  events?: EventTransport;
  /**
   * Runs the webhook dispatcher inside this process while it listens (the embedded mode, where no other
   * process may open the database); in production it runs as its own process (npm run dispatch-webhooks).
   * Needs webhookSecretKey. The options are the dispatcher's (retry schedule, concurrency, ...).
   */
  dispatchWebhooks?: Omit<WebhookDispatcherOptions, 'prisma' | 'secretKey' | 'production'> | boolean;
  /** How long handled-event records are kept; default EVENT_RETENTION_HOURS (7 days). */
  eventRetentionMs?: number;
}

/** The durable consumer that turns article events into partners' webhook deliveries. */
export const WEBHOOK_CONSUMER = 'customers-webhooks';

/**
 * Builds the customers subgraph on an open, prepared database (see prepareCustomersDatabase), with the
 * gateway's internal API-key verification route beside GraphQL. Does not listen (tests call it directly).
 */
export async function createCustomersSubgraph(db: Database, options: CustomersSubgraphOptions): Promise<CustomersSubgraph> {
  const prisma = createCustomersPrisma(db, options.onQuery);
  const secrets: CustomersSecrets = { identitySecret: options.identitySecret, jwtSecret: options.jwtSecret };
  const webhooks: WebhookSettings = {
    secretKey: options.webhookSecretKey === undefined ? null : parseWebhookSecretKey(options.webhookSecretKey, 'webhookSecretKey (WEBHOOK_SECRET_KEY)'),
    production: options.webhookProduction ?? WEBHOOKS_UNCONFIGURED.production,
    resolve: options.resolveWebhookHost ?? WEBHOOKS_UNCONFIGURED.resolve,
  };
  const workers: BackgroundWorker[] = [];
  if (options.events) workers.push(webhookConsumerWorker(prisma, options.events));
  if (options.dispatchWebhooks) {
    if (options.webhookSecretKey === undefined) throw new Error('dispatchWebhooks needs webhookSecretKey (WEBHOOK_SECRET_KEY)');
    const dispatcher = createWebhookDispatcher({
      ...(options.dispatchWebhooks === true ? {} : options.dispatchWebhooks),
      prisma,
      secretKey: options.webhookSecretKey,
      production: webhooks.production,
    });
    workers.push({ name: 'customers webhook dispatcher', start: () => dispatcher.start(), stop: () => dispatcher.stop() });
  }
  const subgraph = await createSubgraph<CustomersContext>({
    name: 'customers',
    schemaFile: CUSTOMERS_SCHEMA_FILE,
    resolvers,
    identitySecret: options.identitySecret,
    context: async (viewer) => createContext(prisma, viewer, secrets, webhooks),
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
      processedEventsPurgeTask('customers processed-event purge', {
        db: prisma,
        table: 'customers.processed_event',
        retentionMs: options.eventRetentionMs ?? eventRetentionMs(),
      }),
    ],
    workers,
  });
  return { ...subgraph, prisma, contextFor: (viewer) => createContext(prisma, viewer, secrets, webhooks) };
}

/**
 * Consumes article and payment events into webhook deliveries: each event once (idempotentConsumer records it in
 * customers.processed_event in the transaction that queues its deliveries), whatever the redeliveries.
 */
function webhookConsumerWorker(prisma: CustomersPrisma, transport: EventTransport): BackgroundWorker {
  let consumer: ConsumerHandle | null = null;
  return {
    name: 'customers webhook consumer',
    async start() {
      consumer = await consumeIdempotently<CustomersTx>(transport, {
        db: prisma,
        processedTable: 'customers.processed_event',
        consumer: WEBHOOK_CONSUMER,
        types: WEBHOOK_EVENT_TYPES,
        handle: handleArticleEvent,
      });
    },
    async stop() {
      await consumer?.stop();
      consumer = null;
    },
  };
}

export { CUSTOMERS_SCHEMA, prepareCustomersDatabase } from './database';

// The routes' paths, from their declarations (@dakgraph/internal-api).
export const API_KEY_VERIFY_PATH = apiKeyVerifyRoute.path;
export const CUSTOMER_OWNERS_PATH = customerOwnersRoute.path;
export const PARTNER_TERMS_PATH = partnerTermsRoute.path;
export const SESSION_VERIFY_PATH = sessionVerifyRoute.path;
export { createContext } from './context';
// Webhooks for partners: the events consumer's effect and the dispatcher, for the processes that run them.
export { handleArticleEvent, WEBHOOK_EVENT_TYPES, type ArticleEventPayloadV1, type DomainEvent } from './services/webhookEvents';
export { createWebhookDispatcher, type WebhookDispatcher, type WebhookDispatcherOptions } from './services/webhookDispatcher';
export { checkWebhookTarget } from './services/webhookTargets';
export { parseWebhookSecretKey, WEBHOOK_SECRET_KEY_ENV } from './services/webhookSecrets';
export { importReference };
