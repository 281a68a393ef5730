import { S10Error, SERVICE_INDICATORS, productFamilyOf, serviceIndicatorInfo, type ProductFamily } from '../src/index';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALL_INDICATORS = [...LETTERS].flatMap((a) => [...LETTERS].map((b) => a + b));

describe('SERVICE_INDICATORS', () => {
  it('covers all 676 two-letter indicators exactly once, in order', () => {
    const covered = SERVICE_INDICATORS.flatMap((r) => ALL_INDICATORS.filter((si) => si >= r.from && si <= r.to));
    expect(covered).toEqual(ALL_INDICATORS);
  });

  it('never lets a range straddle two first letters', () => {
    for (const r of SERVICE_INDICATORS) {
      expect(r.from[0]).toBe(r.to[0]);
      expect(r.from <= r.to).toBe(true);
      expect(r.from).toMatch(/^[A-Z]{2}$/);
      expect(r.to).toMatch(/^[A-Z]{2}$/);
      expect(r.description.length).toBeGreaterThan(0);
    }
  });

  it('is frozen data', () => {
    expect(Object.isFrozen(SERVICE_INDICATORS)).toBe(true);
    expect(Object.isFrozen(SERVICE_INDICATORS[0])).toBe(true);
  });

  it('allocates the product families by first letter as in S10', () => {
    const byFirstLetter = (letter: string): ProductFamily[] => [
      ...new Set(SERVICE_INDICATORS.filter((r) => r.from[0] === letter).map((r) => r.family)),
    ];
    expect(byFirstLetter('C')).toEqual(['PARCEL']);
    expect(byFirstLetter('E')).toEqual(['EMS']);
    expect(byFirstLetter('H')).toEqual(['ECOMMERCE_PARCEL']);
    expect(byFirstLetter('L')).toEqual(['LETTER_TRACKED']);
    expect(byFirstLetter('M')).toEqual(['LETTER_M_BAG']);
    expect(byFirstLetter('R')).toEqual(['LETTER_REGISTERED']);
    expect(byFirstLetter('U')).toEqual(['LETTER_UNTRACKED']);
    expect(byFirstLetter('V')).toEqual(['LETTER_INSURED']);
    expect(byFirstLetter('Q')).toEqual(['LETTER_IBRS', 'UNASSIGNED']);
    for (const reserved of 'JKSTW') expect(byFirstLetter(reserved)).toEqual(['RESERVED']);
    for (const domestic of 'BDNPZ') expect(byFirstLetter(domestic)).toEqual(['DOMESTIC']);
  });
});

describe('productFamilyOf', () => {
  it.each([
    ['EE', 'EMS'],
    ['EZ', 'EMS'],
    ['RA', 'LETTER_REGISTERED'],
    ['RZ', 'LETTER_REGISTERED'],
    ['CP', 'PARCEL'],
    ['LX', 'LETTER_TRACKED'],
    ['VA', 'LETTER_INSURED'],
    ['UA', 'LETTER_UNTRACKED'],
    ['HA', 'ECOMMERCE_PARCEL'],
    ['MA', 'LETTER_M_BAG'],
    ['QA', 'LETTER_IBRS'],
    ['QM', 'LETTER_IBRS'],
    ['QN', 'UNASSIGNED'],
    ['AU', 'UNASSIGNED'],
    ['AV', 'DOMESTIC'],
    ['GA', 'DOMESTIC'],
    ['GB', 'UNASSIGNED'],
    ['GD', 'DOMESTIC'],
    ['JA', 'RESERVED'],
    ['WZ', 'RESERVED'],
    ['ZZ', 'DOMESTIC'],
    ['ee', 'EMS'],
    ['cP', 'PARCEL'],
  ])('%s -> %s', (indicator, family) => {
    expect(productFamilyOf(indicator)).toBe(family);
  });

  it('returns the whole range from serviceIndicatorInfo', () => {
    expect(serviceIndicatorInfo('EE')).toMatchObject({ from: 'EA', to: 'EZ', family: 'EMS' });
    expect(serviceIndicatorInfo('cv').note).toMatch(/insured parcels/);
  });

  it.each(['E', 'EEE', 'E1', '', ' EE', 'ÉE'])('rejects %p', (indicator) => {
    let caught: unknown;
    try {
      productFamilyOf(indicator);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(S10Error);
    expect((caught as S10Error).reason).toBe('INVALID_SERVICE_INDICATOR');
  });
});
