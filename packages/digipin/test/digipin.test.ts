import {
  BOUNDS,
  DigipinError,
  GRID,
  LEVELS,
  SYMBOLS,
  approximateCellSize,
  containsPoint,
  decode,
  encode,
  encodeArea,
  isValid,
  normalize,
  type DigipinErrorReason,
} from '../src/index';
import { latitudeLine, longitudeLine, nextDown, nextUp, step } from './helpers';

// Expected codes below were produced by the reference implementation
// (INDIAPOST-gov/digipin src/digipin.js, getDigiPin) unless marked otherwise.

function rejection(fn: () => unknown): DigipinError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DigipinError) return error;
    throw error;
  }
  throw new Error('expected a DigipinError, but nothing was thrown');
}

function expectReason(fn: () => unknown, reason: DigipinErrorReason, message?: string | RegExp): void {
  const error = rejection(fn);
  expect(error.reason).toBe(reason);
  expect(error.name).toBe('DigipinError');
  expect(error).toBeInstanceOf(Error);
  if (message !== undefined) expect(error.message).toMatch(message);
}

describe('constants', () => {
  it('exposes the March 2025 bounding box', () => {
    expect(BOUNDS).toEqual({ minLatitude: 2.5, maxLatitude: 38.5, minLongitude: 63.5, maxLongitude: 99.5 });
    expect(Object.isFrozen(BOUNDS)).toBe(true);
  });

  it('exposes the labelling grid with the north row first', () => {
    expect(GRID).toEqual([
      ['F', 'C', '9', '8'],
      ['J', '3', '2', '7'],
      ['K', '4', '5', '6'],
      ['L', 'M', 'P', 'T'],
    ]);
    expect(LEVELS).toBe(10);
  });

  it('lists the sixteen symbols once each', () => {
    expect(SYMBOLS.join('')).toBe('23456789CFJKLMPT');
  });
});

describe('encode: published examples', () => {
  it('encodes Dak Bhawan, New Delhi (technical document §5 and the reference tests)', () => {
    expect(encode(28.622788, 77.213033)).toBe('39J-49L-L8T4');
  });

  it('encodes Bengaluru 12.9716, 77.5946 (reference test suite)', () => {
    expect(encode(12.9716, 77.5946)).toBe('4P3-JK8-52C9');
  });

  it('does not pre-round inputs to 6 decimals', () => {
    // 20.5 - 1e-9 rounds to 20.5 at 6 decimals, which would flip the level-1
    // symbol from 5 (south of 20.5° N) to 2 (north of it).
    expect(encode(20.5 - 1e-9, 81.5)).toBe('5FF-FFF-FFFF');
    expect(encode(20.5, 81.5)).toBe('2LL-LLL-LLLL');
  });
});

describe('encode: corners and edges of the bounding box', () => {
  it.each([
    ['south-west', 2.5, 63.5, 'LLL-LLL-LLLL'],
    ['north-east', 38.5, 99.5, '888-888-8888'],
    ['south-east', 2.5, 99.5, 'TTT-TTT-TTTT'],
    ['north-west', 38.5, 63.5, 'FFF-FFF-FFFF'],
  ])('%s corner', (_name, lat, lon, code) => {
    expect(encode(lat, lon)).toBe(code);
  });

  it.each([
    ['north edge (38.5° N) goes to the cell south of it', 38.5, 81.5, '9FF-FFF-FFFF'],
    ['south edge (2.5° N) goes to the cell north of it', 2.5, 81.5, 'PLL-LLL-LLLL'],
    ['west edge (63.5° E) goes to the cell east of it', 20.5, 63.5, 'JLL-LLL-LLLL'],
    ['east edge (99.5° E) goes to the cell west of it', 20.5, 99.5, '7TT-TTT-TTTT'],
    ['north edge at an arbitrary longitude', 38.5, 77.213033, 'C9F-C9F-F88C'],
    ['east edge at an arbitrary latitude', 28.622788, 99.5, '787-68T-T8T6'],
  ])('%s', (_name, lat, lon, code) => {
    expect(encode(lat, lon)).toBe(code);
  });

  it('treats the last double inside the box like any interior point', () => {
    expect(encode(nextDown(38.5), nextDown(99.5))).toBe('888-888-8888');
    expect(encode(nextUp(2.5), nextUp(63.5))).toBe('LLL-LLL-LLLL');
  });

  it('puts points on the top and right edges inside their decoded cell', () => {
    for (const [lat, lon] of [
      [38.5, 99.5],
      [38.5, 70.123],
      [10.987, 99.5],
    ] as const) {
      const area = encodeArea(lat, lon);
      expect(containsPoint(area.bounds, lat, lon)).toBe(true);
      expect(area.bounds.maxLatitude === 38.5 || area.bounds.maxLongitude === 99.5).toBe(true);
    }
  });
});

