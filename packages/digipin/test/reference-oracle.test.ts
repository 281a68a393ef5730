import { BOUNDS, decode, encode } from '../src/index';
import { latitudeLine, longitudeLine, nextDown, nextUp, prng } from './helpers';

/*
 * TEST ORACLES — not part of the library.
 *
 * 1. referenceEncode / referenceDecode restate, step for step, the arithmetic
 *    of getDigiPin and getLatLngFromDigiPin in the official reference
 *    implementation: github.com/INDIAPOST-gov/digipin src/digipin.js (the
 *    same file as CEPT-VZG/digipin src/digipin.js at commit 670be7b).
 *    The reference is Apache-2.0; this is a re-expression of its algorithm in
 *    our own words and types, kept deliberately independent of src/ (its own
 *    grid table, no shared helpers) so a refactor of src/ cannot silently
 *    change both sides. What must match the reference exactly:
 *      - encoder: row = 3 - floor((lat - minLat) / latDiv), column =
 *        floor((lon - minLon) / lonDiv), both clamped to 0..3; then
 *        maxLat = minLat + latDiv * (4 - row), minLat = minLat + latDiv * (3 - row),
 *        minLon = minLon + lonDiv * column, maxLon = (new) minLon + lonDiv;
 *      - decoder: south = maxLat - latDiv * (row + 1), north = maxLat - latDiv * row,
 *        west = minLon + lonDiv * column, east = minLon + lonDiv * (column + 1);
 *        centre = (min + max) / 2, which the reference returns via toFixed(6).
 *
 * 2. exactEncode applies the technical document's §3.4 rule in exact integer
 *    arithmetic (coordinates scaled by 2^60, which is exact for every double in
 *    the box), with no floating point at all. Agreement with (1) shows that the
 *    reference's floating-point steps never misplace a point, even one double
 *    away from a grid line.
 */

const REFERENCE_GRID = [
  ['F', 'C', '9', '8'],
  ['J', '3', '2', '7'],
  ['K', '4', '5', '6'],
  ['L', 'M', 'P', 'T'],
] as const;

function referenceEncode(lat: number, lon: number): string {
  if (lat < 2.5 || lat > 38.5) throw new Error('Latitude out of range');
  if (lon < 63.5 || lon > 99.5) throw new Error('Longitude out of range');
  let south = 2.5;
  let north = 38.5;
  let west = 63.5;
  let east = 99.5;
  const out: string[] = [];
  for (let level = 1; level <= 10; level += 1) {
    const latStep = (north - south) / 4;
    const lonStep = (east - west) / 4;
    const r = Math.max(0, Math.min(3 - Math.floor((lat - south) / latStep), 3));
    const c = Math.max(0, Math.min(Math.floor((lon - west) / lonStep), 3));
    out.push(REFERENCE_GRID[r]![c]!);
    if (level === 3 || level === 6) out.push('-');
    north = south + latStep * (4 - r);
    south = south + latStep * (3 - r);
    west = west + lonStep * c;
    east = west + lonStep;
  }
  return out.join('');
}

interface ReferenceCell {
  south: number;
  north: number;
  west: number;
  east: number;
  latitude: string;
  longitude: string;
}

function referenceDecode(code: string): ReferenceCell {
  const pin = code.replace(/-/g, '');
  if (pin.length !== 10) throw new Error('Invalid DIGIPIN');
  let south = 2.5;
  let north = 38.5;
  let west = 63.5;
  let east = 99.5;
  for (const ch of pin) {
    const r = REFERENCE_GRID.findIndex((row) => (row as readonly string[]).includes(ch));
    if (r < 0) throw new Error('Invalid character in DIGIPIN');
    const c = (REFERENCE_GRID[r] as readonly string[]).indexOf(ch);
    const latStep = (north - south) / 4;
    const lonStep = (east - west) / 4;
    const newSouth = north - latStep * (r + 1);
    const newNorth = north - latStep * r;
    const newWest = west + lonStep * c;
    const newEast = west + lonStep * (c + 1);
    south = newSouth;
    north = newNorth;
    west = newWest;
    east = newEast;
  }
  return {
    south,
    north,
    west,
    east,
    latitude: ((south + north) / 2).toFixed(6),
    longitude: ((west + east) / 2).toFixed(6),
  };
}

const SCALE = 2 ** 60;
const exact = (x: number): bigint => BigInt(x * SCALE);

function exactEncode(lat: number, lon: number): string {
  const y = exact(lat);
  const x = exact(lon);
  let south = exact(2.5);
  let west = exact(63.5);
  let size = exact(36);
  let out = '';
  for (let level = 1; level <= 10; level += 1) {
    size /= 4n; // exact: 36 * 2^60 is divisible by 4^10
    // Index counted from the south/west; floor division puts a point on a line
    // into the cell north/east of it, and the min() keeps 38.5° N / 99.5° E in
    // the last row/column.
    const fromSouth = (y - south) / size > 3n ? 3n : (y - south) / size;
    const fromWest = (x - west) / size > 3n ? 3n : (x - west) / size;
    out += REFERENCE_GRID[3 - Number(fromSouth)]![Number(fromWest)]!;
    if (level === 3 || level === 6) out += '-';
    south += size * fromSouth;
    west += size * fromWest;
  }
  return out;
}

