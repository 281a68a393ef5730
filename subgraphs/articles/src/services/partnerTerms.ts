import { apiError, callInternalRoute, describeCallFailure, InternalRouteFailure, internalRouteUrl } from '@dakgraph/graphql-kit';
import { bookingPartiesRoute, partnerTermsRoute, type PartnerTerms } from '@dakgraph/internal-api';

/**
 * A partner's commercial terms, as the customers subgraph (which owns partners) answers them on its
 * internal routes (declared in @dakgraph/internal-api): alone for a quote, or with the owners of the
 * customers a bulk booking names, so that a booking asks customers at most once.
 */
export type { PartnerTerms };

/** The parties of a partner's bulk booking, as customers knows them. */
export interface BookingParties {
  /** The partner's terms, or null when the customers subgraph does not know the partner. */
  terms: PartnerTerms | null;
  /** Each named customer that exists, with its partner id (null for a customer of no partner). */
  owners: Map<string, string | null>;
}

export interface PartnerTermsClient {
  /** The partner's terms, or null when the customers subgraph does not know the partner. */
  termsOf(partnerId: string): Promise<PartnerTerms | null>;
  /** The terms and the owners of `customerIds` in one call, or none when the terms are kept and no customer is named. */
  bookingPartiesOf(partnerId: string, customerIds: readonly string[]): Promise<BookingParties>;
}

export interface PartnerTermsOptions {
  /** The customers subgraph's base URL ("http://127.0.0.1:4002"); a trailing "/graphql" is ignored. */
  customersUrl: string;
  identitySecret: string;
  timeoutMs?: number;
  /**
   * How long a partner's terms are reused (5 s by default; 0 asks every time). A partner's warehouse
   * sends many bulk bookings at once: they share one question, and a suspension or a new discount takes
   * effect within this, as an API key revocation does at the gateway.
   */
  cacheMs?: number;
}

/** The terms route's URL from the customers subgraph's URL, which deployments usually give as its GraphQL endpoint. */
export function partnerTermsUrl(customersUrl: string): string {
  return internalRouteUrl(partnerTermsRoute, customersUrl);
}

const termsUnavailable = () =>
  apiError('SERVICE_UNAVAILABLE', "The partner's contract cannot be read right now; try again shortly");
export const customersUnavailable = () =>
  apiError('SERVICE_UNAVAILABLE', 'Customer records cannot be checked right now; try again shortly');

/**
 * Calls a customers route for `what`; any failure is logged once and becomes `unavailable()`: the
 * booking cannot be checked, which is not the caller's fault.
 */
export async function askCustomers<Answer>(what: string, url: string, unavailable: () => Error, call: () => Promise<Answer>): Promise<Answer> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof InternalRouteFailure) console.error(`[articles] ${what}: ${error.message}`);
    else console.error(`[articles] ${what}: ${url} unreachable:`, describeCallFailure(error));
    throw unavailable();
  }
}

export function createPartnerTermsClient(options: PartnerTermsOptions): PartnerTermsClient {
  const { customersUrl, identitySecret, timeoutMs } = options;
  const cacheMs = options.cacheMs ?? 5_000;
  // Known partners' terms, in flight or answered. Unknown partners (null) and failures are not kept: a
  // partner created a moment ago must be able to book, and an outage must not outlive itself.
  const recent = new Map<string, { terms: Promise<PartnerTerms | null>; until: number }>();
  const MAX_PARTNERS = 10_000;

  function kept(partnerId: string): Promise<PartnerTerms | null> | null {
    const entry = recent.get(partnerId);
    return entry && entry.until > Date.now() ? entry.terms : null;
  }

  function keep(partnerId: string, terms: Promise<PartnerTerms | null>): void {
    if (recent.size >= MAX_PARTNERS) recent.delete(recent.keys().next().value!);
    const entry = { terms, until: Date.now() + cacheMs };
    recent.set(partnerId, entry);
    const drop = () => {
      if (recent.get(partnerId) === entry) recent.delete(partnerId);
    };
    terms.then((found) => found ?? drop(), drop);
  }

  /** Terms for another partner than asked are as wrong as a malformed answer. */
  function checked(terms: PartnerTerms | null, partnerId: string, url: string): PartnerTerms | null {
    if (terms && terms.partnerId !== partnerId) {
      console.error(`[articles] partner terms: ${url} answered the terms of ${terms.partnerId} for ${partnerId}`);
      throw termsUnavailable();
    }
    return terms;
  }

  async function askTerms(partnerId: string): Promise<PartnerTerms | null> {
    const url = partnerTermsUrl(customersUrl);
    const answer = await askCustomers('partner terms', url, termsUnavailable, () =>
      callInternalRoute(partnerTermsRoute, customersUrl, identitySecret, { partnerId }, timeoutMs),
    );
    return answer.status === 404 ? null : checked(answer.body, partnerId, url);
  }

  async function askParties(partnerId: string | undefined, customerIds: string[]) {
    // A failure reads as the first thing the booking could not check: the contract, when it was asked.
    const unavailable = partnerId === undefined ? customersUnavailable : termsUnavailable;
    const url = internalRouteUrl(bookingPartiesRoute, customersUrl);
    const request = partnerId === undefined ? { customerIds } : { partnerId, customerIds };
    const { body } = await askCustomers('booking parties', url, unavailable, () =>
      callInternalRoute(bookingPartiesRoute, customersUrl, identitySecret, request, timeoutMs),
    );
    return { partner: partnerId === undefined ? null : checked(body.partner, partnerId, url), owners: new Map(body.customers.map((c) => [c.id, c.partnerId])) };
  }

  return {
    termsOf(partnerId) {
      const terms = kept(partnerId);
      if (terms) return terms;
      const asked = askTerms(partnerId);
      if (cacheMs > 0) keep(partnerId, asked);
      return asked;
    },

    async bookingPartiesOf(partnerId, customerIds) {
      const named = [...new Set(customerIds)];
      const terms = kept(partnerId);
      if (terms) {
        if (!named.length) return { terms: await terms, owners: new Map() };
        const [found, { owners }] = await Promise.all([terms, askParties(undefined, named)]);
        return { terms: found, owners };
      }
      const asked = askParties(partnerId, named);
      if (cacheMs > 0) keep(partnerId, asked.then((parties) => parties.partner));
      const { partner, owners } = await asked;
      return { terms: partner, owners };
    },
  };
}
