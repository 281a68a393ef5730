import { secretsFromEnv } from '@dakgraph/auth';
import { databaseFromEnv, openDatabase } from '@dakgraph/db';
import { standaloneTransport } from '@dakgraph/events';
import { listen } from '@dakgraph/graphql-kit';
import { createCustomersSubgraph, prepareCustomersDatabase } from './server';
import { parseWebhookSecretKey, WEBHOOK_SECRET_KEY_ENV } from './services/webhookSecrets';

/**
 * Runs the customers subgraph on its own:
 * `PORT=4002 DATABASE_URL=postgres://... IDENTITY_SECRET=... JWT_SECRET=... WEBHOOK_SECRET_KEY=... NATS_URL=nats://... node dist/index.js`.
 * It consumes article events into webhook deliveries; the dispatcher that sends them runs as its own
 * process (src/cli/dispatchWebhooks.ts) with the same key.
 */
async function main(): Promise<void> {
  const { identitySecret, jwtSecret } = secretsFromEnv();
  // Checked before the database is opened, so a missing or malformed key fails at once and clearly.
  const webhookSecretKey = process.env[WEBHOOK_SECRET_KEY_ENV] ?? '';
  parseWebhookSecretKey(webhookSecretKey);
  const events = await standaloneTransport('customers');
  const db = await openDatabase(databaseFromEnv());
  await prepareCustomersDatabase(db);
  const subgraph = await createCustomersSubgraph(db, {
    identitySecret,
    jwtSecret,
    webhookSecretKey,
    webhookProduction: process.env.NODE_ENV === 'production',
    events,
  });
  const port = await listen(subgraph.http, Number(process.env.PORT ?? 4002));
  console.log(`customers subgraph ready at http://localhost:${port}/graphql on ${db.description}`);
}

main().catch((error: unknown) => {
  console.error('customers subgraph failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
