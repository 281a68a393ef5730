import { signedInternalRoute, type HttpRoute } from '@dakgraph/graphql-kit';
import type { CustomersPrisma } from '../db';

/** Where the articles subgraph reads a partner's contract terms when it books for that partner. */
export const PARTNER_TERMS_PATH = '/internal/partners/terms';

/**
 * `POST /internal/partners/terms` with `{"partnerId": "ptn_..."}`, signed like every internal call.
 * 200 `{"partnerId","status","discountBasisPoints","codAllowed"}`; 404 for an unknown partner. The contract
 * lives here (customers owns partners); articles asks instead of reading this subgraph's tables.
 */
export function partnerTermsRoute(prisma: CustomersPrisma, identitySecret: string): HttpRoute {
  return signedInternalRoute({
    path: PARTNER_TERMS_PATH,
    identitySecret,
    async handle(body) {
      const partnerId = (body as { partnerId?: unknown } | null)?.partnerId;
      if (typeof partnerId !== 'string' || partnerId.length > 64) {
        return { status: 400, body: { error: 'The body must be JSON {"partnerId": "<id>"}' } };
      }
      const partner = await prisma.partner.findUnique({ where: { id: partnerId } });
      if (!partner) return { status: 404, body: { error: `No partner ${partnerId}` } };
      return {
        status: 200,
        body: {
          partnerId: partner.id,
          status: partner.status,
          discountBasisPoints: partner.discountBasisPoints,
          codAllowed: partner.codAllowed,
        },
      };
    },
  });
}
