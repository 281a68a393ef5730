import fc from 'fast-check';
import {
  TARIFF_VERSIONS,
  TariffError,
  chargeableWeightGrams,
  distanceBand,
  quote,
  roundHalfUp,
  tariffVersionFor,
  volumetricWeightGrams,
  type DistanceBand,
  type Quote,
  type TariffRequest,
} from '../../src/domain';

// 10:00 IST on dates either side of the 2025 revision.
const AFTER_2025_REVISION = new Date('2025-10-15T04:30:00Z');
const BEFORE_2025_REVISION = new Date('2024-06-15T04:30:00Z');

/** A distance inside each band, with the locality flag that selects it. */
const ROUTE: Readonly<Record<DistanceBand, { distanceKm: number; sameLocality: boolean }>> = {
  LOCAL: { distanceKm: 8, sameLocality: true },
  UPTO_200_KM: { distanceKm: 150, sameLocality: false },
  KM_201_500: { distanceKm: 350, sameLocality: false },
  KM_501_1000: { distanceKm: 750, sameLocality: false },
  KM_1001_2000: { distanceKm: 1_400, sameLocality: false },
  ABOVE_2000_KM: { distanceKm: 2_600, sameLocality: false },
};

function speedPostDocument(weightGrams: number, band: DistanceBand, extra: Partial<TariffRequest> = {}): Quote {
  return quote({ product: 'SPEED_POST_DOCUMENT', weightGrams, ...ROUTE[band], bookedOn: AFTER_2025_REVISION, ...extra });
}

/** Runs `fn` and returns the TariffError it throws, failing the test if it throws anything else or nothing. */
function tariffErrorOf(fn: () => unknown): TariffError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TariffError) return error;
    throw error;
  }
  throw new Error('expected a TariffError, but nothing was thrown');
}

function expectLinesToAddUp(q: Quote): void {
  expect(q.lineItems.reduce((total, line) => total + line.amountPaise, 0)).toBe(q.totalPaise);
  expect(q.taxablePaise).toBe(q.basePaise - q.discountPaise + q.servicesPaise);
  expect(q.totalPaise).toBe(q.taxablePaise + q.gstPaise);
}

describe('Speed Post Document, Table IV-A (from 1 Oct 2025)', () => {
  // Rupees per slab, bands in the order LOCAL, ≤200, 201–500, 501–1000, 1001–2000, >2000.
  const TABLE: readonly [string, readonly number[], readonly number[]][] = [
    ['up to 50 g', [1, 50], [19, 47, 47, 47, 47, 47]],
    ['51–250 g', [51, 250], [24, 59, 63, 68, 72, 77]],
    ['251–500 g', [251, 500], [28, 70, 75, 82, 86, 93]],
  ];
  const BANDS: readonly DistanceBand[] = ['LOCAL', 'UPTO_200_KM', 'KM_201_500', 'KM_501_1000', 'KM_1001_2000', 'ABOVE_2000_KM'];
  const cells = TABLE.flatMap(([slab, weights, rupees]) =>
    BANDS.flatMap((band, i) => weights.map((weightGrams) => ({ slab, weightGrams, band, paise: (rupees[i] as number) * 100 }))),
  );

  it.each(cells)('$slab at $weightGrams g, $band: $paise paise', ({ weightGrams, band, paise }) => {
    const q = speedPostDocument(weightGrams, band);
    expect(q.basePaise).toBe(paise);
    expect(q.band).toBe(band);
    expect(q.tariffVersion).toBe('IN-DOMESTIC-2025-10-01');
    expect(q.unconfirmedRates).toBe(false);
    expect(q.gstPaise).toBe(roundHalfUp(paise * 18, 100));
    expectLinesToAddUp(q);
  });

  it('matches the published GST-inclusive prices: ₹47 → ₹55.46, ₹19 → ₹22.42', () => {
    expect(speedPostDocument(50, 'ABOVE_2000_KM').totalPaise).toBe(5_546);
    expect(speedPostDocument(50, 'LOCAL').totalPaise).toBe(2_242);
  });

  it('charges documents above 500 g per additional 500 g or part, flagged unconfirmed', () => {
    const q501 = speedPostDocument(501, 'ABOVE_2000_KM');
    expect(q501.basePaise).toBe(9_300 + 5_000);
    expect(q501.unconfirmedRates).toBe(true);
    expect(q501.lineItems[0]).toMatchObject({ code: 'POSTAGE', rateConfirmed: false });
    expect(speedPostDocument(1_000, 'ABOVE_2000_KM').basePaise).toBe(9_300 + 5_000);
    expect(speedPostDocument(2_000, 'LOCAL').basePaise).toBe(2_800 + 3 * 1_000);
  });
});

