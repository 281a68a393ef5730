/**
 * Postage quotes: distance band, chargeable weight, value-added services,
 * discounts and GST, computed from the versioned tables in tariffData.ts.
 *
 * Pure: no database, no clock (the caller passes `bookedOn`), no GraphQL.
 * Money is integer paise throughout; every rounding is explicit and documented
 * where it happens.
 */

import { ReasonedError } from '@dakgraph/errors';
import { isValidInstant, toIst } from './ist.js';
import {
  BAND_UPPER_EDGES_KM,
  PRODUCT_CATALOGUE,
  PRODUCTS,
  TARIFF_VERSIONS,
  VALUE_ADDED_SERVICES,
  type DistanceBand,
  type FeeRule,
  type PostageTable,
  type Product,
  type ProductInfo,
  type TariffVersion,
  type ValueAddedService,
} from './tariffData.js';

/** Which input was wrong, and how; stable, safe to switch on. */
export type TariffErrorReason =
  | 'WEIGHT_OUT_OF_RANGE'
  | 'DIMENSIONS_OUT_OF_RANGE'
  | 'NO_TARIFF_FOR_DATE'
  | 'INVALID_DATE'
  | 'INVALID_AMOUNT'
  | 'INVALID_DISTANCE'
  | 'UNKNOWN_PRODUCT'
  | 'PRODUCT_NOT_AVAILABLE'
  | 'UNKNOWN_SERVICE'
  | 'SERVICE_NOT_AVAILABLE'
  | 'INVALID_DISCOUNT'
  | 'DISCOUNT_NOT_AVAILABLE';

/**
 * Thrown for input a quote cannot be made from. `reason` and `field` are for
 * programs (the GraphQL layer maps them to BAD_USER_INPUT with the field as the
 * argument path); `message` is for the person at the counter.
 */
export class TariffError extends ReasonedError<TariffErrorReason> {
  /** Path of the offending input, e.g. "weightGrams", "dimensionsCm.heightCm", "services[1]". */
  readonly field: string;

  constructor(reason: TariffErrorReason, field: string, message: string) {
    super(reason, message);
    this.field = field;
  }
}

export interface DimensionsCm {
  readonly lengthCm: number;
  readonly widthCm: number;
  readonly heightCm: number;
}

export interface Discounts {
  readonly student?: boolean;
  readonly newBulkCustomer?: boolean;
  /** A partner's negotiated discount on postage, in basis points (250 = 2.5%). */
  readonly contractBasisPoints?: number;
}

/** What the tariff prices: an article, its journey as a band needs it, and the booking time. */
export interface TariffRequest {
  readonly product: Product;
  readonly weightGrams: number;
  readonly dimensionsCm?: DimensionsCm;
  readonly distanceKm: number;
  readonly sameLocality: boolean;
  /** Value of the contents; needed with INSURANCE (the insured value), otherwise only recorded. */
  readonly declaredValuePaise?: number;
  /** Amount to collect from the addressee. Not part of the sender's total; only its fee is. */
  readonly codAmountPaise?: number;
  readonly services?: readonly ValueAddedService[];
  readonly discounts?: Discounts;
  /** Booking instant; its IST date selects the tariff version. */
  readonly bookedOn: Date;
}

export type QuoteLineCode =
  | 'POSTAGE'
  | 'DISCOUNT_STUDENT'
  | 'DISCOUNT_NEW_BULK_CUSTOMER'
  | 'DISCOUNT_CONTRACT'
  | 'REGISTRATION'
  | 'OTP_DELIVERY'
  | 'INSURANCE'
  | 'COD_FEE'
  | 'GST';

export interface QuoteLineItem {
  readonly code: QuoteLineCode;
  readonly description: string;
  /** Discounts are negative; the lines of a quote sum to its totalPaise. */
  readonly amountPaise: number;
  /** False when the rate behind this line is carried over, inferred or a placeholder. */
  readonly rateConfirmed: boolean;
}