describe('encode: points on internal grid lines', () => {
  it('level 1: an intersection goes to the north-east cell', () => {
    // 20.5° N / 81.5° E is where the middle level-1 lines cross.
    expect(encode(20.5, 81.5)).toBe('2LL-LLL-LLLL');
    expect(encode(nextDown(20.5), 81.5)).toBe('5FF-FFF-FFFF'); // just south
    expect(encode(20.5, nextDown(81.5))).toBe('3TT-TTT-TTTT'); // just west
    expect(encode(nextDown(20.5), nextDown(81.5))).toBe('488-888-8888'); // south-west
  });

  it('level 1: horizontal lines go north, vertical lines go east', () => {
    // 11.5° N is the line between the bottom two rows; 72.5° E between the
    // two western columns.
    expect(encode(11.5, 70)).toBe(encode(11.5 + 1e-9, 70));
    expect(encode(11.5, 70)).not.toBe(encode(11.5 - 1e-9, 70));
    expect(encode(15, 72.5)).toBe(encode(15, 72.5 + 1e-9));
    expect(encode(15, 72.5)).not.toBe(encode(15, 72.5 - 1e-9));
    expect(encode(20.5, 72.5)).toBe('3LL-LLL-LLLL');
    expect(encode(11.5, 81.5)).toBe('5LL-LLL-LLLL');
  });

  it('level 2: an intersection goes to the north-east cell', () => {
    expect(latitudeLine(2, 1)).toBe(4.75);
    expect(longitudeLine(2, 3)).toBe(70.25);
    expect(encode(4.75, 70.25)).toBe('L6L-LLL-LLLL');
    expect(encode(nextDown(4.75), nextDown(70.25))).toBe('LP8-888-8888');
  });

  it('level 10: an intersection goes to the north-east cell', () => {
    const lat = latitudeLine(10, 123456);
    const lon = longitudeLine(10, 654321);
    expect(encode(lat, lon)).toBe('P48-7P7-6TLM');
    expect(encode(nextDown(lat), nextDown(lon))).toBe('P48-7P7-T8FF');
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])('level %i lines are the south/west edges of the cell they are assigned to', (level) => {
    const lines = 4 ** level;
    for (const fraction of [0.1, 0.37, 0.5, 0.81]) {
      const m = Math.max(1, Math.floor(lines * fraction));
      const k = Math.max(1, Math.floor(lines * (1 - fraction)));
      const lat = latitudeLine(level, m);
      const lon = longitudeLine(level, k);
      const { bounds } = encodeArea(lat, lon);
      expect(bounds.minLatitude).toBeLessThanOrEqual(lat);
      expect(bounds.minLongitude).toBeLessThanOrEqual(lon);
      // On a line, the point is exactly the south-west corner of its level-N
      // ancestor, so it is the south-west corner of the level-10 cell too.
      expect(bounds.minLatitude).toBe(lat);
      expect(bounds.minLongitude).toBe(lon);
      // One double to the south-west, it belongs to a different cell whose
      // north-east corner is the line crossing.
      const below = encodeArea(nextDown(lat), nextDown(lon)).bounds;
      expect(below.maxLatitude).toBe(lat);
      expect(below.maxLongitude).toBe(lon);
    }
  });
});