describe('versions by effective date', () => {
  it('switches at midnight IST on 1 October 2025, not midnight UTC', () => {
    const lastMinuteOld = quote({ product: 'SPEED_POST_DOCUMENT', weightGrams: 40, distanceKm: 900, sameLocality: false, bookedOn: new Date('2025-09-30T18:29:59Z') });
    const firstMinuteNew = quote({ product: 'SPEED_POST_DOCUMENT', weightGrams: 40, distanceKm: 900, sameLocality: false, bookedOn: new Date('2025-09-30T18:30:00Z') });
    expect(lastMinuteOld.tariffVersion).toBe('IN-DOMESTIC-2023-01-10');
    expect(lastMinuteOld.basePaise).toBe(3_500);
    expect(firstMinuteNew.tariffVersion).toBe('IN-DOMESTIC-2025-10-01');
    expect(firstMinuteNew.basePaise).toBe(4_700);
  });

  it('keeps versions in date order and picks the latest one in force', () => {
    const dates = TARIFF_VERSIONS.map((v) => v.effectiveFrom);
    expect([...dates].sort()).toEqual(dates);
    expect(tariffVersionFor(new Date('2030-01-01T00:00:00Z')).id).toBe('IN-DOMESTIC-2025-10-01');
  });

  it('refuses dates before the first version', () => {
    const error = tariffErrorOf(() => tariffVersionFor(new Date('2020-01-01T00:00:00Z')));
    expect(error).toMatchObject({ reason: 'NO_TARIFF_FOR_DATE', field: 'bookedOn' });
    expect(error.message).toBe('no tariff is recorded for bookings on 2020-01-01 (IST); the earliest version starts on 2023-01-10');
  });

  it('rejects an invalid Date', () => {
    expect(tariffErrorOf(() => speedPostDocument(10, 'LOCAL', { bookedOn: new Date('not a date') }))).toMatchObject({
      reason: 'INVALID_DATE',
      field: 'bookedOn',
    });
  });

  it('prices Registered Post before the merger: ₹5 per 20 g plus ₹17 registration', () => {
    const q = quote({ product: 'REGISTERED', weightGrams: 45, distanceKm: 1_200, sameLocality: false, bookedOn: BEFORE_2025_REVISION });
    expect(q.basePaise).toBe(3 * 500);
    expect(q.lineItems.map((l) => [l.code, l.amountPaise])).toEqual([
      ['POSTAGE', 1_500],
      ['REGISTRATION', 1_700],
      ['GST', 576],
    ]);
    expect(q.totalPaise).toBe(3_776);
  });

  it('refuses Registered Post after the merger and says what to book instead', () => {
    const error = tariffErrorOf(() =>
      quote({ product: 'REGISTERED', weightGrams: 45, distanceKm: 1_200, sameLocality: false, bookedOn: AFTER_2025_REVISION }),
    );
    expect(error).toMatchObject({ reason: 'PRODUCT_NOT_AVAILABLE', field: 'product' });
    expect(error.message).toContain('merged into Speed Post on 2025-10-01');
    expect(error.message).toContain('REGISTRATION');
  });

  it('prices Speed Post at the 2012 rates before the revision', () => {
    const q = quote({ product: 'SPEED_POST_DOCUMENT', weightGrams: 1_200, distanceKm: 2_500, sameLocality: false, bookedOn: BEFORE_2025_REVISION });
    expect(q.basePaise).toBe(9_000 + 2 * 5_000);
    expect(q.unconfirmedRates).toBe(false);
  });
});

