import { copyReferenceData, type Database, type SnapshotImportOptions, type SnapshotImportResult } from '@dakgraph/db';
import { divisionIdOf, sharedOfficeDirectory } from '@dakgraph/directory';

/** What the copy is made of: pincodes with their district and centroid, offices with pincode and division. */
export const REFERENCE_SOURCE = 'directory:pincodes+offices';

/** The options and result of every reference import (packages/db). */
export type { SnapshotImportOptions as ReferenceImportOptions, SnapshotImportResult as ReferenceImportResult } from '@dakgraph/db';

/**
 * Loads this subgraph's read-only copy of the reference data it needs from the public office directory:
 * every pincode's district, state and centroid (tariff distance, and the local band) and every office's
 * pincode and division (booking origin, access checks). Each subgraph owns its tables, so articles keeps
 * its own copy rather than reading the offices subgraph's. Idempotent: an unchanged directory (same
 * checksum) is skipped; a changed one replaces the copy in one transaction, loaded with COPY.
 */
export async function importReference(db: Database, options: SnapshotImportOptions = {}): Promise<SnapshotImportResult> {
  const directory = sharedOfficeDirectory();
  const pincodes = directory.pincodes.map((p) => [p.pincode, p.district, p.state, p.latitude, p.longitude]);
  const offices = directory.offices.map((office) => [office.id, office.pincode, divisionIdOf(office)]);
  return copyReferenceData(
    db,
    {
      subgraph: 'articles',
      source: REFERENCE_SOURCE,
      offices: offices.length,
      pincodes: pincodes.length,
      tables: [
        { table: 'articles.pincode_ref', columns: ['code', 'district', 'state', 'latitude', 'longitude'], rows: pincodes },
        { table: 'articles.office_ref', columns: ['id', 'pincode', 'division_id'], rows: offices },
      ],
    },
    options,
  );
}