export interface Quote {
  readonly product: Product;
  readonly tariffVersion: string;
  readonly band: DistanceBand;
  readonly chargeableWeightGrams: number;
  readonly lineItems: readonly QuoteLineItem[];
  /** Postage from the table, before discounts. */
  readonly basePaise: number;
  /** Value-added service and COD fees (never discounted). */
  readonly servicesPaise: number;
  /** Total of all discounts, as a positive amount. */
  readonly discountPaise: number;
  /** basePaise − discountPaise + servicesPaise. */
  readonly taxablePaise: number;
  readonly gstPaise: number;
  readonly totalPaise: number;
  /** True when any rate used is marked unconfirmed in tariffData.ts: show the quote as indicative. */
  readonly unconfirmedRates: boolean;
}

const BAND_LABELS: Readonly<Record<DistanceBand, string>> = Object.freeze({
  LOCAL: 'local',
  UPTO_200_KM: 'up to 200 km',
  KM_201_500: '201–500 km',
  KM_501_1000: '501–1000 km',
  KM_1001_2000: '1001–2000 km',
  ABOVE_2000_KM: 'above 2000 km',
});

const SERVICE_LABELS: Readonly<Record<ValueAddedService, string>> = Object.freeze({
  REGISTRATION: 'Registration (delivery to the addressee only)',
  OTP_DELIVERY: 'OTP-based delivery',
  INSURANCE: 'Insurance',
});

/**
 * Sides are measured to the millimetre: anything finer is rounded away before
 * the volume is taken, so that floating-point noise (10.1 × 10 × 10) can never
 * push the volumetric weight up a gram.
 */
const MAX_SIDE_CM = 10_000;

/**
 * The tariff distance band for a route.
 *
 * "Local" is not a distance: India Post charges the local rate when the item is
 * booked and delivered within the same local delivery area — identified PIN
 * codes in a metro, the municipal limits of other cities, the same PIN code's
 * delivery jurisdiction in small towns (indiapost.gov.in, Business Parcel
 * service standards). This module cannot know delivery areas, so the caller
 * decides: the articles subgraph sets `sameLocality` when origin and destination
 * offices share the same delivery district, an approximation that can be wider
 * than India Post's own (a district may hold several towns). When it is true the
 * band is LOCAL whatever the distance; otherwise the distance picks the band,
 * each upper edge inclusive (200 km is UPTO_200_KM, 200.01 km is KM_201_500).
 */
export function distanceBand(input: { distanceKm: number; sameLocality: boolean }): DistanceBand {
  const { distanceKm, sameLocality } = input;
  if (typeof sameLocality !== 'boolean') {
    throw new TariffError('INVALID_DISTANCE', 'sameLocality', `sameLocality must be true or false; got ${describe(sameLocality)}`);
  }
  if (typeof distanceKm !== 'number' || !Number.isFinite(distanceKm) || distanceKm < 0) {
    throw new TariffError(
      'INVALID_DISTANCE',
      'distanceKm',
      `distanceKm must be a finite number of kilometres, 0 or more; got ${describe(distanceKm)}`,
    );
  }
  if (sameLocality) return 'LOCAL';
  const edge = BAND_UPPER_EDGES_KM.find((e) => distanceKm <= e.upToKm);
  return edge === undefined ? 'ABOVE_2000_KM' : edge.band;
}

/**
 * Volumetric weight, L × W × H / 5000 kg, in grams rounded up to the next
 * whole gram (a part-gram is charged as a gram). Sides are rounded to the
 * nearest millimetre first.
 */
export function volumetricWeightGrams(dimensionsCm: DimensionsCm): number {
  const [length, width, height] = sidesInMillimetres(dimensionsCm, 'dimensionsCm');
  // cm³ / 5000 kg = cm³ / 5 g = mm³ / 5000 g; all integers, exact in a double.
  return Math.ceil((length * width * height) / 5_000);
}

