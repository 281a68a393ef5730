import { apiError, callInternal, describeCallFailure, type InternalAnswer } from '@dakgraph/graphql-kit';
import { partnerTermsUrl, PARTNER_TERMS_PATH } from './partnerTerms';

/**
 * Which partner (if any) each named customer belongs to, from the customers subgraph's internal route
 * `POST /internal/customers/owners` (`{"ids": [...]}` -> `{"customers": [{"id", "partnerId"}]}`, unknown ids
 * absent). Bookings that name a senderCustomerId are checked against it: the customer must exist, and a
 * partner may only name its own customers (else it could attach its parcels to another partner's customer).
 */
export interface CustomerOwnersClient {
  /** A map from each existing id to its partner id (null for a customer of no partner). */
  ownersOf(customerIds: readonly string[]): Promise<Map<string, string | null>>;
}

export function createCustomerOwnersClient(options: { customersUrl: string; identitySecret: string; timeoutMs?: number }): CustomerOwnersClient {
  const url = partnerTermsUrl(options.customersUrl).replace(PARTNER_TERMS_PATH, '/internal/customers/owners');
  const unavailable = () => apiError('SERVICE_UNAVAILABLE', 'Customer records cannot be checked right now; try again shortly');
  return {
    async ownersOf(customerIds) {
      if (!customerIds.length) return new Map();
      let answer: InternalAnswer;
      try {
        answer = await callInternal(url, options.identitySecret, { ids: [...new Set(customerIds)] }, options.timeoutMs);
      } catch (error) {
        console.error(`[articles] customer owners: ${url} unreachable:`, describeCallFailure(error));
        throw unavailable();
      }
      const customers = (answer.body as { customers?: { id: string; partnerId: string | null }[] } | null)?.customers;
      if (answer.status !== 200 || !Array.isArray(customers)) {
        console.error(`[articles] customer owners: ${url} answered ${answer.status}`);
        throw unavailable();
      }
      return new Map(customers.map((c) => [c.id, c.partnerId]));
    },
  };
}
