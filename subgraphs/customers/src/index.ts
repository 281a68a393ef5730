import { secretsFromEnv } from '@dakgraph/auth';
import { databaseFromEnv, openDatabase } from '@dakgraph/db';
import { listen } from '@dakgraph/graphql-kit';
import { createCustomersSubgraph, prepareCustomersDatabase } from './server';

/**
 * Runs the customers subgraph on its own:
 * `PORT=4002 DATABASE_URL=postgres://... IDENTITY_SECRET=... JWT_SECRET=... node dist/index.js`.
 */
async function main(): Promise<void> {
  const { identitySecret, jwtSecret } = secretsFromEnv();
  const db = await openDatabase(databaseFromEnv());
  await prepareCustomersDatabase(db);
  const subgraph = await createCustomersSubgraph(db, { identitySecret, jwtSecret });
  const port = await listen(subgraph.http, Number(process.env.PORT ?? 4002));
  console.log(`customers subgraph ready at http://localhost:${port}/graphql on ${db.description}`);
}

main().catch((error: unknown) => {
  console.error('customers subgraph failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