describe('encode: invalid coordinates', () => {
  it.each([
    ['latitude below the box', 2.4999, 77, /latitude 2\.4999 is outside the DIGIPIN area; latitude must be between 2\.5 and 38\.5/],
    ['latitude above the box', 38.5000001, 77, /latitude 38\.5000001 is outside .* between 2\.5 and 38\.5 \(inclusive\)/],
    ['longitude below the box', 20, 63.4, /longitude 63\.4 is outside .* between 63\.5 and 99\.5/],
    ['longitude above the box', 20, 100, /longitude 100 is outside .* between 63\.5 and 99\.5/],
    ['negative zero latitude', -0, 77, /latitude 0 is outside/],
    ['a southern-hemisphere point', -20.5, 81.5, /latitude -20\.5 is outside/],
  ])('rejects %s as OUT_OF_BOUNDS', (_name, lat, lon, message) => {
    expectReason(() => encode(lat, lon), 'OUT_OF_BOUNDS', message);
  });

  it('checks latitude before longitude, like the reference', () => {
    expectReason(() => encode(50, 50), 'OUT_OF_BOUNDS', /^latitude/);
  });

  it.each([
    ['NaN latitude', Number.NaN, 77, /latitude must be a finite number; got NaN/],
    ['NaN longitude', 20, Number.NaN, /longitude must be a finite number; got NaN/],
    ['Infinity', Number.POSITIVE_INFINITY, 77, /got Infinity/],
    ['-Infinity', 20, Number.NEGATIVE_INFINITY, /got -Infinity/],
  ])('rejects %s as INVALID_COORDINATE', (_name, lat, lon, message) => {
    expectReason(() => encode(lat, lon), 'INVALID_COORDINATE', message);
  });

  it('rejects non-number coordinates from JavaScript callers', () => {
    const untyped = encode as unknown as (lat: unknown, lon: unknown) => string;
    expectReason(() => untyped('28.6', 77.2), 'INVALID_COORDINATE', /latitude must be a finite number; got the string "28.6"/);
    expectReason(() => untyped(28.6, null), 'INVALID_COORDINATE', /longitude .* got null/);
    expectReason(() => untyped(undefined, 77), 'INVALID_COORDINATE', /got undefined/);
    expectReason(() => untyped(28.6, 77n), 'INVALID_COORDINATE', /got bigint/);
  });
});

