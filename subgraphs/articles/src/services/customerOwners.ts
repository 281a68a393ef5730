import { callInternalRoute, internalRouteUrl } from '@dakgraph/graphql-kit';
import { customerOwnersRoute } from '@dakgraph/internal-api';
import { askCustomers, customersUnavailable } from './partnerTerms';

/**
 * Which partner (if any) each customer a counter booking names belongs to, from the customers
 * subgraph's internal route (declared in @dakgraph/internal-api; unknown ids are absent). The customer
 * must exist; a partner's bulk booking asks the same with its terms (PartnerTermsClient.bookingPartiesOf).
 */
export interface CustomerOwnersClient {
  /** A map from each existing id to its partner id (null for a customer of no partner). */
  ownersOf(customerIds: readonly string[]): Promise<Map<string, string | null>>;
}

export function createCustomerOwnersClient(options: { customersUrl: string; identitySecret: string; timeoutMs?: number }): CustomerOwnersClient {
  const { customersUrl, identitySecret, timeoutMs } = options;
  const url = internalRouteUrl(customerOwnersRoute, customersUrl);
  return {
    async ownersOf(customerIds) {
      if (!customerIds.length) return new Map();
      const ids = [...new Set(customerIds)];
      const { body } = await askCustomers('customer owners', url, customersUnavailable, () =>
        callInternalRoute(customerOwnersRoute, customersUrl, identitySecret, { ids }, timeoutMs),
      );
      return new Map(body.customers.map((c) => [c.id, c.partnerId]));
    },
  };
}
