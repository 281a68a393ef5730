import { secretsFromEnv } from '@dakgraph/auth';
import { databaseFromEnv, openDatabase } from '@dakgraph/db';
import { listen } from '@dakgraph/graphql-kit';
import { createOfficesSubgraph, prepareOfficesDatabase } from './server';

/**
 * Runs the offices subgraph on its own:
 * `PORT=4001 DATABASE_URL=postgres://... IDENTITY_SECRET=... JWT_SECRET=... node dist/index.js`.
 */
async function main(): Promise<void> {
  const { identitySecret } = secretsFromEnv();
  const db = await openDatabase(databaseFromEnv());
  await prepareOfficesDatabase(db);
  const subgraph = await createOfficesSubgraph(db, { identitySecret });
  const port = await listen(subgraph.http, Number(process.env.PORT ?? 4001));
  console.log(`offices subgraph ready at http://localhost:${port}/graphql on ${db.description}`);
}

main().catch((error: unknown) => {
  console.error('offices subgraph failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
