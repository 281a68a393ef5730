import fc from 'fast-check';
import { MAX_SERIAL, S10Error, checkDigit, format, isValid, parse } from '../src/index';

const WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7];
const remainder = (serial: string): number =>
  [...serial].reduce((sum, d, i) => sum + Number(d) * (WEIGHTS[i] as number), 0) % 11;

const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
const twoLetters = fc.tuple(letter, letter).map(([a, b]) => a + b);
const serialNumber = fc.integer({ min: 0, max: MAX_SERIAL });
const serialString = serialNumber.map((n) => String(n).padStart(8, '0'));

describe('properties', () => {
  it('format() output always parses back to the same parts', () => {
    fc.assert(
      fc.property(twoLetters, serialNumber, twoLetters, (si, serial, country) => {
        const articleNumber = format(si, serial, country);
        const parsed = parse(articleNumber);
        expect(parsed.articleNumber).toBe(articleNumber);
        expect(parsed.serviceIndicator).toBe(si.toUpperCase());
        expect(parsed.serial).toBe(String(serial).padStart(8, '0'));
        expect(parsed.countryCode).toBe(country.toUpperCase());
        expect(parsed.checkDigit).toBe(checkDigit(parsed.serial));
      }),
      { numRuns: 2_000 },
    );
  });

  it('every other check digit is rejected, naming the right one', () => {
    fc.assert(
      fc.property(serialString, fc.integer({ min: 0, max: 9 }), (serial, digit) => {
        const expected = checkDigit(serial);
        const input = `EE${serial}${digit}IN`;
        expect(isValid(input)).toBe(digit === expected);
        if (digit !== expected) {
          expect(() => parse(input)).toThrow(`check digit is ${digit} but should be ${expected}`);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('changing one serial digit always changes the weighted sum mod 11', () => {
    // Every weight is a unit mod 11 and a digit changes by 1..9, so the
    // product is never a multiple of 11. Exhaustive over positions and deltas:
    for (const w of WEIGHTS) {
      for (let delta = -9; delta <= 9; delta++) {
        if (delta !== 0) expect(((w * delta) % 11 + 11) % 11).not.toBe(0);
      }
    }
  });

  it('changing one serial digit changes the check digit, except between remainders 0 and 6', () => {
    // The standard maps remainder 0 to 11 -> 5 and remainder 6 to 5 as well,
    // so check digit 5 cannot tell those two apart. Everything else is caught.
    fc.assert(
      fc.property(serialString, fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 9 }), (serial, i, bump) => {
        const changed = serial.slice(0, i) + ((Number(serial[i]) + bump) % 10) + serial.slice(i + 1);
        const before = remainder(serial);
        const after = remainder(changed);
        expect(after).not.toBe(before);
        const undetectable = (before === 0 && after === 6) || (before === 6 && after === 0);
        expect(checkDigit(changed) === checkDigit(serial)).toBe(undetectable);
        expect(isValid(`RR${changed}${checkDigit(serial)}IN`)).toBe(undetectable);
      }),
      { numRuns: 5_000 },
    );
  });

  it('the 0 <-> 6 blind spot is real: 00000000 and 90000000 share check digit 5', () => {
    expect(remainder('00000000')).toBe(0);
    expect(remainder('90000000')).toBe(6); // 9 * 8 = 72 = 6 * 11 + 6
    expect(checkDigit('00000000')).toBe(5);
    expect(checkDigit('90000000')).toBe(5);
    expect(isValid('EE000000005IN')).toBe(true);
    expect(isValid('EE900000005IN')).toBe(true);
  });

  it('label spacing never changes the result', () => {
    fc.assert(
      fc.property(
        twoLetters,
        serialNumber,
        twoLetters,
        fc.array(fc.constantFrom('', ' ', '  ', '\t'), { minLength: 4, maxLength: 4 }),
        (si, serial, country, [a, b, c, d]) => {
          const canonical = format(si, serial, country);
          const spaced = `${canonical.slice(0, 2)}${a}${canonical.slice(2, 5)}${b}${canonical.slice(5, 8)}${c}${canonical.slice(8, 11)}${d}${canonical.slice(11)}`;
          expect(parse(spaced).articleNumber).toBe(canonical);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('on arbitrary strings, isValid agrees with parse and only S10Error is thrown', () => {
    const noise = fc.string({ unit: fc.constantFrom(...'EEINRA0123456789 x'), maxLength: 16 });
    fc.assert(
      fc.property(noise, (input) => {
        let parsed = true;
        try {
          parse(input);
        } catch (error) {
          expect(error).toBeInstanceOf(S10Error);
          parsed = false;
        }
        expect(isValid(input)).toBe(parsed);
      }),
      { numRuns: 5_000 },
    );
  });
});
