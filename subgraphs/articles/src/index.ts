import { secretsFromEnv } from '@dakgraph/auth';
import { databaseFromEnv, openDatabase } from '@dakgraph/db';
import { standaloneTransport } from '@dakgraph/events';
import { listen, wholeNumberFromEnv } from '@dakgraph/graphql-kit';
import { senderFromEnv } from '@dakgraph/notifications';
import { checkOtpSecret } from './domain';
import { createArticlesSubgraph, prepareArticlesDatabase } from './server';

/**
 * Runs the articles subgraph on its own:
 * `PORT=4003 SUBGRAPH_CUSTOMERS_URL=http://127.0.0.1:4002/graphql DATABASE_URL=postgres://... IDENTITY_SECRET=... JWT_SECRET=...
 * DELIVERY_OTP_SECRET=... NATS_URL=nats://... NOTIFICATION_SENDER=http SMS_HTTP_URL=... SMS_HTTP_API_KEY=... node dist/index.js`
 * (MAX_DELIVERY_ATTEMPTS optional, default 3; MAX_HOLD_DAYS optional, default 7; UNPAID_BOOKING_HOURS optional, default 24; NOTIFICATION_SENDER `file:<path>`, `http` or `none`,
 * unset means none).
 */
async function main(): Promise<void> {
  const { identitySecret } = secretsFromEnv();
  // Checked before anything opens: without it no OTP article could ever be delivered.
  const deliveryOtpSecret = checkOtpSecret(process.env.DELIVERY_OTP_SECRET);
  const maxDeliveryAttempts = wholeNumberFromEnv(process.env, 'MAX_DELIVERY_ATTEMPTS');
  const maxHoldDays = wholeNumberFromEnv(process.env, 'MAX_HOLD_DAYS');
  const unpaidBookingHours = wholeNumberFromEnv(process.env, 'UNPAID_BOOKING_HOURS');
  const customersUrl = process.env.SUBGRAPH_CUSTOMERS_URL ?? 'http://127.0.0.1:4002/graphql';
  // A malformed NOTIFICATION_SENDER refuses to start rather than send nothing.
  const notificationSender = senderFromEnv(process.env) ?? undefined;
  const events = await standaloneTransport('articles');
  const db = await openDatabase(databaseFromEnv());
  await prepareArticlesDatabase(db);
  const subgraph = await createArticlesSubgraph(db, { identitySecret, customersUrl, events, deliveryOtpSecret, maxDeliveryAttempts, maxHoldDays, unpaidBookingHours, notificationSender });
  const port = await listen(subgraph.http, Number(process.env.PORT ?? 4003));
  console.log(`articles subgraph ready at http://localhost:${port}/graphql on ${db.description} (partner terms from ${customersUrl})`);
  console.log(
    notificationSender
      ? `articles: SMS go to ${notificationSender.description}${events ? '' : ' once NATS_URL is set (no events are consumed without it)'}`
      : 'articles: NOTIFICATION_SENDER is not set, so no SMS are sent (OTPs reach nobody)',
  );
}

main().catch((error: unknown) => {
  console.error('articles subgraph failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