describe('distance bands', () => {
  it.each([
    [0, 'UPTO_200_KM'],
    [200, 'UPTO_200_KM'],
    [200.01, 'KM_201_500'],
    [500, 'KM_201_500'],
    [500.01, 'KM_501_1000'],
    [1_000, 'KM_501_1000'],
    [1_000.01, 'KM_1001_2000'],
    [2_000, 'KM_1001_2000'],
    [2_000.01, 'ABOVE_2000_KM'],
    [3_500, 'ABOVE_2000_KM'],
  ] as const)('%d km is %s', (distanceKm, band) => {
    expect(distanceBand({ distanceKm, sameLocality: false })).toBe(band);
  });

  it('is LOCAL whenever the caller says origin and destination share a locality, whatever the distance', () => {
    expect(distanceBand({ distanceKm: 0, sameLocality: true })).toBe('LOCAL');
    expect(distanceBand({ distanceKm: 320, sameLocality: true })).toBe('LOCAL');
  });

  it('prices 200 km and 200.01 km differently', () => {
    const near = quote({ product: 'SPEED_POST_DOCUMENT', weightGrams: 100, distanceKm: 200, sameLocality: false, bookedOn: AFTER_2025_REVISION });
    const far = quote({ product: 'SPEED_POST_DOCUMENT', weightGrams: 100, distanceKm: 200.01, sameLocality: false, bookedOn: AFTER_2025_REVISION });
    expect([near.basePaise, far.basePaise]).toEqual([5_900, 6_300]);
  });

  it.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY]])('rejects a distance of %d km', (distanceKm) => {
    expect(tariffErrorOf(() => distanceBand({ distanceKm, sameLocality: false }))).toMatchObject({
      reason: 'INVALID_DISTANCE',
      field: 'distanceKm',
    });
  });
});

describe('weight', () => {
  it('computes volumetric weight as L×W×H/5000 kg, rounded up to the gram', () => {
    expect(volumetricWeightGrams({ lengthCm: 40, widthCm: 30, heightCm: 20 })).toBe(4_800);
    expect(volumetricWeightGrams({ lengthCm: 11, widthCm: 7, heightCm: 3 })).toBe(47); // 46.2 g
    // 10.1 × 10 × 10 is 1010.0000000000001 in floating point; it must stay 202 g.
    expect(volumetricWeightGrams({ lengthCm: 10.1, widthCm: 10, heightCm: 10 })).toBe(202);
  });

  it('charges the greater of actual and volumetric weight', () => {
    const box = { lengthCm: 40, widthCm: 30, heightCm: 20 };
    expect(chargeableWeightGrams(1_000, box)).toBe(4_800);
    expect(chargeableWeightGrams(6_000, box)).toBe(6_000);
    expect(chargeableWeightGrams(1_000)).toBe(1_000);
  });

  it('prices a light, bulky Speed Post parcel by its volumetric weight', () => {
    const q = quote({
      product: 'SPEED_POST_PARCEL',
      weightGrams: 1_000,
      dimensionsCm: { lengthCm: 40, widthCm: 30, heightCm: 20 },
      distanceKm: 750,
      sameLocality: false,
      bookedOn: AFTER_2025_REVISION,
    });
    expect(q.chargeableWeightGrams).toBe(4_800);
    // First 500 g, then 9 additional 500 g steps for the other 4,300 g.
    expect(q.basePaise).toBe(6_000 + 9 * 3_000);
    expect(q.unconfirmedRates).toBe(true);
  });

  it('does not charge documents by volume', () => {
    const q = speedPostDocument(100, 'LOCAL', { dimensionsCm: { lengthCm: 35, widthCm: 27, heightCm: 20 } });
    expect(q.chargeableWeightGrams).toBe(100);
  });

  it('charges a Business Parcel for at least 2 kg', () => {
    const q = quote({ product: 'BUSINESS_PARCEL', weightGrams: 500, distanceKm: 90, sameLocality: false, bookedOn: AFTER_2025_REVISION });
    expect(q.chargeableWeightGrams).toBe(2_000);
    expect(q.unconfirmedRates).toBe(true);
  });
});