describe('decode', () => {
  it('decodes Dak Bhawan to the cell that contains it', () => {
    const area = decode('39J-49L-L8T4');
    expect(area.code).toBe('39J-49L-L8T4');
    expect(containsPoint(area.bounds, 28.622788, 77.213033)).toBe(true);
    // The reference returns the centre as toFixed(6) strings; ours is the
    // unrounded number behind those strings.
    expect(area.latitude.toFixed(6)).toBe('28.622793');
    expect(area.longitude.toFixed(6)).toBe('77.213049');
    expect(area.latitude).toBe((area.bounds.minLatitude + area.bounds.maxLatitude) / 2);
    expect(area.longitude).toBe((area.bounds.minLongitude + area.bounds.maxLongitude) / 2);
  });

  it('returns exact cell bounds', () => {
    const { bounds } = decode('39J-49L-L8T4');
    expect(bounds).toEqual({
      minLatitude: 28.62277603149414,
      maxLatitude: 28.62281036376953,
      minLongitude: 77.21303176879883,
      maxLongitude: 77.21306610107422,
    });
    expect(bounds.maxLatitude - bounds.minLatitude).toBe(step(10));
    expect(bounds.maxLongitude - bounds.minLongitude).toBe(step(10));
  });

  it('decodes the four corner cells to the corners of the box', () => {
    expect(decode('FFF-FFF-FFFF').bounds).toMatchObject({ maxLatitude: 38.5, minLongitude: 63.5 });
    expect(decode('888-888-8888').bounds).toMatchObject({ maxLatitude: 38.5, maxLongitude: 99.5 });
    expect(decode('LLL-LLL-LLLL').bounds).toMatchObject({ minLatitude: 2.5, minLongitude: 63.5 });
    expect(decode('TTT-TTT-TTTT').bounds).toMatchObject({ minLatitude: 2.5, maxLongitude: 99.5 });
  });

  it.each([
    ['unhyphenated', '39J49LL8T4'],
    ['lower case', '39j-49l-l8t4'],
    ['lower case, unhyphenated', '39j49ll8t4'],
    ['mixed case', '39j-49L-l8T4'],
    ['surrounding whitespace', '  39J-49L-L8T4\n'],
    ['tabs and lower case', '\t39j49ll8t4\t'],
  ])('accepts the %s form', (_name, input) => {
    expect(decode(input)).toEqual(decode('39J-49L-L8T4'));
  });

  it('names the bad character and its position', () => {
    expectReason(
      () => decode('39A-49L-L8T4'),
      'INVALID_CHARACTER',
      'DIGIPIN "39A-49L-L8T4" has "A" at position 3; allowed symbols are 2-9, C, F, J, K, L, M, P, T',
    );
    expectReason(() => decode('39J-49L-L8T0'), 'INVALID_CHARACTER', /has "0" at position 12/);
    expectReason(() => decode('39J49LL8T1'), 'INVALID_CHARACTER', /has "1" at position 10/);
    expectReason(() => decode('39j-49l-l8tx'), 'INVALID_CHARACTER', /has "x" at position 12/);
    expectReason(() => decode('G9J-49L-L8T4'), 'INVALID_CHARACTER', /has "G" at position 1/);
    expectReason(() => decode('39J_49L_L8T4'), 'INVALID_CHARACTER', /has "_" at position 4/);
  });

  it('rejects every letter and digit outside the symbol set', () => {
    for (const ch of '01ABDEGHINOQRSUVWXYZ') {
      expectReason(() => decode(`${ch}9J-49L-L8T4`), 'INVALID_CHARACTER');
      expectReason(() => decode(`${ch.toLowerCase()}9J-49L-L8T4`), 'INVALID_CHARACTER');
    }
  });

  it('does not let upper-casing smuggle in symbols', () => {
    // "ß".toUpperCase() is "SS": two characters from one.
    expectReason(() => decode('ß9J-49L-L8T4'), 'INVALID_CHARACTER', /has "ß" at position 1/);
    // Fullwidth "Ｃ" (U+FF23) looks like a symbol but is not one.
    expectReason(() => decode('Ｃ9J-49L-L8T4'), 'INVALID_CHARACTER', /position 1/);
  });

  it('counts positions in characters, not UTF-16 units', () => {
    expectReason(() => decode('39J-49L-L8T😀'), 'INVALID_CHARACTER', /has "😀" at position 12/);
  });

  it.each([
    ['empty', '', 0],
    ['whitespace only', '   ', 0],
    ['hyphens only', '---', 0],
    ['one group', '39J', 3],
    ['two groups', '39J-49L', 6],
    ['one symbol short', '39J-49L-L8T', 9],
    ['one symbol long', '39J-49L-L8T44', 11],
    ['unhyphenated, one long', '39J49LL8T444', 12],
  ])('rejects %s input as INVALID_LENGTH', (_name, input, found) => {
    expectReason(() => decode(input), 'INVALID_LENGTH', new RegExp(`has ${found} symbols?; 10 are needed`));
  });

  it('uses the singular for one symbol', () => {
    expectReason(() => decode('3'), 'INVALID_LENGTH', 'DIGIPIN "3" has 1 symbol; 10 are needed');
  });

  it.each([
    ['a hyphen after the 2nd symbol', '39-J49L-L8T4'],
    ['a hyphen after the 4th symbol', '39J4-9LL8T4'],
    ['only the first hyphen', '39J-49LL8T4'],
    ['only the second hyphen', '39J49L-L8T4'],
    ['a doubled hyphen', '39J--49L-L8T4'],
    ['a leading hyphen', '-39J-49L-L8T4'],
    ['a trailing hyphen', '39J-49L-L8T4-'],
    ['4-3-3 grouping', '39J4-9LL-8T4'],
  ])('rejects %s as INVALID_FORMAT', (_name, input) => {
    expectReason(() => decode(input), 'INVALID_FORMAT', /hyphens in the wrong place; write XXX-XXX-XXXX/);
  });

  it('rejects spaces between the groups as INVALID_FORMAT', () => {
    // The technical document prints "39J 49L L8T4", but only hyphens are part
    // of the accepted format.
    expectReason(() => decode('39J 49L L8T4'), 'INVALID_FORMAT', /has a space at position 4/);
    expectReason(() => decode('39J-49L-\tL8T4'), 'INVALID_FORMAT', /has whitespace at position 9/);
  });

  it('rejects non-strings', () => {
    const untyped = decode as unknown as (code: unknown) => unknown;
    expectReason(() => untyped(undefined), 'INVALID_FORMAT', /DIGIPIN must be a string; got undefined/);
    expectReason(() => untyped(3949), 'INVALID_FORMAT', /got 3949/);
    expectReason(() => untyped(null), 'INVALID_FORMAT', /got null/);
  });

  it('keeps error messages short for long input', () => {
    const error = rejection(() => decode('2'.repeat(500)));
    expect(error.reason).toBe('INVALID_LENGTH');
    expect(error.message.length).toBeLessThan(120);
    expect(error.message).toContain('has 500 symbols');
  });
});

