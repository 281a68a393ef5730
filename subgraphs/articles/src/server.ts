import path from 'node:path';
import { migrate, migrationsDir, purgeRowsOlderThan, type Database } from '@dakgraph/db';
import { createOutboxRelay, eventRetentionMs, outboxPurgeTask, processedEventsPurgeTask, type ConsumerHandle, type EventLogger, type EventTransport, type OutboxRelay } from '@dakgraph/events';
import type { NotificationSender } from '@dakgraph/notifications';
import { createSubgraph, idempotencyPurgeTask, idempotencyRetentionMs, wholeNumberOption, type BackgroundWorker, type Subgraph } from '@dakgraph/graphql-kit';
import { createContext, type ArticlesContext, type ArticlesDependencies } from './context';
import { createArticlesPrisma, type ArticlesPrisma } from './db';
import { importReference, type ReferenceImportOptions } from './import/importReference';
import { resolvers } from './resolvers';
import { MAX_DELIVERY_ATTEMPTS, MAX_HOLD_DAYS, checkOtpSecret } from './domain';
import { holdLimitTask, unpaidBookingsTask } from './services/returns';
import { createCustomerOwnersClient } from './services/customerOwners';
import { OUTBOX_TABLE } from './services/articleEvents';
import { consumeNotifications, createNotificationConsumer, type NotificationConsumer } from './services/notifications';
import { paymentFactsRoute } from './routes/paymentFacts';
import { consumePaymentEvents } from './services/paymentEvents';
import { createPartnerTermsClient } from './services/partnerTerms';

/** The SDL file, next to src/ and dist/ alike. */
export const ARTICLES_SCHEMA_FILE = path.join(__dirname, '..', 'schema.graphql');
export const ARTICLES_SCHEMA = 'articles';

export interface ArticlesSubgraph extends Subgraph<ArticlesContext> {
  prisma: ArticlesPrisma;
  deps: ArticlesDependencies;
  /** Publishes the outbox while the subgraph listens; null without a transport. */
  relay: OutboxRelay | null;
  /** The SMS notification consumer (its counts), when `events` and `notificationSender` were given. */
  notifications: NotificationConsumer | null;
}

export interface ArticlesSubgraphOptions {
  /** The secret the gateway signs identities with; also signs internal calls and keys idempotency hashes. */
  identitySecret: string;
  /**
   * The customers subgraph's URL, for its internal partner-terms route (e.g. "http://127.0.0.1:4002";
   * a trailing "/graphql" is ignored, so SUBGRAPH_CUSTOMERS_URL can be passed as it is).
   */
  customersUrl: string;
  /** Sees every SQL statement (tests count them). */
  onQuery?: (sql: string) => void;
  /** How long idempotency keys are remembered; default IDEMPOTENCY_RETENTION_HOURS (7 days). */
  idempotencyRetentionMs?: number;
  /** The clock; tests fix it so tariffs and delivery dates are exact. */
  now?: () => Date;
  /**
   * Where the outbox's domain events go (NATS JetStream, or in-process in the embedded mode): with one,
   * the relay publishes them while the subgraph listens. Without (tests of the subgraph alone), they
   * wait in the outbox.
   */
  events?: EventTransport;
  /** How long published events are kept before the purge; default EVENT_RETENTION_HOURS (7 days). */
  eventRetentionMs?: number;
  /**
   * The secret delivery OTPs are derived with (DELIVERY_OTP_SECRET, at least 32 bytes; the notification
   * sender needs the same one). Without it the subgraph runs, but refuses to give out or deliver
   * articles that need an OTP; src/index.ts refuses to start without it.
   */
  deliveryOtpSecret?: string;
  /** Failed delivery attempts after which an article is returned to its sender; default 3 (MAX_DELIVERY_ATTEMPTS). */
  maxDeliveryAttempts?: number;
  /** Days an article waits at its delivery office before it is returned as UNCLAIMED; default 7 (MAX_HOLD_DAYS). */
  maxHoldDays?: number;
  /**
   * Hours after booking that an article paid LATER may still be paid; then it is cancelled. Default 24
   * (UNPAID_BOOKING_HOURS, 1 to 168). The payments subgraph never lets a payment run past it.
   */
  unpaidBookingHours?: number;
  /**
   * Where SMS go (NOTIFICATION_SENDER: a file in development, an SMS provider's HTTP API in production).
   * With `events` too, the notification consumer texts addressees the OTP and the out-for-delivery and
   * delivered milestones while the subgraph listens. Without, nothing is texted: the events are kept
   * and a consumer started later (the durable remembers) texts what is still current.
   */
  notificationSender?: NotificationSender;
  /** Logs of the relay and the notification consumer; console by default. */
  log?: EventLogger;
}

/** Hours a booking paid LATER waits for its payment before it is cancelled. */
export const UNPAID_BOOKING_HOURS = 24;

