import { haversineKm } from '@dakgraph/directory';
import { allFieldsHandled } from '@dakgraph/graphql-kit';
import {
  DeliveryError,
  TariffError,
  deliveryEstimate,
  quote as tariffQuote,
  type Quote,
} from '../domain';
import type { PincodeRefRow } from '../db';
import type { QuoteInput } from '../__generated__/resolvers-types';
import { InputProblem } from './problems';

/** What is sent: the fields of the schema's QuoteInput that a booking shares (booking.ts checks that it does). */
export type ArticleSpec = Omit<QuoteInput, 'originPincode' | 'destinationPincode'>;

/** The tariff's view of a journey. */
export interface Route {
  /** Between the pincodes' centroids; null when not needed (same district) and unknown. */
  distanceKm: number | null;
  /** Same district (and state): the LOCAL band. */
  sameLocality: boolean;
}

/** `Query.quote`'s answer: the domain quote plus the route and the delivery norm. */
export interface QuoteResult extends Quote {
  distanceKm: number | null;
  expectedDeliveryDate: string;
}

const PINCODE = /^\d{6}$/;

/** Trims a pincode and insists on six digits (existence is checked against pincode_ref separately). */
export function checkPincodeFormat(code: string, field: string): string {
  const trimmed = code.trim();
  if (!PINCODE.test(trimmed)) {
    throw new InputProblem(field, `${field.split('.').pop()} must be a six-digit pincode like "110001"; got "${code.slice(0, 20)}"`);
  }
  return trimmed;
}

export const unknownPincode = (field: string, code: string): InputProblem =>
  new InputProblem(field, `Pincode ${code} is not in the post office directory`);

/**
 * Distance and locality between two pincodes. "Local" is approximated as the same revenue district (and
 * state, since district names repeat across states), as the domain's distanceBand expects. A distance is
 * needed only across districts; a pincode without a known centroid then makes the quote impossible.
 */
export function routeBetween(
  origin: PincodeRefRow | null,
  destination: PincodeRefRow | null,
  fields: { origin: string; destination: string },
  codes: { origin: string; destination: string },
): Route {
  if (!origin) throw unknownPincode(fields.origin, codes.origin);
  if (!destination) throw unknownPincode(fields.destination, codes.destination);
  const sameLocality = origin.district === destination.district && origin.state === destination.state;
  const located = (p: PincodeRefRow): boolean => p.latitude !== null && p.longitude !== null;
  if (!located(origin) || !located(destination)) {
    if (sameLocality) return { distanceKm: null, sameLocality };
    const [field, code] = located(origin) ? [fields.destination, destination.code] : [fields.origin, origin.code];
    throw new InputProblem(
      field,
      `Pincode ${code} has no known location in the post office directory, so the distance the tariff needs can't be computed`,
    );
  }
  return {
    distanceKm: haversineKm(origin.latitude!, origin.longitude!, destination.latitude!, destination.longitude!),
    sameLocality,
  };
}

/**
 * Prices an article with the domain's tariff (and its delivery norm) for a route and booking time.
 * The domain's TariffError names its input field; it comes back as an InputProblem on that field.
 */
export function priceArticle(
  spec: ArticleSpec,
  route: Route,
  options: { contractBasisPoints?: number | null; bookedAt: Date },
): QuoteResult {
  const { product, weightGrams, dimensionsCm, declaredValuePaise, codAmountPaise, services, ...unhandled } = spec;
  allFieldsHandled(unhandled);
  try {
    const result = tariffQuote({
      product,
      weightGrams,
      dimensionsCm: dimensionsCm ?? undefined,
      // The band is LOCAL whatever the distance when sameLocality; 0 stands in for an unknown one.
      distanceKm: route.distanceKm ?? 0,
      sameLocality: route.sameLocality,
      declaredValuePaise: declaredValuePaise ?? undefined,
      codAmountPaise: codAmountPaise ?? undefined,
      services: services ?? undefined,
      discounts: options.contractBasisPoints ? { contractBasisPoints: options.contractBasisPoints } : undefined,
      bookedOn: options.bookedAt,
    });
    const { expectedDeliveryDate } = deliveryEstimate({ product, band: result.band, bookedAt: options.bookedAt });
    return { ...result, distanceKm: route.distanceKm, expectedDeliveryDate };
  } catch (error) {
    if (error instanceof TariffError || error instanceof DeliveryError) throw new InputProblem(error.field, error.message);
    throw error;
  }
}