describe('normalize and isValid', () => {
  it('produces the canonical hyphenated upper-case form', () => {
    expect(normalize('39j49ll8t4')).toBe('39J-49L-L8T4');
    expect(normalize(' 39J-49L-L8T4 ')).toBe('39J-49L-L8T4');
    expect(normalize('39J-49L-L8T4')).toBe('39J-49L-L8T4');
  });

  it('throws the same errors as decode', () => {
    expectReason(() => normalize('39A-49L-L8T4'), 'INVALID_CHARACTER');
    expectReason(() => normalize('39J-49L'), 'INVALID_LENGTH');
    expectReason(() => normalize('39-J49L-L8T4'), 'INVALID_FORMAT');
  });

  it('validates without throwing', () => {
    expect(isValid('39J-49L-L8T4')).toBe(true);
    expect(isValid('39j49ll8t4')).toBe(true);
    expect(isValid('39A-49L-L8T4')).toBe(false);
    expect(isValid('39J-49L')).toBe(false);
    expect(isValid('39-J49L-L8T4')).toBe(false);
    expect(isValid('')).toBe(false);
    expect((isValid as (code: unknown) => boolean)(42)).toBe(false);
  });
});

describe('encodeArea', () => {
  it('is encode followed by decode', () => {
    expect(encodeArea(28.622788, 77.213033)).toEqual(decode('39J-49L-L8T4'));
  });

  it('validates its input like encode', () => {
    expectReason(() => encodeArea(Number.NaN, 77), 'INVALID_COORDINATE');
    expectReason(() => encodeArea(40, 77), 'OUT_OF_BOUNDS');
  });
});

describe('containsPoint', () => {
  const { bounds } = decode('39J-49L-L8T4');

  it('is closed on the south and west sides and open on the north and east sides', () => {
    expect(containsPoint(bounds, bounds.minLatitude, bounds.minLongitude)).toBe(true);
    expect(containsPoint(bounds, bounds.maxLatitude, bounds.minLongitude)).toBe(false);
    expect(containsPoint(bounds, bounds.minLatitude, bounds.maxLongitude)).toBe(false);
    expect(containsPoint(bounds, nextDown(bounds.minLatitude), bounds.minLongitude)).toBe(false);
  });

  it('is closed on the north and east sides along 38.5° N and 99.5° E', () => {
    const corner = decode('888-888-8888').bounds;
    expect(containsPoint(corner, 38.5, 99.5)).toBe(true);
    expect(containsPoint(corner, nextUp(38.5), 99.5)).toBe(false);
  });
});

describe('approximateCellSize', () => {
  it('gives the documented sizes', () => {
    // Technical document Table 1: 9° at level 1, ~3.8 m at level 10.
    expect(approximateCellSize(2.5, 1).degrees).toBe(9);
    expect(approximateCellSize(2.5, 2).degrees).toBe(2.25);
    const full = approximateCellSize(2.5);
    expect(full.degrees).toBe(36 / 4 ** 10);
    expect(full.northSouthMeters).toBeCloseTo(3.82, 2);
    expect(full.eastWestMeters).toBeLessThan(full.northSouthMeters);
    expect(approximateCellSize(38.5).eastWestMeters).toBeCloseTo(3.82 * Math.cos((38.5 * Math.PI) / 180), 2);
  });

  it('rejects bad levels and latitudes', () => {
    expect(() => approximateCellSize(20, 0)).toThrow(RangeError);
    expect(() => approximateCellSize(20, 11)).toThrow(RangeError);
    expect(() => approximateCellSize(20, 2.5)).toThrow(RangeError);
    expectReason(() => approximateCellSize(50), 'OUT_OF_BOUNDS');
  });
});