/** Builds the articles subgraph on an open, prepared database. Does not listen (tests call it directly). */
export async function createArticlesSubgraph(db: Database, options: ArticlesSubgraphOptions): Promise<ArticlesSubgraph> {
  if (!options.customersUrl) {
    throw new Error('The articles subgraph needs customersUrl (the customers subgraph, for partner contracts)');
  }
  if (options.deliveryOtpSecret !== undefined) checkOtpSecret(options.deliveryOtpSecret);
  const maxDeliveryAttempts = wholeNumberOption('maxDeliveryAttempts (MAX_DELIVERY_ATTEMPTS)', options.maxDeliveryAttempts, MAX_DELIVERY_ATTEMPTS, 1, 10);
  const maxHoldDays = wholeNumberOption('maxHoldDays (MAX_HOLD_DAYS)', options.maxHoldDays, MAX_HOLD_DAYS, 1, 90);
  const unpaidBookingHours = wholeNumberOption('unpaidBookingHours (UNPAID_BOOKING_HOURS)', options.unpaidBookingHours, UNPAID_BOOKING_HOURS, 1, 168);
  const prisma = createArticlesPrisma(db, options.onQuery);
  const { events, notificationSender } = options;
  const relay = events ? createOutboxRelay({ db: prisma, table: OUTBOX_TABLE, transport: events, log: options.log }) : null;
  const now = options.now ?? (() => new Date());
  const notifications =
    events && notificationSender
      ? createNotificationConsumer({ prisma, sender: notificationSender, otpSecret: options.deliveryOtpSecret ?? null, now, log: options.log })
      : null;
  const workers: BackgroundWorker[] = [];
  if (relay && events) {
    let consumer: ConsumerHandle | null = null;
    let payments: ConsumerHandle | null = null;
    // One worker so the order holds: the consumer is there before the relay publishes (the in-process
    // transport gives an event only to durables that exist), and the relay stops first, so it never
    // counts an event as handed over to a consumer that already stopped (it would die with the process).
    workers.push({
      name: notifications ? 'articles outbox relay, payment consumer and SMS notification consumer' : 'articles outbox relay and payment consumer',
      async start() {
        if (notifications) consumer = await consumeNotifications(events, notifications);
        // Captured payments book their articles, expired ones cancel them (services/paymentEvents.ts).
        payments = await consumePaymentEvents(events, prisma, () => relay.poke());
        relay.start();
      },
      async stop() {
        await relay.stop();
        await consumer?.stop();
        await payments?.stop();
        consumer = null;
        payments = null;
      },
    });
  }
  const deps: ArticlesDependencies = {
    // A write that recorded events asks the relay to look now rather than at its next poll.
    eventsRecorded: () => relay?.poke(),
    identitySecret: options.identitySecret,
    now,
    partnerTerms: createPartnerTermsClient({
      customersUrl: options.customersUrl,
      identitySecret: options.identitySecret,
    }),
    customerOwners: createCustomerOwnersClient({ customersUrl: options.customersUrl, identitySecret: options.identitySecret }),
    deliveryOtpSecret: options.deliveryOtpSecret ?? null,
    maxDeliveryAttempts,
    maxHoldDays,
    unpaidBookingHours,
  };
  const subgraph = await createSubgraph<ArticlesContext>({
    name: 'articles',
    schemaFile: ARTICLES_SCHEMA_FILE,
    resolvers,
    identitySecret: options.identitySecret,
    context: async (viewer) => createContext(prisma, viewer, deps),
    ready: async () => {
      await db.query('SELECT 1');
    },
    routes: [paymentFactsRoute(prisma, options.identitySecret, unpaidBookingHours)],
    housekeeping: [
      idempotencyPurgeTask('articles', options.idempotencyRetentionMs ?? idempotencyRetentionMs(), (before) =>
        purgeRowsOlderThan(db, { table: 'articles.idempotency_record', column: 'created_at', before }),
      ),
      holdLimitTask(prisma, deps),
      unpaidBookingsTask(prisma, deps),
      outboxPurgeTask('articles outbox purge', { db: prisma, table: OUTBOX_TABLE, retentionMs: options.eventRetentionMs ?? eventRetentionMs() }),
      processedEventsPurgeTask('articles processed-event purge', {
        db: prisma,
        table: 'articles.processed_event',
        retentionMs: options.eventRetentionMs ?? eventRetentionMs(),
      }),
    ],
    workers,
  });
  return { ...subgraph, prisma, deps, relay, notifications };
}

/** Brings the database up to date for this subgraph: migrations, then the reference copy if it changed. */
export async function prepareArticlesDatabase(db: Database, options: ReferenceImportOptions = {}): Promise<void> {
  await migrate(db, ARTICLES_SCHEMA, migrationsDir(ARTICLES_SCHEMA));
  await importReference(db, options);
}

export { createContext } from './context';
export { deliveryOtpFor } from './domain';
export { OUTBOX_TABLE as ARTICLES_OUTBOX_TABLE } from './services/articleEvents';
export { PAYMENT_CONSUMER, handlePaymentEvent } from './services/paymentEvents';
export { NOTIFICATION_CONSUMER, NOTIFICATION_EVENT_TYPES, type NotificationStats } from './services/notifications';
export { importReference };
