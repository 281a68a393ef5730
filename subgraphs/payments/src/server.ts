import path from 'node:path';
import { migrate, migrationsDir, purgeRowsOlderThan, type Database } from '@dakgraph/db';
import {
  createOutboxRelay,
  eventRetentionMs,
  outboxPurgeTask,
  processedEventsPurgeTask,
  type ConsumerHandle,
  type EventLogger,
  type EventTransport,
  type OutboxRelay,
} from '@dakgraph/events';
import { createSubgraph, idempotencyPurgeTask, idempotencyRetentionMs, wholeNumberFromEnv, wholeNumberOption, type BackgroundWorker, type Subgraph } from '@dakgraph/graphql-kit';
import { createContext, type PaymentsContext, type PaymentsDependencies } from './context';
import { createPaymentsPrisma, type PaymentsPrisma } from './db';
import { checkPayee, type UpiPayee } from './domain';
import { importReference, type ReferenceImportOptions } from './import/importReference';
import { resolvers } from './resolvers';
import { createArticleFactsClient } from './services/articleFacts';
import { consumeArticleEvents } from './services/articleEvents';
import { pspCallbackRoute, type CallbackLog } from './services/callbacks';
import { OUTBOX_TABLE } from './services/events';
import { expiryTask } from './services/payments';

/** The SDL file, next to src/ and dist/ alike. */
export const PAYMENTS_SCHEMA_FILE = path.join(__dirname, '..', 'schema.graphql');
export const PAYMENTS_SCHEMA = 'payments';

/** India Post's payee for development; deployments set UPI_PAYEE_VPA and UPI_PAYEE_NAME. */
export const DEVELOPMENT_PAYEE: UpiPayee = { vpa: 'dakgraph.dev@upi', name: 'India Post (dakgraph development)' };
export const DEFAULT_PAYMENT_EXPIRY_MINUTES = 15;
export const DEFAULT_CALLBACK_GRACE_MINUTES = 5;

export interface PaymentsSubgraph extends Subgraph<PaymentsContext> {
  prisma: PaymentsPrisma;
  deps: PaymentsDependencies;
  relay: OutboxRelay | null;
}

export interface PaymentsSubgraphOptions {
  /** The secret the gateway signs identities with; also signs internal calls and keys idempotency hashes. */
  identitySecret: string;
  /** The articles subgraph's URL, for its internal payment-facts route (a trailing "/graphql" is ignored). */
  articlesUrl: string;
  /** PSP_CALLBACK_SECRET ("whsec_" and base64): provider callbacks are verified with it; without, all are refused. */
  pspCallbackSecret?: string;
  /** Who is paid (UPI_PAYEE_VPA, UPI_PAYEE_NAME); DEVELOPMENT_PAYEE unless given. */
  payee?: UpiPayee;
  /** How long a UPI request is open, in minutes (PAYMENT_EXPIRY_MINUTES, 1 to 1440; 15 by default). */
  paymentExpiryMinutes?: number;
  /** How long after expiry a late callback still captures before the booking is cancelled, in minutes (0 to 60; 5). */
  callbackGraceMinutes?: number;
  /** Domain events: the relay publishes payments' outbox, the article consumer reads articles' events. */
  events?: EventTransport;
  now?: () => Date;
  onQuery?: (sql: string) => void;
  idempotencyRetentionMs?: number;
  eventRetentionMs?: number;
  log?: EventLogger & CallbackLog;
}

