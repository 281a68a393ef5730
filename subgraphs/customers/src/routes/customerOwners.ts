import { serveInternalRoute, type HttpRoute } from '@dakgraph/graphql-kit';
import { customerOwnersRoute } from '@dakgraph/internal-api';
import type { CustomersPrisma } from '../db';
import { ownersOfCustomers } from '../services/internalQueries';

/**
 * The partner (if any) of each customer a counter booking names, for the articles subgraph (declared
 * in @dakgraph/internal-api); ids that do not exist are absent.
 */
export function customerOwnersHandler(prisma: CustomersPrisma, identitySecret: string): HttpRoute {
  return serveInternalRoute(customerOwnersRoute, identitySecret, async ({ ids }) => ({
    status: 200,
    body: { customers: await ownersOfCustomers(prisma, ids) },
  }));
}
