import { apiError, callInternal, describeCallFailure, type InternalAnswer } from '@dakgraph/graphql-kit';

/**
 * A partner's commercial terms, as the customers subgraph (which owns partners) answers them on its
 * internal route `POST /internal/partners/terms` with body `{"partnerId": "..."}`, signed with
 * signInternalCall(identitySecret, body) in the x-dakgraph-internal-signature header: 200 with this
 * object, or 404 for an unknown partner.
 */
export interface PartnerTerms {
  partnerId: string;
  /** "ACTIVE" or "SUSPENDED" (any other value is treated as not active). */
  status: string;
  /** Discount on postage in basis points, 0 to 5000. */
  discountBasisPoints: number;
  codAllowed: boolean;
}

export interface PartnerTermsClient {
  /** The partner's terms, or null when the customers subgraph does not know the partner. */
  termsOf(partnerId: string): Promise<PartnerTerms | null>;
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

export const PARTNER_TERMS_PATH = '/internal/partners/terms';

/** The route's URL from the customers subgraph's URL, which deployments usually give as its GraphQL endpoint. */
export function partnerTermsUrl(customersUrl: string): string {
  const base = customersUrl.trim().replace(/\/+$/, '').replace(/\/graphql$/, '');
  return `${base}${PARTNER_TERMS_PATH}`;
}

const unavailable = () =>
  apiError('SERVICE_UNAVAILABLE', "The partner's contract cannot be read right now; try again shortly");

function isTerms(value: unknown, partnerId: string): value is PartnerTerms {
  const terms = value as PartnerTerms | null;
  return (
    typeof terms === 'object' &&
    terms !== null &&
    terms.partnerId === partnerId &&
    typeof terms.status === 'string' &&
    Number.isInteger(terms.discountBasisPoints) &&
    terms.discountBasisPoints >= 0 &&
    terms.discountBasisPoints <= 10_000 &&
    typeof terms.codAllowed === 'boolean'
  );
}

export function createPartnerTermsClient(options: PartnerTermsOptions): PartnerTermsClient {
  const url = partnerTermsUrl(options.customersUrl);
  const cacheMs = options.cacheMs ?? 5_000;
  // Known partners' terms, in flight or answered. Unknown partners (null) and failures are not kept: a
  // partner created a moment ago must be able to book, and an outage must not outlive itself.
  const recent = new Map<string, { terms: Promise<PartnerTerms | null>; until: number }>();
  const MAX_PARTNERS = 10_000;

  async function ask(partnerId: string): Promise<PartnerTerms | null> {
    let answer: InternalAnswer;
    try {
      answer = await callInternal(url, options.identitySecret, { partnerId }, options.timeoutMs);
    } catch (error) {
      console.error(`[articles] partner terms: ${url} unreachable:`, describeCallFailure(error));
      throw unavailable();
    }
    if (answer.status === 404) return null;
    if (answer.status !== 200 || !isTerms(answer.body, partnerId)) {
      console.error(`[articles] partner terms: ${url} answered ${answer.status} with an unexpected body`);
      throw unavailable();
    }
    return answer.body;
  }

  return {
    termsOf(partnerId) {
      const kept = recent.get(partnerId);
      if (kept && kept.until > Date.now()) return kept.terms;
      const terms = ask(partnerId);
      if (cacheMs > 0) {
        if (recent.size >= MAX_PARTNERS) recent.delete(recent.keys().next().value!);
        const entry = { terms, until: Date.now() + cacheMs };
        recent.set(partnerId, entry);
        const drop = () => {
          if (recent.get(partnerId) === entry) recent.delete(partnerId);
        };
        terms.then((found) => found ?? drop(), drop);
      }
      return terms;
    },
  };
}