describe('value-added services, COD and GST', () => {
  it('adds registration and OTP delivery at ₹5 each, plus GST', () => {
    const q = speedPostDocument(40, 'KM_501_1000', { services: ['REGISTRATION', 'OTP_DELIVERY'] });
    expect(q.servicesPaise).toBe(1_000);
    expect(q.taxablePaise).toBe(5_700);
    expect(q.gstPaise).toBe(1_026);
    expect(q.totalPaise).toBe(6_726);
    expect(q.lineItems.map((l) => l.code)).toEqual(['POSTAGE', 'REGISTRATION', 'OTP_DELIVERY', 'GST']);
    expect(q.unconfirmedRates).toBe(false);
  });

  it('registers once when registration is asked for twice', () => {
    expect(speedPostDocument(40, 'LOCAL', { services: ['REGISTRATION', 'REGISTRATION'] }).servicesPaise).toBe(500);
  });

  it('rounds GST half up to the paisa, once on the taxable total', () => {
    expect(roundHalfUp(85_050, 100)).toBe(851);
    expect(roundHalfUp(85_049, 100)).toBe(850);
    // Insured value ₹216.66: ₹4 + 1.5% of ₹16.66 (24.99 paise → 25) = 425 paise.
    // Taxable 4,700 + 425 = 5,125 paise; 18% is 922.5 paise, which rounds up to 923.
    const q = speedPostDocument(40, 'UPTO_200_KM', { services: ['INSURANCE'], declaredValuePaise: 21_666 });
    expect(q.lineItems.find((l) => l.code === 'INSURANCE')?.amountPaise).toBe(425);
    expect(q.taxablePaise).toBe(5_125);
    expect(q.gstPaise).toBe(923);
    expect(q.totalPaise).toBe(6_048);
    expectLinesToAddUp(q);
  });

  it('marks a quote unconfirmed when only a service rate is unconfirmed', () => {
    const q = speedPostDocument(40, 'UPTO_200_KM', { services: ['INSURANCE'], declaredValuePaise: 50_000 });
    expect(q.lineItems.find((l) => l.code === 'POSTAGE')?.rateConfirmed).toBe(true);
    expect(q.lineItems.find((l) => l.code === 'INSURANCE')?.rateConfirmed).toBe(false);
    expect(q.unconfirmedRates).toBe(true);
  });

  it('uses the 2023 insurance fee for other articles before the revision: ₹10 + ₹6 per ₹100 or part above ₹200', () => {
    const q = quote({
      product: 'SPEED_POST_DOCUMENT',
      weightGrams: 40,
      distanceKm: 150,
      sameLocality: false,
      services: ['INSURANCE'],
      declaredValuePaise: 55_000,
      bookedOn: BEFORE_2025_REVISION,
    });
    expect(q.lineItems.find((l) => l.code === 'INSURANCE')?.amountPaise).toBe(1_000 + 4 * 600);
  });

  it('charges the COD fee (1.6% up to ₹6,500; ₹100 + 1% above) but not the collected amount', () => {
    const parcel = (codAmountPaise: number): Quote =>
      quote({ product: 'SPEED_POST_PARCEL', weightGrams: 800, distanceKm: 60, sameLocality: false, codAmountPaise, bookedOn: AFTER_2025_REVISION });
    expect(parcel(5_000_00).lineItems.find((l) => l.code === 'COD_FEE')?.amountPaise).toBe(80_00);
    expect(parcel(10_000_00).lineItems.find((l) => l.code === 'COD_FEE')?.amountPaise).toBe(135_00);
    const q = parcel(10_000_00);
    expect(q.totalPaise).toBeLessThan(10_000_00);
    expectLinesToAddUp(q);
  });
});

describe('discounts', () => {
  it('stack on the postage only, in order student → new bulk customer → contract, each on what is left', () => {
    const q = speedPostDocument(200, 'ABOVE_2000_KM', {
      services: ['REGISTRATION'],
      discounts: { student: true, newBulkCustomer: true, contractBasisPoints: 250 },
    });
    // 7,700 − 10% (770) = 6,930; − 5% (346.5 → 347) = 6,583; − 2.5% (164.575 → 165) = 6,418.
    expect(q.lineItems.map((l) => [l.code, l.amountPaise])).toEqual([
      ['POSTAGE', 7_700],
      ['DISCOUNT_STUDENT', -770],
      ['DISCOUNT_NEW_BULK_CUSTOMER', -347],
      ['DISCOUNT_CONTRACT', -165],
      ['REGISTRATION', 500],
      ['GST', 1_245],
    ]);
    expect(q.discountPaise).toBe(1_282);
    expect(q.taxablePaise).toBe(6_918);
    expect(q.totalPaise).toBe(8_163);
  });

  it('leaves out a zero contract discount', () => {
    const q = speedPostDocument(200, 'LOCAL', { discounts: { contractBasisPoints: 0 } });
    expect(q.lineItems.map((l) => l.code)).toEqual(['POSTAGE', 'GST']);
  });

  it('has no student discount before the 2025 revision', () => {
    const error = tariffErrorOf(() =>
      quote({ product: 'SPEED_POST_DOCUMENT', weightGrams: 40, distanceKm: 10, sameLocality: true, discounts: { student: true }, bookedOn: BEFORE_2025_REVISION }),
    );
    expect(error).toMatchObject({ reason: 'DISCOUNT_NOT_AVAILABLE', field: 'discounts.student' });
  });

  it.each([[-1], [10_001], [2.5], [Number.NaN]])('rejects contractBasisPoints %d', (contractBasisPoints) => {
    expect(tariffErrorOf(() => speedPostDocument(40, 'LOCAL', { discounts: { contractBasisPoints } }))).toMatchObject({
      reason: 'INVALID_DISCOUNT',
      field: 'discounts.contractBasisPoints',
    });
  });
});

