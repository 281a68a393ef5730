#!/usr/bin/env node
// `npm start`: the whole graph on one machine. One host process owns the database (one embedded PGlite,
// ~500 MB, shared by every subgraph, or the PostgreSQL server in DATABASE_URL), migrates it, loads the
// office directory on first run, and serves each subgraph on its own port; the gateway runs as a second
// process so query planning and subgraph work use both cores.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseFromEnv, openDatabase } from '@dakgraph/db';
import { loadSecrets } from './devSecrets.mjs';
import { outboxHistory, transportFromEnv } from '@dakgraph/events';
import { senderFromEnv } from '@dakgraph/notifications';
import { close, listen, wholeNumberFromEnv } from '@dakgraph/graphql-kit';
import { ARTICLES_OUTBOX_TABLE, createArticlesSubgraph, prepareArticlesDatabase } from '@dakgraph/articles';
import { createCustomersSubgraph, prepareCustomersDatabase } from '@dakgraph/customers';
import { createAdmin } from '@dakgraph/customers/cli/createAdmin';
import { createOfficesSubgraph, prepareOfficesDatabase } from '@dakgraph/offices';
import { PAYMENTS_OUTBOX_TABLE, createPaymentsSubgraph, paymentsSettingsFromEnv, preparePaymentsDatabase } from '@dakgraph/payments';
import { createAnalyticsSubgraph, prepareAnalyticsDatabase } from '@dakgraph/analytics';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const gatewayPort = Number(process.env.PORT ?? 4000);
const subgraphPortBase = Number(process.env.SUBGRAPH_PORT_BASE ?? 4001);

/** Every subgraph, in the order their ports are assigned. */
const SUBGRAPHS = [
  { name: 'offices', prepare: prepareOfficesDatabase, create: createOfficesSubgraph },
  { name: 'customers', prepare: prepareCustomersDatabase, create: createCustomersSubgraph },
  // Articles reads partners' contract terms from customers' internal route, so it starts after it.
  { name: 'articles', prepare: prepareArticlesDatabase, create: createArticlesSubgraph },
  // Payments reads the charges of bookings from articles' internal route, so it starts after it.
  { name: 'payments', prepare: preparePaymentsDatabase, create: createPaymentsSubgraph },
  // Analytics only consumes the others' events, into its daily rollups.
  { name: 'analytics', prepare: prepareAnalyticsDatabase, create: createAnalyticsSubgraph },
];

