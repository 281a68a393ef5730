import { migrate, migrationsDir, type Database } from '@dakgraph/db';
import { importReference, type ReferenceImportOptions, type ReferenceImportResult } from './import/importReference';

export const CUSTOMERS_SCHEMA = 'customers';

/**
 * Brings the database up to date for this subgraph: migrations, then the directory copy if it changed.
 * Its own module because both the server and the create-admin command need it, and the command must not
 * import the server (nor the server the command).
 */
export async function prepareCustomersDatabase(db: Database, options: ReferenceImportOptions = {}): Promise<ReferenceImportResult> {
  await migrate(db, CUSTOMERS_SCHEMA, migrationsDir(CUSTOMERS_SCHEMA));
  return importReference(db, options);
}
