#!/usr/bin/env node
import { databaseFromEnv, openDatabase } from '@dakgraph/db';
import { prepareAnalyticsDatabase } from '../server';
import { rebuildRollups } from '../services/rebuild';

/**
 * `npm run rollups:rebuild -w @dakgraph/analytics`: recomputes every daily rollup from the source tables
 * (services/rebuild.ts says what and when). On the database of DATABASE_URL, or else the embedded one of
 * `npm start` (stop npm start first: the embedded database belongs to one process).
 */
async function main(): Promise<number> {
  const db = await openDatabase(databaseFromEnv());
  try {
    await prepareAnalyticsDatabase(db);
    console.log(`Rebuilding the operations rollups on ${db.description}…`);
    const result = await rebuildRollups(db);
    console.log(
      `Rebuilt from ${result.sources.join(' and ') || 'no source (neither articles nor payments is in this database)'}: ` +
        `${result.rollupRows} rollup rows and ${result.breakdownRows} breakdown rows in ${(result.tookMs / 1000).toFixed(1)} s`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('The rollups were not rebuilt (nothing changed):', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
