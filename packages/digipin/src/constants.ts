/**
 * The DIGIPIN bounding box in EPSG:4326 degrees. All four sides are inclusive:
 * points on 38.5° N and 99.5° E still get a code (see the boundary rule in
 * digipin.ts).
 */
export const BOUNDS = Object.freeze({
  minLatitude: 2.5,
  maxLatitude: 38.5,
  minLongitude: 63.5,
  maxLongitude: 99.5,
});

/** Number of subdivision levels, and therefore symbols, in a full DIGIPIN. */
export const LEVELS = 10;

/** One of the sixteen DIGIPIN symbols. */
export type DigipinSymbol =
  | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9'
  | 'C' | 'F' | 'J' | 'K' | 'L' | 'M' | 'P' | 'T';

/**
 * The 4x4 labelling grid used at every level. Row 0 is the NORTH row and
 * column 0 the WEST column, so the symbols spiral anticlockwise outwards from
 * the centre as the technical document describes.
 */
export const GRID: readonly (readonly DigipinSymbol[])[] = Object.freeze([
  Object.freeze(['F', 'C', '9', '8'] as const),
  Object.freeze(['J', '3', '2', '7'] as const),
  Object.freeze(['K', '4', '5', '6'] as const),
  Object.freeze(['L', 'M', 'P', 'T'] as const),
]);

/** The sixteen symbols in sorted order (digits, then letters). */
export const SYMBOLS: readonly DigipinSymbol[] = Object.freeze(
  [...GRID.flat()].sort() as DigipinSymbol[],
);

// Row-major flattening of GRID: index = row * 4 + column. A string keeps the
// hot loops free of nested-array lookups that noUncheckedIndexedAccess would
// force us to null-check.
export const GRID_CELLS = 'FC98J327K456LMPT';
