import { copyReferenceData, type Database, type SnapshotImportOptions, type SnapshotImportResult } from '@dakgraph/db';
import { circleIdOf, divisionIdOf, regionIdOf, sharedOfficeDirectory } from '@dakgraph/directory';

/** What the copy is made of: every office with its division, region and circle. */
export const REFERENCE_SOURCE = 'directory:offices+hierarchy';

export type { SnapshotImportOptions as ReferenceImportOptions } from '@dakgraph/db';

/**
 * Loads this subgraph's read-only copy of where every office sits, from the public office directory:
 * figures roll up from an office to its division, region and circle by it, and analytics owns its tables,
 * so it keeps its own copy (as articles and payments do). An unchanged directory is skipped.
 *
 * The hierarchy an office's figures were rolled up by is the one of the day they were added: a changed
 * directory moves an office's future figures, and `npm run rollups:rebuild` moves its past ones.
 */
export async function importReference(db: Database, options: SnapshotImportOptions = {}): Promise<SnapshotImportResult> {
  const directory = sharedOfficeDirectory();
  const offices = directory.offices.map((office) => [office.id, divisionIdOf(office), regionIdOf(office), circleIdOf(office)]);
  return copyReferenceData(
    db,
    {
      subgraph: 'analytics',
      source: REFERENCE_SOURCE,
      offices: offices.length,
      pincodes: 0,
      tables: [{ table: 'analytics.office_ref', columns: ['id', 'division_id', 'region_id', 'circle_id'], rows: offices }],
    },
    options,
  );
}
