/**
 * Small geographic helpers for the office directory (pure, no dependencies).
 */

/** Mean earth radius in km (IUGG mean radius R1). */
export const EARTH_RADIUS_KM = 6371.0088;

const RADIANS_PER_DEGREE = Math.PI / 180;
// Bound once: inside Jest's vm sandbox every global lookup (`Math`) goes through an interceptor, which made the
// district check's ~1M haversine calls take seconds instead of milliseconds.
const { asin, cos, min, sin, sqrt } = Math;

/** Great-circle distance in km between two WGS 84 points given in degrees (haversine formula). */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RADIANS_PER_DEGREE;
  const dLon = (lon2 - lon1) * RADIANS_PER_DEGREE;
  const sinLat = sin(dLat / 2);
  const sinLon = sin(dLon / 2);
  const h = sinLat * sinLat + cos(lat1 * RADIANS_PER_DEGREE) * cos(lat2 * RADIANS_PER_DEGREE) * sinLon * sinLon;
  // min() guards against h creeping above 1 through rounding for antipodal points.
  return 2 * EARTH_RADIUS_KM * asin(min(1, sqrt(h)));
}

/** An inclusive latitude/longitude rectangle in degrees. */
export interface LatLonBox {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

/** The area DIGIPIN can encode (Department of Posts, March 2025): lat 2.5..38.5, lon 63.5..99.5. */
export const DIGIPIN_BOUNDS: Readonly<LatLonBox> = Object.freeze({ minLat: 2.5, maxLat: 38.5, minLon: 63.5, maxLon: 99.5 });

/**
 * India's rough extent, a little generous on every side: Indira Point (6.75 N) to the northern border (~37.1 N),
 * Lakshadweep and Kutch in the west (~68.1 E) to Arunachal Pradesh in the east (~97.4 E).
 */
export const INDIA_EXTENT: Readonly<LatLonBox> = Object.freeze({ minLat: 6, maxLat: 37.5, minLon: 68, maxLon: 97.5 });

export function isInBox(lat: number, lon: number, box: Readonly<LatLonBox>): boolean {
  return lat >= box.minLat && lat <= box.maxLat && lon >= box.minLon && lon <= box.maxLon;
}

/** The median of a non-empty list (mean of the two middle values for an even count). Does not modify `values`. */
export function median(values: ArrayLike<number>): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The median of `sorted` (ascending) without one of its elements, the one at `skip`: what `median` would return
 * for the list minus that element, in O(1). `sorted` must have at least two elements.
 */
export function medianWithout(sorted: ArrayLike<number>, skip: number): number {
  const n = sorted.length - 1;
  if (n < 1) throw new RangeError('median of an empty list');
  const at = (rank: number): number => sorted[rank < skip ? rank : rank + 1]!;
  const mid = n >> 1;
  return n % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}