/**
 * What the item is charged as: the greater of its actual weight and, when
 * dimensions are given, its volumetric weight.
 */
export function chargeableWeightGrams(actualGrams: number, dimensionsCm?: DimensionsCm): number {
  requireWholeGrams(actualGrams);
  return dimensionsCm === undefined ? actualGrams : Math.max(actualGrams, volumetricWeightGrams(dimensionsCm));
}

/** The tariff version in force on the IST date of `bookedOn`. */
export function tariffVersionFor(bookedOn: Date): TariffVersion {
  if (!isValidInstant(bookedOn)) {
    throw new TariffError('INVALID_DATE', 'bookedOn', `bookedOn must be a valid date and time; got ${describe(bookedOn)}`);
  }
  const { date } = toIst(bookedOn);
  let found: TariffVersion | undefined;
  for (const version of TARIFF_VERSIONS) {
    if (version.effectiveFrom <= date) found = version;
  }
  if (found === undefined) {
    const earliest = TARIFF_VERSIONS[0]?.effectiveFrom ?? 'none';
    throw new TariffError(
      'NO_TARIFF_FOR_DATE',
      'bookedOn',
      `no tariff is recorded for bookings on ${date} (IST); the earliest version starts on ${earliest}`,
    );
  }
  return found;
}

/** Catalogue entry for a product, or TariffError UNKNOWN_PRODUCT. */
export function productInfo(product: Product): ProductInfo {
  if (!(PRODUCTS as readonly unknown[]).includes(product)) {
    throw new TariffError('UNKNOWN_PRODUCT', 'product', `product must be one of ${PRODUCTS.join(', ')}; got ${describe(product)}`);
  }
  return PRODUCT_CATALOGUE[product];
}

/**
 * The price of booking one article, with a line-item breakdown.
 *
 * Order of work (every step in integer paise):
 *  1. postage from the table for the chargeable weight and distance band;
 *  2. discounts on the postage line only — student 10%, then new bulk customer
 *     5%, then the contract's basis points — each on what the previous ones
 *     left, each rounded half-up to the paisa. Value-added service and COD fees
 *     are fixed fees, not "tariff", so no discount touches them;
 *  3. value-added services and the COD fee added;
 *  4. GST (18% in both versions) on the whole taxable amount at once, rounded
 *     half-up to the paisa: one rounding per quote, not one per line.
 */
