import { copyReferenceData, type Database, type SnapshotImportOptions, type SnapshotImportResult } from '@dakgraph/db';
import { divisionIdOf, sharedOfficeDirectory } from '@dakgraph/directory';

/** What the copy is made of: office ids, their divisions and the pincodes, from the public directory. */
export const REFERENCE_SOURCE = 'directory:offices+pincodes';

/** The options and result of every reference import (packages/db). */
export type { SnapshotImportOptions as ReferenceImportOptions, SnapshotImportResult as ReferenceImportResult } from '@dakgraph/db';

/**
 * Loads this subgraph's read-only copy of the office directory: which offices exist with their
 * division (staff accounts and access rules need them) and which pincodes exist (addresses are checked
 * against them). Each subgraph owns its tables, so the customers subgraph keeps its own copy rather than
 * reading the offices subgraph's. Idempotent: an unchanged directory (same checksum) is skipped; a
 * changed one replaces the copy in one transaction, loaded with COPY.
 */
export async function importReference(db: Database, options: SnapshotImportOptions = {}): Promise<SnapshotImportResult> {
  const directory = sharedOfficeDirectory();
  const offices = directory.offices.map((office) => [office.id, divisionIdOf(office), office.pincode]);
  const pincodes = directory.pincodes.map((pincode) => [pincode.pincode]);
  return copyReferenceData(
    db,
    {
      subgraph: 'customers',
      source: REFERENCE_SOURCE,
      offices: offices.length,
      pincodes: pincodes.length,
      tables: [
        { table: 'customers.office_ref', columns: ['id', 'division_id', 'pincode'], rows: offices },
        { table: 'customers.pincode_ref', columns: ['code'], rows: pincodes },
      ],
    },
    options,
  );
}