/** ~10,000 points, biased towards the places where encoders disagree. */
function samplePoints(): Array<[number, number]> {
  const random = prng(20250301);
  const points: Array<[number, number]> = [];
  const uniformLat = () => 2.5 + random() * 36;
  const uniformLon = () => 63.5 + random() * 36;
  const level = () => 1 + Math.floor(random() * 10);
  const lineLat = () => {
    const l = level();
    return latitudeLine(l, Math.floor(random() * (4 ** l + 1)));
  };
  const lineLon = () => {
    const l = level();
    return longitudeLine(l, Math.floor(random() * (4 ** l + 1)));
  };
  const wobble = (x: number, min: number, max: number) => {
    const pick = random();
    if (pick < 1 / 3 && x > min) return nextDown(x);
    if (pick < 2 / 3 && x < max) return nextUp(x);
    return x;
  };

  // Uniform interior points.
  for (let i = 0; i < 3_000; i++) points.push([uniformLat(), uniformLon()]);
  // Six-decimal inputs, as GPS receivers and forms produce them.
  for (let i = 0; i < 1_000; i++) {
    points.push([Number(uniformLat().toFixed(6)), Number(uniformLon().toFixed(6))]);
  }
  // Exactly on grid lines: one coordinate, then both (intersections).
  for (let i = 0; i < 1_000; i++) points.push([lineLat(), uniformLon()]);
  for (let i = 0; i < 1_000; i++) points.push([uniformLat(), lineLon()]);
  for (let i = 0; i < 1_500; i++) points.push([lineLat(), lineLon()]);
  // One double either side of grid lines.
  for (let i = 0; i < 1_500; i++) {
    points.push([wobble(lineLat(), 2.5, 38.5), wobble(lineLon(), 63.5, 99.5)]);
  }
  // The box's edges and corners.
  for (let i = 0; i < 1_000; i++) {
    const edge = Math.floor(random() * 4);
    if (edge === 0) points.push([38.5, random() < 0.2 ? 99.5 : uniformLon()]);
    else if (edge === 1) points.push([2.5, random() < 0.2 ? 63.5 : uniformLon()]);
    else if (edge === 2) points.push([uniformLat(), 99.5]);
    else points.push([uniformLat(), 63.5]);
  }
  return points;
}

describe('reference oracle', () => {
  const points = samplePoints();

  it('samples about 10,000 points inside the box', () => {
    expect(points.length).toBe(10_000);
    for (const [lat, lon] of points) {
      expect(lat >= BOUNDS.minLatitude && lat <= BOUNDS.maxLatitude).toBe(true);
      expect(lon >= BOUNDS.minLongitude && lon <= BOUNDS.maxLongitude).toBe(true);
    }
  });

  it('the oracles reproduce the published examples', () => {
    expect(referenceEncode(28.622788, 77.213033)).toBe('39J-49L-L8T4');
    expect(referenceEncode(12.9716, 77.5946)).toBe('4P3-JK8-52C9');
    expect(exactEncode(28.622788, 77.213033)).toBe('39J-49L-L8T4');
    expect(referenceDecode('39J-49L-L8T4')).toMatchObject({ latitude: '28.622793', longitude: '77.213049' });
  });

  it('encode() matches the reference on every sampled point', () => {
    const mismatches = points.filter(([lat, lon]) => encode(lat, lon) !== referenceEncode(lat, lon));
    expect(mismatches).toEqual([]);
  });

  it('the reference matches the exact-arithmetic boundary rule on every sampled point', () => {
    const mismatches = points.filter(([lat, lon]) => referenceEncode(lat, lon) !== exactEncode(lat, lon));
    expect(mismatches).toEqual([]);
  });

  it('decode() gives the reference cell bit for bit, and its centre rounds to the reference output', () => {
    for (const [lat, lon] of points.slice(0, 3_000)) {
      const code = encode(lat, lon);
      const ours = decode(code);
      const theirs = referenceDecode(code);
      expect(ours.bounds).toEqual({
        minLatitude: theirs.south,
        maxLatitude: theirs.north,
        minLongitude: theirs.west,
        maxLongitude: theirs.east,
      });
      expect(ours.latitude.toFixed(6)).toBe(theirs.latitude);
      expect(ours.longitude.toFixed(6)).toBe(theirs.longitude);
    }
  });

  it('decode() accepts everything the reference decoder accepts in canonical form', () => {
    // The reference only ever emits XXX-XXX-XXXX; spot-check unhyphenated too.
    for (const [lat, lon] of points.slice(0, 500)) {
      const code = referenceEncode(lat, lon);
      expect(decode(code.replace(/-/g, '')).code).toBe(code);
    }
  });
});
