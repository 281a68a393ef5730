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
  return {
    async termsOf(partnerId) {
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
    },
  };
}