export function quote(input: TariffRequest): Quote {
  const version = tariffVersionFor(input.bookedOn);
  const info = productInfo(input.product);
  const withdrawn = version.withdrawn[info.product];
  if (withdrawn !== undefined) throw new TariffError('PRODUCT_NOT_AVAILABLE', 'product', withdrawn);
  const table = version.postage[info.product];
  if (table === undefined) {
    throw new TariffError('PRODUCT_NOT_AVAILABLE', 'product', `${info.name} has no tariff in version ${version.id}`);
  }

  requireWholeGrams(input.weightGrams, info);
  if (input.dimensionsCm !== undefined) checkDimensionLimits(input.dimensionsCm, info);
  const band = distanceBand({ distanceKm: input.distanceKm, sameLocality: input.sameLocality });

  const volumetric =
    info.volumetric && input.dimensionsCm !== undefined ? volumetricWeightGrams(input.dimensionsCm) : 0;
  const chargeable = Math.max(input.weightGrams, volumetric, info.minChargeableGrams);

  const lines: QuoteLineItem[] = [];
  const postage = postageFor(table, chargeable, band, info);
  lines.push({ code: 'POSTAGE', description: postage.description, amountPaise: postage.paise, rateConfirmed: postage.confirmed });

  let afterDiscounts = postage.paise;
  for (const discount of discountsFor(input.discounts, version)) {
    const amount = roundHalfUp(afterDiscounts * discount.basisPoints, 10_000);
    afterDiscounts -= amount;
    if (amount > 0) {
      lines.push({ code: discount.code, description: discount.description, amountPaise: -amount, rateConfirmed: discount.confirmed });
    }
  }

  const declaredValue = optionalPaise(input.declaredValuePaise, 'declaredValuePaise');
  for (const { service, field } of requestedServices(input.services, version, info)) {
    const fee = version.services[service]?.byProduct[info.product];
    if (fee === undefined) {
      throw new TariffError(
        'SERVICE_NOT_AVAILABLE',
        field,
        `${service} is not available for ${info.name} under tariff ${version.id}`,
      );
    }
    let description = SERVICE_LABELS[service];
    let basis = 0;
    if (service === 'INSURANCE') {
      basis = insuredValue(declaredValue, version);
      description = `${description}, insured value ${formatRupees(basis)}`;
    }
    lines.push({ code: service, description, amountPaise: feeFor(fee, basis), rateConfirmed: fee.confirmed });
  }

  const codAmount = optionalPaise(input.codAmountPaise, 'codAmountPaise');
  if (codAmount !== undefined) {
    const offer = version.cashOnDelivery;
    const fee = offer.byProduct[info.product];
    if (fee === undefined) {
      throw new TariffError('SERVICE_NOT_AVAILABLE', 'codAmountPaise', `cash on delivery is not available for ${info.name}`);
    }
    if (codAmount > offer.maxAmountPaise) {
      throw new TariffError(
        'INVALID_AMOUNT',
        'codAmountPaise',
        `codAmountPaise must be at most ${offer.maxAmountPaise} (${formatRupees(offer.maxAmountPaise)}); got ${codAmount}`,
      );
    }
    lines.push({
      code: 'COD_FEE',
      description: `Cash on delivery fee, collecting ${formatRupees(codAmount)}`,
      amountPaise: feeFor(fee, codAmount),
      rateConfirmed: fee.confirmed && offer.maxConfirmed,
    });
  }

  const basePaise = postage.paise;
  const discountPaise = basePaise - afterDiscounts;
  const servicesPaise = sum(lines.filter((l) => isServiceLine(l.code)).map((l) => l.amountPaise));
  const taxablePaise = afterDiscounts + servicesPaise;
  const gstPaise = roundHalfUp(taxablePaise * version.gst.basisPoints, 10_000);
  lines.push({
    code: 'GST',
    description: `GST ${version.gst.basisPoints / 100}%`,
    amountPaise: gstPaise,
    rateConfirmed: version.gst.confirmed,
  });

  return Object.freeze({
    product: info.product,
    tariffVersion: version.id,
    band,
    chargeableWeightGrams: chargeable,
    lineItems: Object.freeze(lines.map((l) => Object.freeze(l))),
    basePaise,
    servicesPaise,
    discountPaise,
    taxablePaise,
    gstPaise,
    totalPaise: taxablePaise + gstPaise,
    unconfirmedRates: lines.some((l) => !l.rateConfirmed),
  });
}

/**
 * `numerator / denominator` rounded to the nearest integer, halves up. Both
 * must be non-negative integers (amounts here never are negative when rounded).
 */
