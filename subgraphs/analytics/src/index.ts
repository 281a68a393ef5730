import { secretsFromEnv } from '@dakgraph/auth';
import { databaseFromEnv, openDatabase } from '@dakgraph/db';
import { standaloneTransport } from '@dakgraph/events';
import { listen } from '@dakgraph/graphql-kit';
import { createAnalyticsSubgraph, prepareAnalyticsDatabase } from './server';

/**
 * Runs the analytics subgraph on its own:
 * `PORT=4005 DATABASE_URL=postgres://... IDENTITY_SECRET=... JWT_SECRET=... NATS_URL=nats://... node dist/index.js`.
 */
async function main(): Promise<void> {
  const { identitySecret } = secretsFromEnv();
  const events = await standaloneTransport('analytics');
  const db = await openDatabase(databaseFromEnv());
  await prepareAnalyticsDatabase(db);
  const subgraph = await createAnalyticsSubgraph(db, { identitySecret, events });
  const port = await listen(subgraph.http, Number(process.env.PORT ?? 4005));
  console.log(`analytics subgraph ready at http://localhost:${port}/graphql on ${db.description}`);
}

main().catch((error: unknown) => {
  console.error('analytics subgraph failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