describe('validation errors', () => {
  it('names the product and its limit when a parcel is too heavy', () => {
    const error = tariffErrorOf(() =>
      quote({ product: 'SPEED_POST_PARCEL', weightGrams: 40_000, distanceKm: 10, sameLocality: false, bookedOn: AFTER_2025_REVISION }),
    );
    expect(error).toMatchObject({ reason: 'WEIGHT_OUT_OF_RANGE', field: 'weightGrams' });
    expect(error.message).toBe('weightGrams must be 1 to 35000 for Speed Post Parcel; got 40000');
  });

  it('rejects a document over the 2 kg letter limit', () => {
    expect(tariffErrorOf(() => speedPostDocument(2_001, 'LOCAL')).message).toBe(
      'weightGrams must be 1 to 2000 for Speed Post Document; got 2001',
    );
  });

  it.each([[0], [-5], [12.5], [Number.NaN]])('rejects weightGrams %d', (weightGrams) => {
    expect(tariffErrorOf(() => speedPostDocument(weightGrams, 'LOCAL'))).toMatchObject({ reason: 'WEIGHT_OUT_OF_RANGE', field: 'weightGrams' });
  });

  it('says a fractional weight must be whole grams', () => {
    expect(tariffErrorOf(() => speedPostDocument(12.5, 'LOCAL')).message).toBe('weightGrams must be a whole number of grams; got 12.5');
  });

  it('names the bad side of a box', () => {
    const error = tariffErrorOf(() =>
      speedPostDocument(10, 'LOCAL', { dimensionsCm: { lengthCm: 20, widthCm: -3, heightCm: 1 } }),
    );
    expect(error).toMatchObject({ reason: 'DIMENSIONS_OUT_OF_RANGE', field: 'dimensionsCm.widthCm' });
  });

  it.each([
    ['SPEED_POST_PARCEL', { lengthCm: 120, widthCm: 20, heightCm: 20 }, 'the longest side must be at most 100 cm for Speed Post Parcel; got 120 cm'],
    ['SPEED_POST_PARCEL', { lengthCm: 40, widthCm: 90, heightCm: 20 }, 'length + girth must be at most 180 cm for Speed Post Parcel; got 210 cm'],
    ['SPEED_POST_DOCUMENT', { lengthCm: 50, widthCm: 30, heightCm: 20 }, 'length + breadth + depth must be at most 90 cm for Speed Post Document; got 100 cm'],
  ] as const)('enforces the size limits of %s', (product, dimensionsCm, message) => {
    const error = tariffErrorOf(() =>
      quote({ product, weightGrams: 300, dimensionsCm, distanceKm: 10, sameLocality: false, bookedOn: AFTER_2025_REVISION }),
    );
    expect(error).toMatchObject({ reason: 'DIMENSIONS_OUT_OF_RANGE', field: 'dimensionsCm' });
    expect(error.message).toBe(message);
  });

  it('requires a declared value to insure, and caps it at ₹1,00,000', () => {
    expect(tariffErrorOf(() => speedPostDocument(40, 'LOCAL', { services: ['INSURANCE'] }))).toMatchObject({
      reason: 'INVALID_AMOUNT',
      field: 'declaredValuePaise',
    });
    const tooMuch = tariffErrorOf(() => speedPostDocument(40, 'LOCAL', { services: ['INSURANCE'], declaredValuePaise: 1_00_000_01 }));
    expect(tooMuch).toMatchObject({ reason: 'INVALID_AMOUNT', field: 'declaredValuePaise' });
    expect(tooMuch.message).toBe('declaredValuePaise must be at most 10000000 (₹1,00,000.00) to insure the item; got 10000001');
  });

  it('caps cash on delivery at ₹50,000 and offers it on parcels only', () => {
    const parcel = { product: 'SPEED_POST_PARCEL', weightGrams: 800, distanceKm: 60, sameLocality: false, bookedOn: AFTER_2025_REVISION } as const;
    const tooMuch = tariffErrorOf(() => quote({ ...parcel, codAmountPaise: 50_000_01 }));
    expect(tooMuch).toMatchObject({ reason: 'INVALID_AMOUNT', field: 'codAmountPaise' });
    expect(tooMuch.message).toBe('codAmountPaise must be at most 5000000 (₹50,000.00); got 5000001');
    expect(quote({ ...parcel, codAmountPaise: 50_000_00 }).totalPaise).toBeGreaterThan(0);
    expect(tariffErrorOf(() => quote({ ...parcel, codAmountPaise: 0 }))).toMatchObject({ reason: 'INVALID_AMOUNT', field: 'codAmountPaise' });
    expect(tariffErrorOf(() => speedPostDocument(40, 'LOCAL', { codAmountPaise: 1_000_00 }))).toMatchObject({
      reason: 'SERVICE_NOT_AVAILABLE',
      field: 'codAmountPaise',
    });
  });

  it('refuses a service the product or the date does not offer, pointing at the list entry', () => {
    expect(
      tariffErrorOf(() =>
        quote({ product: 'BUSINESS_PARCEL', weightGrams: 3_000, distanceKm: 60, sameLocality: false, services: ['OTP_DELIVERY'], bookedOn: AFTER_2025_REVISION }),
      ),
    ).toMatchObject({ reason: 'SERVICE_NOT_AVAILABLE', field: 'services[0]' });
    expect(
      tariffErrorOf(() =>
        quote({ product: 'SPEED_POST_DOCUMENT', weightGrams: 40, distanceKm: 60, sameLocality: false, services: ['INSURANCE', 'OTP_DELIVERY'], declaredValuePaise: 100, bookedOn: BEFORE_2025_REVISION }),
      ),
    ).toMatchObject({ reason: 'SERVICE_NOT_AVAILABLE', field: 'services[1]' });
  });

  it('rejects unknown products and services', () => {
    expect(
      tariffErrorOf(() => quote({ product: 'TELEGRAM' as never, weightGrams: 40, distanceKm: 60, sameLocality: false, bookedOn: AFTER_2025_REVISION })),
    ).toMatchObject({ reason: 'UNKNOWN_PRODUCT', field: 'product' });
    expect(tariffErrorOf(() => speedPostDocument(40, 'LOCAL', { services: ['REGISTRATION', 'EXPRESS' as never] }))).toMatchObject({
      reason: 'UNKNOWN_SERVICE',
      field: 'services[1]',
    });
  });
});

