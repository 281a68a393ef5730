import fc from 'fast-check';
import { BOUNDS, DigipinError, SYMBOLS, decode, encode, isValid, normalize } from '../src/index';
import { latitudeLine, longitudeLine, nextDown, step } from './helpers';

const RUNS = { numRuns: 2_000 };

// The boundary rule, restated here rather than imported so the property does
// not test containsPoint() against itself: cells are half-open on the north and
// east, except along the box's own north and east edges.
function inCell(
  b: { minLatitude: number; maxLatitude: number; minLongitude: number; maxLongitude: number },
  lat: number,
  lon: number,
): boolean {
  const latOk = lat >= b.minLatitude && (lat < b.maxLatitude || (lat === 38.5 && b.maxLatitude === 38.5));
  const lonOk = lon >= b.minLongitude && (lon < b.maxLongitude || (lon === 99.5 && b.maxLongitude === 99.5));
  return latOk && lonOk;
}

const anyLatitude = fc.double({ min: BOUNDS.minLatitude, max: BOUNDS.maxLatitude, noNaN: true });
const anyLongitude = fc.double({ min: BOUNDS.minLongitude, max: BOUNDS.maxLongitude, noNaN: true });

// Points exactly on (or one double below) a grid line of some level, where an
// off-by-one in the boundary rule would show.
const gridLatitude = fc
  .tuple(fc.integer({ min: 1, max: 10 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean())
  .map(([level, t, below]) => {
    const line = latitudeLine(level, Math.round(t * 4 ** level));
    return below && line > BOUNDS.minLatitude ? nextDown(line) : line;
  });
const gridLongitude = fc
  .tuple(fc.integer({ min: 1, max: 10 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean())
  .map(([level, t, below]) => {
    const line = longitudeLine(level, Math.round(t * 4 ** level));
    return below && line > BOUNDS.minLongitude ? nextDown(line) : line;
  });

const latitude = fc.oneof(anyLatitude, gridLatitude);
const longitude = fc.oneof(anyLongitude, gridLongitude);

const symbols = fc.array(fc.constantFrom(...SYMBOLS), { minLength: 10, maxLength: 10 }).map((s) => s.join(''));
const canonicalCode = symbols.map((s) => `${s.slice(0, 3)}-${s.slice(3, 6)}-${s.slice(6)}`);

// A valid code written the ways people write it: any case, hyphens or not,
// surrounding whitespace.
const writtenCode = fc
  .tuple(
    symbols,
    fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
    fc.boolean(),
    fc.constantFrom('', ' ', '\t', '\n  '),
    fc.constantFrom('', ' ', '\r\n'),
  )
  .map(([s, lower, hyphens, before, after]) => {
    const cased = [...s].map((ch, i) => (lower[i] ? ch.toLowerCase() : ch)).join('');
    const body = hyphens ? `${cased.slice(0, 3)}-${cased.slice(3, 6)}-${cased.slice(6)}` : cased;
    return `${before}${body}${after}`;
  });

describe('properties', () => {
  it('decode(encode(p)).bounds contains p, under the boundary rule', () => {
    fc.assert(
      fc.property(latitude, longitude, (lat, lon) => {
        const area = decode(encode(lat, lon));
        expect(inCell(area.bounds, lat, lon)).toBe(true);
      }),
      RUNS,
    );
  });

  it('every decoded cell is one level-10 cell wide, inside the box', () => {
    fc.assert(
      fc.property(canonicalCode, (code) => {
        const { bounds } = decode(code);
        expect(bounds.maxLatitude - bounds.minLatitude).toBe(step(10));
        expect(bounds.maxLongitude - bounds.minLongitude).toBe(step(10));
        expect(bounds.minLatitude).toBeGreaterThanOrEqual(BOUNDS.minLatitude);
        expect(bounds.maxLatitude).toBeLessThanOrEqual(BOUNDS.maxLatitude);
        expect(bounds.minLongitude).toBeGreaterThanOrEqual(BOUNDS.minLongitude);
        expect(bounds.maxLongitude).toBeLessThanOrEqual(BOUNDS.maxLongitude);
      }),
      RUNS,
    );
  });

  it('encode(decode(c) centre) === c for every valid code', () => {
    fc.assert(
      fc.property(canonicalCode, (code) => {
        const area = decode(code);
        expect(encode(area.latitude, area.longitude)).toBe(code);
      }),
      RUNS,
    );
  });

  it('encode(decode(c) south-west corner) === c: the corner belongs to its own cell', () => {
    fc.assert(
      fc.property(canonicalCode, (code) => {
        const { bounds } = decode(code);
        expect(encode(bounds.minLatitude, bounds.minLongitude)).toBe(code);
      }),
      RUNS,
    );
  });

  it('normalize accepts every written form and is idempotent', () => {
    fc.assert(
      fc.property(writtenCode, (written) => {
        const once = normalize(written);
        expect(normalize(once)).toBe(once);
        expect(once).toMatch(/^[2-9CFJKLMPT]{3}-[2-9CFJKLMPT]{3}-[2-9CFJKLMPT]{4}$/);
        expect(decode(written).code).toBe(once);
        expect(isValid(written)).toBe(true);
      }),
      RUNS,
    );
  });

  it('on arbitrary strings, isValid agrees with decode and normalize is idempotent', () => {
    const noise = fc.string({
      unit: fc.constantFrom(...SYMBOLS, 'a', 'c', 'f', 'G', '0', '1', '-', ' ', '_'),
      maxLength: 14,
    });
    fc.assert(
      fc.property(noise, (input) => {
        let decoded = true;
        try {
          decode(input);
        } catch (error) {
          expect(error).toBeInstanceOf(DigipinError);
          decoded = false;
        }
        expect(isValid(input)).toBe(decoded);
        if (decoded) expect(normalize(normalize(input))).toBe(normalize(input));
      }),
      { numRuns: 5_000 },
    );
  });
});
