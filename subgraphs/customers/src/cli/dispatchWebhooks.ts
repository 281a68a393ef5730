import { databaseFromEnv, migrate, migrationsDir, openDatabase } from '@dakgraph/db';
import { CUSTOMERS_SCHEMA } from '../database';
import { createCustomersPrisma } from '../db';
import { createWebhookDispatcher } from '../services/webhookDispatcher';
import { parseWebhookSecretKey, WEBHOOK_SECRET_KEY_ENV, WebhookSecretKeyError } from '../services/webhookSecrets';

const USAGE = `Sends partners' webhook deliveries until stopped (SIGTERM or SIGINT finish the sends in flight first):
  DATABASE_URL=postgresql://... WEBHOOK_SECRET_KEY=... node dist/cli/dispatchWebhooks.js
  WEBHOOK_SECRET_KEY must be the customers subgraph's own. NODE_ENV=production applies the production URL
  rules (https, public addresses only). WEBHOOK_DISPATCH_CONCURRENCY (default 8) bounds the sends in flight.
  Run as many as you like: they share the work through the database.`;

/**
 * The webhook dispatcher as its own process, beside the customers subgraph, on the same PostgreSQL
 * database. Not for the embedded database: PGlite belongs to one process, which runs the dispatcher
 * itself (createWebhookDispatcher) if it wants webhooks sent.
 */
async function main(): Promise<number> {
  if (process.argv.length > 2) {
    console.error(USAGE);
    return 2;
  }
  const location = databaseFromEnv();
  if (!location.url) {
    console.error(`dispatch-webhooks needs DATABASE_URL (a PostgreSQL server): the embedded database belongs to the process that opened it.\n${USAGE}`);
    return 2;
  }
  const secretKey = process.env[WEBHOOK_SECRET_KEY_ENV] ?? '';
  const concurrencyText = process.env.WEBHOOK_DISPATCH_CONCURRENCY ?? '8';
  const concurrency = Number(concurrencyText);
  try {
    parseWebhookSecretKey(secretKey);
  } catch (error) {
    if (!(error instanceof WebhookSecretKeyError)) throw error;
    console.error(error.message);
    return 2;
  }
  if (!/^\d+$/.test(concurrencyText) || concurrency < 1 || concurrency > 256) {
    console.error(`WEBHOOK_DISPATCH_CONCURRENCY must be a whole number from 1 to 256, not "${concurrencyText}"`);
    return 2;
  }

  const db = await openDatabase(location);
  // The subgraph migrates on start too; doing it here (under the same advisory lock) lets either start first.
  await migrate(db, CUSTOMERS_SCHEMA, migrationsDir(CUSTOMERS_SCHEMA));
  const prisma = createCustomersPrisma(db);
  const dispatcher = createWebhookDispatcher({ prisma, secretKey, production: process.env.NODE_ENV === 'production', concurrency });
  dispatcher.start();
  console.log(`webhook dispatcher running on ${db.description} (${concurrency} at a time)`);

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  console.log('webhook dispatcher stopping: finishing the deliveries in flight');
  await dispatcher.stop();
  await prisma.$disconnect();
  await db.close();
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error('dispatch-webhooks failed:', error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
