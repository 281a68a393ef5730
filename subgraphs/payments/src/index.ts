import { secretsFromEnv } from '@dakgraph/auth';
import { databaseFromEnv, openDatabase } from '@dakgraph/db';
import { standaloneTransport } from '@dakgraph/events';
import { listen } from '@dakgraph/graphql-kit';
import { createPaymentsSubgraph, paymentsSettingsFromEnv, preparePaymentsDatabase } from './server';

/**
 * Runs the payments subgraph on its own:
 * `PORT=4004 SUBGRAPH_ARTICLES_URL=http://127.0.0.1:4003/graphql DATABASE_URL=postgres://... IDENTITY_SECRET=... JWT_SECRET=...
 * PSP_CALLBACK_SECRET=whsec_... UPI_PAYEE_VPA=indiapost@sbi UPI_PAYEE_NAME="India Post" NATS_URL=nats://... node dist/index.js`
 * (PAYMENT_EXPIRY_MINUTES optional, default 15; PAYMENT_CALLBACK_GRACE_MINUTES optional, default 5).
 */
async function main(): Promise<void> {
  const { identitySecret } = secretsFromEnv();
  const settings = paymentsSettingsFromEnv();
  if (!settings.pspCallbackSecret) throw new Error('PSP_CALLBACK_SECRET must be set (the secret the payment provider signs callbacks with, "whsec_" and base64)');
  if (process.env.NODE_ENV === 'production' && !settings.payee) throw new Error('UPI_PAYEE_VPA (and UPI_PAYEE_NAME) must be set in production');
  const articlesUrl = process.env.SUBGRAPH_ARTICLES_URL ?? 'http://127.0.0.1:4003/graphql';
  const events = await standaloneTransport('payments');
  const db = await openDatabase(databaseFromEnv());
  await preparePaymentsDatabase(db);
  const subgraph = await createPaymentsSubgraph(db, { identitySecret, articlesUrl, events, ...settings });
  const port = await listen(subgraph.http, Number(process.env.PORT ?? 4004));
  console.log(`payments subgraph ready at http://localhost:${port}/graphql on ${db.description} (articles at ${articlesUrl})`);
}

main().catch((error: unknown) => {
  console.error('payments subgraph failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
