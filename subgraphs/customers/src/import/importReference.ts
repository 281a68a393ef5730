import { createHash } from 'node:crypto';
import { toCopyText, type Database } from '@dakgraph/db';
import { divisionIdOf, loadOfficeDirectory } from '@dakgraph/directory';

/** What the copy is made of: office ids, their divisions and the pincodes, from the public directory. */
export const REFERENCE_SOURCE = 'directory:offices+pincodes';

export interface ReferenceImportOptions {
  /** Re-import even if the same data was imported before. */
  force?: boolean;
  /** Say what is happening (on by default); the copy takes a few seconds the first time. */
  progress?: boolean;
  log?: (line: string) => void;
}

export interface ReferenceImportResult {
  skipped: boolean;
  offices: number;
  pincodes: number;
  checksum: string;
  milliseconds: number;
}

/**
 * Loads this subgraph's read-only copy of the office directory: which offices exist with their
 * division (staff accounts and access rules need them) and which pincodes exist (addresses are checked
 * against them). Each subgraph owns its tables, so the customers subgraph keeps its own copy rather than
 * reading the offices subgraph's. Idempotent: an unchanged directory (same checksum) is skipped; a
 * changed one replaces the copy in one transaction, loaded with COPY.
 */
export async function importReference(db: Database, options: ReferenceImportOptions = {}): Promise<ReferenceImportResult> {
  const started = Date.now();
  const log = options.log ?? ((line: string) => console.log(line));
  const directory = loadOfficeDirectory();
  const offices = directory.offices.map((office) => [office.id, divisionIdOf(office), office.pincode] as const);
  const pincodes = directory.pincodes.map((pincode) => [pincode.pincode] as const);
  const checksum = createHash('sha256').update(JSON.stringify(offices)).update(JSON.stringify(pincodes)).digest('hex');
  const result = { offices: offices.length, pincodes: pincodes.length, checksum };

  if (!options.force) {
    const [previous] = await db.query<{ checksum: string }>(
      'SELECT checksum FROM customers.reference_import WHERE source = $1',
      [REFERENCE_SOURCE],
    );
    if (previous?.checksum === checksum) return { skipped: true, ...result, milliseconds: Date.now() - started };
  }

  if (options.progress !== false) log(`Copying the office directory (${offices.length} offices, ${pincodes.length} pincodes) for customers into ${db.description}…`);
  await db.transaction(async (tx) => {
    await tx.exec('TRUNCATE customers.office_ref, customers.pincode_ref');
    await tx.copyFrom('customers.office_ref', ['id', 'division_id', 'pincode'], toCopyText(offices));
    await tx.copyFrom('customers.pincode_ref', ['code'], toCopyText(pincodes));
    await tx.query(
      `INSERT INTO customers.reference_import (source, checksum, office_count, imported_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (source) DO UPDATE SET checksum = EXCLUDED.checksum, office_count = EXCLUDED.office_count,
         imported_at = EXCLUDED.imported_at`,
      [REFERENCE_SOURCE, checksum, offices.length],
    );
  });
  await db.exec('ANALYZE customers.office_ref; ANALYZE customers.pincode_ref;');
  return { skipped: false, ...result, milliseconds: Date.now() - started };
}
