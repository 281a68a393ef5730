import { MAX_SERIAL, S10Error, checkDigit, format, isValid, parse, type S10ErrorReason } from '../src/index';

function rejection(fn: () => unknown): S10Error {
  try {
    fn();
  } catch (error) {
    if (error instanceof S10Error) return error;
    throw error;
  }
  throw new Error('expected an S10Error, but nothing was thrown');
}

function expectReason(fn: () => unknown, reason: S10ErrorReason, message?: string | RegExp): void {
  const error = rejection(fn);
  expect(error.reason).toBe(reason);
  expect(error.name).toBe('S10Error');
  expect(error).toBeInstanceOf(Error);
  if (message !== undefined) expect(error.message).toMatch(message);
}

// Independent restatement of the S10 rule, used to cross-check checkDigit().
function weightedSum(serial: string): number {
  const weights = [8, 6, 4, 2, 3, 5, 9, 7];
  return [...serial].reduce((sum, d, i) => sum + Number(d) * (weights[i] as number), 0);
}

describe('checkDigit', () => {
  it('computes the worked example of the standard: 47312482 -> S = 200 -> 9', () => {
    expect(weightedSum('47312482')).toBe(200);
    expect(checkDigit('47312482')).toBe(9);
  });

  it('maps c = 10 to 0 (sum mod 11 = 1)', () => {
    // 00000008: S = 8 * 7 = 56, 56 mod 11 = 1, c = 11 - 1 = 10 -> 0
    expect(weightedSum('00000008') % 11).toBe(1);
    expect(checkDigit('00000008')).toBe(0);
    // RT395449360DE, from the examples of the S10 standard
    expect(weightedSum('39544936') % 11).toBe(1);
    expect(checkDigit('39544936')).toBe(0);
  });

  it('maps c = 11 to 5 (sum mod 11 = 0)', () => {
    expect(checkDigit('00000000')).toBe(5);
    // 99999999: S = 9 * 44 = 396 = 36 * 11
    expect(weightedSum('99999999')).toBe(396);
    expect(checkDigit('99999999')).toBe(5);
    // VA456789015KG, from the examples of the S10 standard
    expect(weightedSum('45678901') % 11).toBe(0);
    expect(checkDigit('45678901')).toBe(5);
  });

  it('is 11 - (sum mod 11) for every other remainder', () => {
    // Serials 0000000d and 000000d0 reach every remainder between them.
    const seen = new Set<number>();
    for (let d = 0; d <= 9; d++) {
      for (const serial of [`0000000${d}`, `000000${d}0`, `00000${d}00`]) {
        const r = weightedSum(serial) % 11;
        seen.add(r);
        const expected = r === 1 ? 0 : r === 0 ? 5 : 11 - r;
        expect(checkDigit(serial)).toBe(expected);
      }
    }
    expect(seen.size).toBe(11);
  });

  it.each([
    ['seven digits', '1234567'],
    ['nine digits', '123456789'],
    ['a letter', '1234567A'],
    ['a space', '1234 678'],
    ['fullwidth digits', '１２３４５６７８'],
    ['empty', ''],
  ])('rejects %s as INVALID_SERIAL', (_name, serial) => {
    expectReason(() => checkDigit(serial), 'INVALID_SERIAL', /serial number must be exactly 8 digits/);
  });

  it('rejects non-strings', () => {
    expectReason(() => (checkDigit as (s: unknown) => number)(12345678), 'INVALID_SERIAL', /got 12345678/);
  });
});

