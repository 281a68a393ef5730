import { signedInternalRoute, type HttpRoute } from '@dakgraph/graphql-kit';
import type { CustomersPrisma } from '../db';

/** Where the articles subgraph checks the customers a booking names (it cannot read this subgraph's tables). */
export const CUSTOMER_OWNERS_PATH = '/internal/customers/owners';
/** As many as one bulk booking can name. */
export const MAX_OWNER_IDS = 1_000;

/**
 * `POST /internal/customers/owners` with `{"ids": ["cus_...", ...]}`, signed like every internal call.
 * 200 `{"customers": [{"id", "partnerId"}]}` for the ids that exist (partnerId null for a customer of no
 * partner); ids that do not exist are simply absent. 400 for a malformed body.
 */
export function customerOwnersRoute(prisma: CustomersPrisma, identitySecret: string): HttpRoute {
  return signedInternalRoute({
    path: CUSTOMER_OWNERS_PATH,
    identitySecret,
    maxBodyBytes: 64 * 1024,
    async handle(body) {
      const ids = (body as { ids?: unknown } | null)?.ids;
      if (!Array.isArray(ids) || ids.length > MAX_OWNER_IDS || !ids.every((id) => typeof id === 'string' && id.length <= 64)) {
        return { status: 400, body: { error: `The body must be JSON {"ids": [up to ${MAX_OWNER_IDS} customer ids]}` } };
      }
      const customers = await prisma.customer.findMany({
        where: { id: { in: [...new Set(ids as string[])] } },
        select: { id: true, partnerId: true },
      });
      return { status: 200, body: { customers } };
    },
  });
}