export function roundHalfUp(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

// ---------------------------------------------------------------------------

function postageFor(
  table: PostageTable,
  chargeableGrams: number,
  band: DistanceBand,
  info: ProductInfo,
): { paise: number; confirmed: boolean; description: string } {
  const where = BAND_LABELS[band];
  let lower = 0;
  for (const slab of table.slabs) {
    if (chargeableGrams <= slab.upToGrams) {
      const rate = slab.rates[band];
      const weight = lower === 0 ? `up to ${slab.upToGrams} g` : `${lower + 1}–${slab.upToGrams} g`;
      return { paise: rate.paise, confirmed: rate.confirmed, description: `${table.title}: ${weight}, ${where}` };
    }
    lower = slab.upToGrams;
  }
  const last = table.slabs[table.slabs.length - 1];
  if (last === undefined || table.additional === undefined) {
    throw new TariffError(
      'WEIGHT_OUT_OF_RANGE',
      'weightGrams',
      `chargeable weight ${chargeableGrams} g is above the heaviest slab (${lower} g) of ${table.title} for ${info.name}`,
    );
  }
  const step = table.additional;
  const steps = Math.ceil((chargeableGrams - last.upToGrams) / step.stepGrams);
  const first = last.rates[band];
  const each = step.rates[band];
  return {
    paise: first.paise + steps * each.paise,
    confirmed: first.confirmed && each.confirmed,
    description:
      `${table.title}: ${chargeableGrams} g (first ${last.upToGrams} g + ${steps} × additional ${step.stepGrams} g), ${where}`,
  };
}

interface AppliedDiscount {
  readonly code: 'DISCOUNT_STUDENT' | 'DISCOUNT_NEW_BULK_CUSTOMER' | 'DISCOUNT_CONTRACT';
  readonly basisPoints: number;
  readonly description: string;
  readonly confirmed: boolean;
}

/** Discounts in the order they apply. */
function discountsFor(discounts: Discounts | undefined, version: TariffVersion): AppliedDiscount[] {
  if (discounts === undefined || discounts === null) return [];
  const applied: AppliedDiscount[] = [];
  const flag = (value: unknown, field: string): boolean => {
    if (value === undefined || value === null) return false;
    if (typeof value !== 'boolean') {
      throw new TariffError('INVALID_DISCOUNT', field, `${field} must be true or false; got ${describe(value)}`);
    }
    return value;
  };
  if (flag(discounts.student, 'discounts.student')) {
    const rule = version.discounts.student;
    if (rule === undefined) {
      throw new TariffError(
        'DISCOUNT_NOT_AVAILABLE',
        'discounts.student',
        `the student discount does not exist under tariff ${version.id}`,
      );
    }
    applied.push({
      code: 'DISCOUNT_STUDENT',
      basisPoints: rule.basisPoints,
      confirmed: rule.confirmed,
      description: `Student discount ${rule.basisPoints / 100}% on postage`,
    });
  }
  if (flag(discounts.newBulkCustomer, 'discounts.newBulkCustomer')) {
    const rule = version.discounts.newBulkCustomer;
    if (rule === undefined) {
      throw new TariffError(
        'DISCOUNT_NOT_AVAILABLE',
        'discounts.newBulkCustomer',
        `the new bulk customer discount does not exist under tariff ${version.id}`,
      );
    }
    applied.push({
      code: 'DISCOUNT_NEW_BULK_CUSTOMER',
      basisPoints: rule.basisPoints,
      confirmed: rule.confirmed,
      description: `New bulk customer discount ${rule.basisPoints / 100}% on postage`,
    });
  }
  const contract = discounts.contractBasisPoints;
  if (contract !== undefined && contract !== null) {
    if (typeof contract !== 'number' || !Number.isInteger(contract) || contract < 0 || contract > 10_000) {
      throw new TariffError(
        'INVALID_DISCOUNT',
        'discounts.contractBasisPoints',
        `discounts.contractBasisPoints must be a whole number from 0 to 10000 (100.00%); got ${describe(contract)}`,
      );
    }
    if (!version.discounts.contract) {
      throw new TariffError(
        'DISCOUNT_NOT_AVAILABLE',
        'discounts.contractBasisPoints',
        `contract discounts do not exist under tariff ${version.id}`,
      );
    }
    // A negotiated rate is the contract's fact, not a tariff rate we might have wrong.
    applied.push({
      code: 'DISCOUNT_CONTRACT',
      basisPoints: contract,
      confirmed: true,
      description: `Contract discount ${contract / 100}% on postage`,
    });
  }
  return applied;
}

/** Requested services, validated and de-duplicated, plus any the product always includes, in a stable order. */
function requestedServices(
  services: readonly ValueAddedService[] | undefined,
  version: TariffVersion,
  info: ProductInfo,
): { service: ValueAddedService; field: string }[] {
  const fieldOf = new Map<ValueAddedService, string>();
  if (services !== undefined && services !== null) {
    if (!Array.isArray(services)) {
      throw new TariffError('UNKNOWN_SERVICE', 'services', `services must be a list; got ${describe(services)}`);
    }
    services.forEach((service: unknown, i) => {
      if (!(VALUE_ADDED_SERVICES as readonly unknown[]).includes(service)) {
        throw new TariffError(
          'UNKNOWN_SERVICE',
          `services[${i}]`,
          `services[${i}] must be one of ${VALUE_ADDED_SERVICES.join(', ')}; got ${describe(service)}`,
        );
      }
      // Asking twice for registration still registers the item once.
      if (!fieldOf.has(service as ValueAddedService)) fieldOf.set(service as ValueAddedService, `services[${i}]`);
    });
  }
  for (const service of VALUE_ADDED_SERVICES) {
    if (version.services[service]?.includedWith?.includes(info.product) && !fieldOf.has(service)) {
      fieldOf.set(service, 'product');
    }
  }
  return VALUE_ADDED_SERVICES.filter((s) => fieldOf.has(s)).map((service) => ({ service, field: fieldOf.get(service) as string }));
}

function insuredValue(declaredValue: number | undefined, version: TariffVersion): number {
  if (declaredValue === undefined) {
    throw new TariffError('INVALID_AMOUNT', 'declaredValuePaise', 'declaredValuePaise is required with INSURANCE: it is the insured value');
  }
  const max = version.insurance.maxValuePaise;
  if (declaredValue > max) {
    throw new TariffError(
      'INVALID_AMOUNT',
      'declaredValuePaise',
      `declaredValuePaise must be at most ${max} (${formatRupees(max)}) to insure the item; got ${declaredValue}`,
    );
  }
  return declaredValue;
}

function feeFor(fee: FeeRule, amountPaise: number): number {
  switch (fee.kind) {
    case 'FLAT':
      return fee.paise;
    case 'BASE_PLUS_PERCENT_ABOVE':
      return (
        fee.basePaise +
        (amountPaise > fee.thresholdPaise ? roundHalfUp((amountPaise - fee.thresholdPaise) * fee.basisPointsAbove, 10_000) : 0)
      );
    case 'BASE_PLUS_STEPS_ABOVE':
      return (
        fee.basePaise +
        (amountPaise > fee.thresholdPaise ? Math.ceil((amountPaise - fee.thresholdPaise) / fee.stepPaise) * fee.perStepPaise : 0)
      );
    case 'PERCENT_THEN_BASE_PLUS_PERCENT':
      return amountPaise <= fee.thresholdPaise
        ? roundHalfUp(amountPaise * fee.basisPointsUpTo, 10_000)
        : fee.basePaiseAbove + roundHalfUp((amountPaise - fee.thresholdPaise) * fee.basisPointsAbove, 10_000);
  }
}

function isServiceLine(code: QuoteLineCode): boolean {
  return code === 'REGISTRATION' || code === 'OTP_DELIVERY' || code === 'INSURANCE' || code === 'COD_FEE';
}

/** Without a product, any positive whole number of grams passes. */
function requireWholeGrams(weightGrams: unknown, product?: ProductInfo): asserts weightGrams is number {
  if (typeof weightGrams !== 'number' || !Number.isSafeInteger(weightGrams)) {
    throw new TariffError(
      'WEIGHT_OUT_OF_RANGE',
      'weightGrams',
      `weightGrams must be a whole number of grams; got ${describe(weightGrams)}`,
    );
  }
  if (product === undefined) {
    if (weightGrams < 1) {
      throw new TariffError('WEIGHT_OUT_OF_RANGE', 'weightGrams', `weightGrams must be 1 or more; got ${weightGrams}`);
    }
  } else if (weightGrams < 1 || weightGrams > product.maxWeightGrams) {
    throw new TariffError(
      'WEIGHT_OUT_OF_RANGE',
      'weightGrams',
      `weightGrams must be 1 to ${product.maxWeightGrams} for ${product.name}; got ${weightGrams}`,
    );
  }
}

function optionalPaise(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new TariffError(
      'INVALID_AMOUNT',
      field,
      `${field} must be a whole number of paise, 1 or more (leave it out for none); got ${describe(value)}`,
    );
  }
  return value;
}

