import { serveInternalRoute, type HttpRoute } from '@dakgraph/graphql-kit';
import { partnerTermsRoute } from '@dakgraph/internal-api';
import type { CustomersPrisma } from '../db';
import { partnerTermsOf } from '../services/internalQueries';

/**
 * A partner's contract terms for the articles subgraph's quotes (declared in @dakgraph/internal-api):
 * the contract lives here, where partners do, and articles asks instead of reading these tables.
 */
export function partnerTermsHandler(prisma: CustomersPrisma, identitySecret: string): HttpRoute {
  return serveInternalRoute(partnerTermsRoute, identitySecret, async ({ partnerId }) => {
    const terms = await partnerTermsOf(prisma, partnerId);
    if (!terms) return { status: 404, body: { error: `No partner ${partnerId}` } };
    return { status: 200, body: terms };
  });
}
