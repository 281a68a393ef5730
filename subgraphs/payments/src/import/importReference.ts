import { copyReferenceData, type Database, type SnapshotImportOptions, type SnapshotImportResult } from '@dakgraph/db';
import { divisionIdOf, sharedOfficeDirectory } from '@dakgraph/directory';

/** What the copy is made of: every office with its division. */
export const REFERENCE_SOURCE = 'directory:offices+divisions';

export type { SnapshotImportOptions as ReferenceImportOptions } from '@dakgraph/db';

/**
 * Loads this subgraph's read-only copy of every office's division from the public office directory: a
 * supervisor reconciles the offices of their own division, and payments owns its tables, so it keeps
 * its own copy (as articles does). An unchanged directory is skipped; a changed one replaces the copy.
 */
export async function importReference(db: Database, options: SnapshotImportOptions = {}): Promise<SnapshotImportResult> {
  const directory = sharedOfficeDirectory();
  const offices = directory.offices.map((office) => [office.id, divisionIdOf(office)]);
  return copyReferenceData(
    db,
    {
      subgraph: 'payments',
      source: REFERENCE_SOURCE,
      offices: offices.length,
      pincodes: 0,
      tables: [{ table: 'payments.office_ref', columns: ['id', 'division_id'], rows: offices }],
    },
    options,
  );
}