/** Builds the payments subgraph on an open, prepared database. Does not listen (tests call it directly). */
export async function createPaymentsSubgraph(db: Database, options: PaymentsSubgraphOptions): Promise<PaymentsSubgraph> {
  if (!options.articlesUrl) throw new Error('The payments subgraph needs articlesUrl (the articles subgraph, for the charges of bookings)');
  const prisma = createPaymentsPrisma(db, options.onQuery);
  const { events } = options;
  const relay = events ? createOutboxRelay({ db: prisma, table: OUTBOX_TABLE, transport: events, log: options.log }) : null;
  const deps: PaymentsDependencies = {
    articles: createArticleFactsClient({ articlesUrl: options.articlesUrl, identitySecret: options.identitySecret }),
    identitySecret: options.identitySecret,
    pspCallbackSecret: options.pspCallbackSecret ?? null,
    payee: checkPayee(options.payee ?? DEVELOPMENT_PAYEE),
    paymentExpiryMs: wholeNumberOption('paymentExpiryMinutes (PAYMENT_EXPIRY_MINUTES)', options.paymentExpiryMinutes, DEFAULT_PAYMENT_EXPIRY_MINUTES, 1, 1440) * 60_000,
    callbackGraceMs: wholeNumberOption('callbackGraceMinutes (PAYMENT_CALLBACK_GRACE_MINUTES)', options.callbackGraceMinutes, DEFAULT_CALLBACK_GRACE_MINUTES, 0, 60) * 60_000,
    now: options.now ?? (() => new Date()),
    eventsRecorded: () => relay?.poke(),
  };
  const workers: BackgroundWorker[] = [];
  if (relay && events) {
    let consumer: ConsumerHandle | null = null;
    // The consumer first, so it exists before the relay publishes (the in-process transport hands an event
    // only to durables that exist); the relay stops first, for the same reason as in articles.
    workers.push({
      name: 'payments outbox relay and article-event consumer',
      async start() {
        consumer = await consumeArticleEvents(events, prisma, () => relay.poke());
        relay.start();
      },
      async stop() {
        await relay.stop();
        await consumer?.stop();
        consumer = null;
      },
    });
  }
  const retention = options.eventRetentionMs ?? eventRetentionMs();
  const subgraph = await createSubgraph<PaymentsContext>({
    name: 'payments',
    schemaFile: PAYMENTS_SCHEMA_FILE,
    resolvers,
    identitySecret: options.identitySecret,
    context: async (viewer) => createContext(prisma, viewer, deps),
    ready: async () => {
      await db.query('SELECT 1');
    },
    routes: [pspCallbackRoute(prisma, deps, options.log)],
    housekeeping: [
      expiryTask(prisma, deps),
      idempotencyPurgeTask('payments', options.idempotencyRetentionMs ?? idempotencyRetentionMs(), (before) =>
        purgeRowsOlderThan(db, { table: 'payments.idempotency_record', column: 'created_at', before }),
      ),
      outboxPurgeTask('payments outbox purge', { db: prisma, table: OUTBOX_TABLE, retentionMs: retention }),
      processedEventsPurgeTask('payments processed-event purge', { db: prisma, table: 'payments.processed_event', retentionMs: retention }),
    ],
    workers,
  });
  return { ...subgraph, prisma, deps, relay };
}

/** Brings the database up to date for this subgraph: migrations, then the reference copy if it changed. */
export async function preparePaymentsDatabase(db: Database, options: ReferenceImportOptions = {}): Promise<void> {
  await migrate(db, PAYMENTS_SCHEMA, migrationsDir(PAYMENTS_SCHEMA));
  await importReference(db, options);
}

/** The environment's payments settings, undefined where unset (the defaults apply). */
export function paymentsSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): Pick<PaymentsSubgraphOptions, 'pspCallbackSecret' | 'payee' | 'paymentExpiryMinutes' | 'callbackGraceMinutes'> {
  const vpa = env.UPI_PAYEE_VPA?.trim();
  return {
    pspCallbackSecret: env.PSP_CALLBACK_SECRET?.trim() || undefined,
    payee: vpa ? { vpa, name: env.UPI_PAYEE_NAME?.trim() || 'India Post' } : undefined,
    paymentExpiryMinutes: wholeNumberFromEnv(env, 'PAYMENT_EXPIRY_MINUTES'),
    callbackGraceMinutes: wholeNumberFromEnv(env, 'PAYMENT_CALLBACK_GRACE_MINUTES'),
  };
}

export { createContext } from './context';
export { OUTBOX_TABLE as PAYMENTS_OUTBOX_TABLE } from './services/events';
export { handleArticleEvent } from './services/articleEvents';
export { expireUnpaidPayments } from './services/payments';
export { processCallback } from './services/callbacks';
export { ledgerView } from './services/ledger';
export { newPspCallbackSecret, signCallback, type SignedCallback } from './psp';