describe('format', () => {
  it('builds the canonical article number, defaulting to India', () => {
    expect(format('EE', 12345678)).toBe('EE123456785IN');
    expect(format('RA', '47312482', 'GB')).toBe('RA473124829GB');
  });

  it('zero-pads the serial', () => {
    expect(format('CP', 0)).toBe('CP000000005IN');
    expect(format('EE', 8)).toBe('EE000000080IN');
    expect(format('EE', '8')).toBe('EE000000080IN');
    expect(format('EE', '00000008')).toBe('EE000000080IN');
    expect(format('RR', MAX_SERIAL)).toBe('RR999999995IN');
  });

  it('upper-cases letters', () => {
    expect(format('ee', 12345678, 'in')).toBe('EE123456785IN');
  });

  it.each([
    ['one letter', 'E'],
    ['three letters', 'EEE'],
    ['a digit', 'E1'],
    ['a non-ASCII letter', 'EÉ'],
    ['a letter that upper-cases to two', 'ß'],
    ['empty', ''],
  ])('rejects a service indicator with %s', (_name, si) => {
    expectReason(() => format(si, 1), 'INVALID_SERVICE_INDICATOR', /service indicator must be two letters A-Z/);
  });

  it.each([
    ['negative', -1],
    ['too large', MAX_SERIAL + 1],
    ['fractional', 1.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('rejects a %s numeric serial', (_name, serial) => {
    expectReason(() => format('EE', serial), 'INVALID_SERIAL', /from 0 to 99999999/);
  });

  it.each([
    ['nine digits', '123456789'],
    ['a letter', '1234567A'],
    ['a sign', '-1'],
    ['an empty string', ''],
    ['spaces', '1234 5678'],
  ])('rejects a string serial with %s', (_name, serial) => {
    expectReason(() => format('EE', serial), 'INVALID_SERIAL', /serial number must be 1 to 8 digits/);
  });

  it.each([
    ['three letters', 'IND'],
    ['a digit', 'I1'],
    ['empty', ''],
  ])('rejects a country code with %s', (_name, country) => {
    expectReason(() => format('EE', 1, country), 'INVALID_COUNTRY_CODE', /country code must be two letters A-Z/);
  });
});

describe('parse', () => {
  // Verified by computing the check digit; sources in the comments.
  it.each([
    ['RA473124829GB', 'worked example of the S10 check digit (47312482 -> 9)'],
    ['EE123456785KR', 'S10 standard example'],
    ['RR876543216ER', 'S10 standard example'],
    ['VA456789015KG', 'S10 standard example (c = 11 -> 5)'],
    ['CP654321092GM', 'S10 standard example'],
    ['CV010000155UA', 'S10 standard example'],
    ['EE876543216CA', 'S10 standard example'],
    ['RR012808877PH', 'S10 standard example'],
    ['RR072705659PL', 'S10 standard example'],
    ['RT011231107HK', 'S10 standard example'],
    ['RT395449360DE', 'S10 standard example (c = 10 -> 0)'],
    ['EB000717618HK', 'Hongkong Post EMS, from the s10 npm package'],
    ['EE471108151FR', 'La Poste EMS, from the BWIPP documentation'],
    ['EE123456785IN', 'format("EE", 12345678)'],
  ])('accepts %s (%s)', (articleNumber) => {
    const parsed = parse(articleNumber);
    expect(parsed.articleNumber).toBe(articleNumber);
    expect(isValid(articleNumber)).toBe(true);
  });

  it('splits the number into its parts', () => {
    expect(parse('EE123456785IN')).toEqual({
      serviceIndicator: 'EE',
      serial: '12345678',
      checkDigit: 5,
      countryCode: 'IN',
      articleNumber: 'EE123456785IN',
    });
  });

  it.each([
    ['surrounding whitespace', '  EE123456785IN\n'],
    ['lower case', 'ee123456785in'],
    ['mixed case', 'eE123456785In'],
    ['label grouping 2-3-3-3-2', 'EE 123 456 785 IN'],
    ['2-9-2 grouping', 'EE 123456785 IN'],
    ['2-8-1-2 grouping', 'EE 12345678 5 IN'],
    ['double spaces and tabs', 'EE  123\t456  785 IN'],
    ['no-break spaces', 'EE\u00a0123\u00a0456\u00a0785\u00a0IN'],
    ['lower case with label grouping', ' ee 123 456 785 in '],
  ])('forgives %s', (_name, input) => {
    expect(parse(input).articleNumber).toBe('EE123456785IN');
    expect(isValid(input)).toBe(true);
  });

  it('accepts any two-letter service indicator and country code, including reserved ranges', () => {
    // Items from other posts are tracked too, and the standard's reserved
    // ranges are a matter for productFamilyOf(), not for well-formedness.
    expect(parse(format('JA', 1, 'ZZ')).serviceIndicator).toBe('JA');
    expect(parse(format('QZ', 1, 'XK')).countryCode).toBe('XK');
  });

  it('names the wrong check digit and the expected one', () => {
    expectReason(
      () => parse('EE123456784IN'),
      'INVALID_CHECK_DIGIT',
      'S10 article number "EE123456784IN": check digit is 4 but should be 5',
    );
    expectReason(() => parse('RT395449365DE'), 'INVALID_CHECK_DIGIT', /check digit is 5 but should be 0/);
    expectReason(() => parse('EE 000 000 000 IN'), 'INVALID_CHECK_DIGIT', /check digit is 0 but should be 5/);
  });

  it('rejects a non-digit check digit', () => {
    expectReason(() => parse('EE12345678XIN'), 'INVALID_CHECK_DIGIT', /has check digit "X"; it must be a digit/);
  });

  it.each([
    ['empty', '', 0],
    ['whitespace only', '   ', 0],
    ['missing the country code', 'EE123456785', 11],
    ['one character short', 'EE123456785I', 12],
    ['one character long', 'EE123456785INN', 14],
    ['a 9-digit serial', 'EE1234567895IN', 14],
  ])('rejects %s by length', (_name, input, found) => {
    expectReason(() => parse(input), 'INVALID_LENGTH', new RegExp(`has ${found} characters?.*; 13 are needed`));
  });

  it('counts characters without the spaces', () => {
    expectReason(() => parse('EE 123 456 785'), 'INVALID_LENGTH', /has 11 characters besides spaces; 13 are needed/);
    expectReason(() => parse('E'), 'INVALID_LENGTH', /has 1 character; 13 are needed/);
  });

  it('rejects a bad service indicator', () => {
    expectReason(() => parse('1E123456785IN'), 'INVALID_SERVICE_INDICATOR', /service indicator "1E"; it must be two letters A-Z/);
    expectReason(() => parse('ÉE123456785IN'), 'INVALID_SERVICE_INDICATOR', /"ÉE"/);
    expectReason(() => parse('E E123456785IN'), 'INVALID_SERVICE_INDICATOR', /space inside its service indicator/);
    // Right length, wrong content: reported against the first bad group.
    expectReason(() => parse('1234567890123'), 'INVALID_SERVICE_INDICATOR', /"12"/);
  });

  it('does not let upper-casing smuggle in letters', () => {
    // "ıE" upper-cases to "IE" and "ﬀ" (one character) to "FF".
    expectReason(() => parse('ıE123456785IN'), 'INVALID_SERVICE_INDICATOR');
    expectReason(() => parse('EE123456785ﬀX'), 'INVALID_COUNTRY_CODE');
  });

  it('rejects a bad serial number', () => {
    expectReason(() => parse('EE12345A785IN'), 'INVALID_SERIAL', /serial number "12345A78"; it must be 8 digits/);
    expectReason(() => parse('EE１23456785IN'), 'INVALID_SERIAL');
  });

  it('rejects a bad country code', () => {
    expectReason(() => parse('EE1234567851N'), 'INVALID_COUNTRY_CODE', /country code "1N"; it must be two letters A-Z/);
    expectReason(() => parse('EE 123 456 785 I N'), 'INVALID_COUNTRY_CODE', /space inside its country code/);
  });

  it('rejects non-strings', () => {
    const untyped = parse as (input: unknown) => unknown;
    expectReason(() => untyped(undefined), 'INVALID_LENGTH', /must be a string; got undefined/);
    expectReason(() => untyped(123456785), 'INVALID_LENGTH', /got 123456785/);
    expect((isValid as (input: unknown) => boolean)(null)).toBe(false);
  });

  it('keeps error messages short for long input', () => {
    const error = rejection(() => parse('E'.repeat(10_000)));
    expect(error.reason).toBe('INVALID_LENGTH');
    expect(error.message.length).toBeLessThan(160);
  });
});

describe('isValid', () => {
  it('never throws', () => {
    expect(isValid('EE123456785IN')).toBe(true);
    expect(isValid('EE123456784IN')).toBe(false);
    expect(isValid('')).toBe(false);
    expect(isValid('EE12345678')).toBe(false);
  });
});