describe('properties', () => {
  const band = fc.constantFrom<DistanceBand>('LOCAL', 'UPTO_200_KM', 'KM_201_500', 'KM_501_1000', 'KM_1001_2000', 'ABOVE_2000_KM');
  const bookedOn = fc.date({ min: new Date('2023-01-10T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true });

  it('a quote adds up, never goes negative, and taxes exactly 18% of the taxable amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 35_000 }),
        band,
        bookedOn,
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 10_000 }),
        fc.option(fc.integer({ min: 1, max: 50_000_00 }), { nil: undefined }),
        (weightGrams, routeBand, booked, student, newBulkCustomer, contractBasisPoints, codAmountPaise) => {
          const after2025 = tariffVersionFor(booked).id === 'IN-DOMESTIC-2025-10-01';
          const q = quote({
            product: 'SPEED_POST_PARCEL',
            weightGrams,
            ...ROUTE[routeBand],
            bookedOn: booked,
            ...(codAmountPaise === undefined ? {} : { codAmountPaise }),
            discounts: after2025 ? { student, newBulkCustomer, contractBasisPoints } : { contractBasisPoints },
          });
          expectLinesToAddUp(q);
          expect(q.discountPaise).toBeGreaterThanOrEqual(0);
          expect(q.discountPaise).toBeLessThanOrEqual(q.basePaise);
          expect(q.gstPaise).toBe(roundHalfUp(q.taxablePaise * 1_800, 10_000));
          expect(q.lineItems.every((l) => Number.isInteger(l.amountPaise))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('postage never falls as the weight rises', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_999 }), band, (weightGrams, routeBand) => {
        expect(speedPostDocument(weightGrams + 1, routeBand).basePaise).toBeGreaterThanOrEqual(speedPostDocument(weightGrams, routeBand).basePaise);
      }),
      { numRuns: 500 },
    );
  });
});
