import { serveInternalRoute, type HttpRoute } from '@dakgraph/graphql-kit';
import { bookingPartiesRoute } from '@dakgraph/internal-api';
import type { CustomersPrisma } from '../db';
import { ownersOfCustomers, partnerTermsOf } from '../services/internalQueries';

/**
 * What a partner's bulk booking needs from here, in one call (declared in @dakgraph/internal-api): the
 * partner's terms when asked (null for an unknown partner) and the owners of the customers it names.
 */
export function bookingPartiesHandler(prisma: CustomersPrisma, identitySecret: string): HttpRoute {
  return serveInternalRoute(bookingPartiesRoute, identitySecret, async ({ partnerId, customerIds }) => {
    const [partner, customers] = await Promise.all([
      partnerId === undefined ? null : partnerTermsOf(prisma, partnerId),
      ownersOfCustomers(prisma, customerIds),
    ]);
    return { status: 200, body: { partner, customers } };
  });
}
