import { databaseFromEnv, migrate, migrationsDir, openDatabase } from '@dakgraph/db';
import { OFFICES_SCHEMA } from '../server';
import { importOffices } from '../import/importOffices';

/**
 * `npm run import -w @dakgraph/offices [-- --force]`: migrates and (re)loads the office directory into
 * DATABASE_URL, or the embedded database when it is unset. Skips an unchanged directory unless --force.
 */
async function main(): Promise<void> {
  const db = await openDatabase(databaseFromEnv());
  try {
    await migrate(db, OFFICES_SCHEMA, migrationsDir(OFFICES_SCHEMA));
    const result = await importOffices(db, { force: process.argv.includes('--force'), progress: true });
    if (result.skipped) console.log(`The office directory in ${db.description} is already up to date (${result.offices} offices).`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error('office import failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