async function waitForHealth(url, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the gateway exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the gateway did not become healthy at ${url} within ${timeoutMs / 1000} s`);
}

/**
 * The embedded database belongs to this process while it runs (a second process must not open it), so
 * the first admin can be made here: DAKGRAPH_ADMIN_EMAIL and DAKGRAPH_ADMIN_PASSWORD (optionally
 * DAKGRAPH_ADMIN_NAME, DAKGRAPH_ADMIN_OFFICE). Nothing changes if that admin already exists.
 */
async function seedAdmin(db) {
  const email = process.env.DAKGRAPH_ADMIN_EMAIL;
  if (!email) return;
  const args = ['--email', email, '--name', process.env.DAKGRAPH_ADMIN_NAME ?? 'Administrator',
    '--office', process.env.DAKGRAPH_ADMIN_OFFICE ?? '110001-new-delhi'];
  const status = await createAdmin(args, {
    env: process.env,
    db,
    readPassword: async () => {
      throw new Error('DAKGRAPH_ADMIN_PASSWORD must be set with DAKGRAPH_ADMIN_EMAIL');
    },
    out: (line) => console.log(`dakgraph: ${line}`),
    err: (line) => console.error(`dakgraph: ${line}`),
  });
  if (status !== 0) throw new Error('the first admin could not be created (see above)');
}

async function main() {
  const location = databaseFromEnv();
  const secrets = loadSecrets();
  Object.assign(process.env, secrets);
  const db = await openDatabase(location);
  console.log(`dakgraph: database is ${db.description}`);

  // Every schema first: the in-process transport's history reads articles' outbox when customers' consumer starts.
  for (const subgraph of SUBGRAPHS) await subgraph.prepare(db, { progress: true });
  // One transport for the whole host: JetStream when NATS_URL is set, else in memory (every subgraph runs in
  // this process). Customers starts first, so its consumer is there before articles' relay publishes. In
  // memory, each consumer first replays the outbox's last 24 hours: events the previous run marked
  // published but had not handled (it crashed, or a consumer was failing) are handled now; the rest are
  // skipped by id.
  const events = await transportFromEnv(process.env, { history: outboxHistory(db, [ARTICLES_OUTBOX_TABLE, PAYMENTS_OUTBOX_TABLE]) });
  console.log(`dakgraph: domain events over ${events.description}`);
  // SMS (delivery OTPs and milestones) go to a file unless NOTIFICATION_SENDER names another sender.
  if (!process.env.NOTIFICATION_SENDER?.trim()) process.env.NOTIFICATION_SENDER = `file:${path.join(root, '.data', 'sms.log')}`;
  const notificationSender = senderFromEnv(process.env) ?? undefined;
  console.log(
    notificationSender
      ? `dakgraph: SMS go to ${notificationSender.description} (NOTIFICATION_SENDER)`
      : 'dakgraph: NOTIFICATION_SENDER=none, so no SMS are sent (OTPs reach nobody)',
  );
  const servers = [];
  const subgraphUrls = {};
  for (const [index, subgraph] of SUBGRAPHS.entries()) {
    const built = await subgraph.create(db, {
      identitySecret: secrets.IDENTITY_SECRET,
      jwtSecret: secrets.JWT_SECRET,
      customersUrl: subgraphUrls.SUBGRAPH_CUSTOMERS_URL,
      articlesUrl: subgraphUrls.SUBGRAPH_ARTICLES_URL,
      events,
      webhookSecretKey: secrets.WEBHOOK_SECRET_KEY,
      deliveryOtpSecret: secrets.DELIVERY_OTP_SECRET,
      notificationSender,
      // Delivery policy (README "Configuration"); the articles subgraph refuses a value out of range.
      maxDeliveryAttempts: wholeNumberFromEnv(process.env, 'MAX_DELIVERY_ATTEMPTS'),
      maxHoldDays: wholeNumberFromEnv(process.env, 'MAX_HOLD_DAYS'),
      unpaidBookingHours: wholeNumberFromEnv(process.env, 'UNPAID_BOOKING_HOURS'),
      // The embedded database belongs to this process, so partners' webhooks are sent from here too.
      dispatchWebhooks: true,
      // Payments: the provider's callback secret, the UPI payee and the expiry (README "Configuration").
      ...paymentsSettingsFromEnv(process.env),
    });
    const port = await listen(built.http, subgraphPortBase + index, '127.0.0.1');
    subgraphUrls[`SUBGRAPH_${subgraph.name.toUpperCase()}_URL`] = `http://127.0.0.1:${port}/graphql`;
    servers.push(built);
    console.log(`dakgraph: ${subgraph.name} subgraph on http://127.0.0.1:${port}/graphql`);
  }

  await seedAdmin(db);

  const gateway = spawn(process.execPath, [path.join(root, 'gateway', 'dist', 'index.js')], {
    env: { ...process.env, ...subgraphUrls, PORT: String(gatewayPort) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    gateway.kill('SIGTERM');
    // In the reverse of the start order, each subgraph with its workers before the next: articles' relay
    // must finish publishing while customers' consumer still runs, or the in-process transport would
    // count events as handed over to a consumer that had already stopped, and they would die with the
    // process. (Over JetStream the order does not matter; it is the same code.)
    for (const built of [...servers].reverse()) {
      await close(built.http);
      await built.workersStopped();
    }
    await events.close();
    await db.close();
    process.exit(code);
  };
  gateway.on('exit', (code) => {
    if (!stopping) {
      console.error(`dakgraph: the gateway stopped (exit code ${code}); stopping everything`);
      void stop(1);
    }
  });
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  await waitForHealth(`http://127.0.0.1:${gatewayPort}/health`, gateway);
  console.log(`\n  dakgraph is running. GraphiQL: http://localhost:${gatewayPort}/graphql\n`);
}

main().catch((error) => {
  console.error('dakgraph failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