const SIDES = ['lengthCm', 'widthCm', 'heightCm'] as const;

function sidesInMillimetres(dimensionsCm: DimensionsCm, field: string): [number, number, number] {
  if (typeof dimensionsCm !== 'object' || dimensionsCm === null) {
    throw new TariffError(
      'DIMENSIONS_OUT_OF_RANGE',
      field,
      `${field} must give lengthCm, widthCm and heightCm; got ${describe(dimensionsCm)}`,
    );
  }
  const millimetres = SIDES.map((side) => {
    const value: unknown = dimensionsCm[side];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_SIDE_CM) {
      throw new TariffError(
        'DIMENSIONS_OUT_OF_RANGE',
        `${field}.${side}`,
        `${field}.${side} must be a number of centimetres above 0 and at most ${MAX_SIDE_CM}; got ${describe(value)}`,
      );
    }
    const mm = Math.round(value * 10);
    if (mm === 0) {
      throw new TariffError('DIMENSIONS_OUT_OF_RANGE', `${field}.${side}`, `${field}.${side} must be at least 0.05 cm; got ${value}`);
    }
    return mm;
  });
  return millimetres as [number, number, number];
}

function checkDimensionLimits(dimensionsCm: DimensionsCm, info: ProductInfo): void {
  const sides = sidesInMillimetres(dimensionsCm, 'dimensionsCm')
    .map((mm) => mm / 10)
    .sort((a, b) => b - a) as [number, number, number];
  const [longest, middle, shortest] = sides;
  const limits = info.maxDimensions;
  const fail = (what: string, limit: number, got: number): never => {
    throw new TariffError(
      'DIMENSIONS_OUT_OF_RANGE',
      'dimensionsCm',
      `${what} must be at most ${limit} cm for ${info.name}; got ${roundCm(got)} cm`,
    );
  };
  if (longest > limits.longestSideCm) fail('the longest side', limits.longestSideCm, longest);
  if (limits.sumOfSidesCm !== undefined && longest + middle + shortest > limits.sumOfSidesCm) {
    fail('length + breadth + depth', limits.sumOfSidesCm, longest + middle + shortest);
  }
  if (limits.lengthPlusGirthCm !== undefined && longest + 2 * (middle + shortest) > limits.lengthPlusGirthCm) {
    fail('length + girth', limits.lengthPlusGirthCm, longest + 2 * (middle + shortest));
  }
}

const roundCm = (cm: number): number => Math.round(cm * 10) / 10;

const sum = (amounts: readonly number[]): number => amounts.reduce((total, amount) => total + amount, 0);

/** "₹1,00,000.00": Indian digit grouping (lakh, crore), for messages and descriptions only. */
function formatRupees(paise: number): string {
  const digits = String(Math.floor(paise / 100));
  // The last three digits form one group, every group before it has two.
  const head = digits.slice(0, -3);
  const grouped = head === '' ? digits : `${head.replace(/\B(?=(\d{2})+$)/g, ',')},${digits.slice(-3)}`;
  return `₹${grouped}.${String(paise % 100).padStart(2, '0')}`;
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString() : 'an invalid Date';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value;
}

