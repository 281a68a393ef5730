import type { CustomerOwner, PartnerTerms } from '@dakgraph/internal-api';
import type { CustomersPrisma } from '../db';

/**
 * What the other services read of this subgraph's records through its internal routes (they cannot
 * read its tables). Kept apart from the GraphQL services: these answer other services, not viewers, so
 * no access rules apply beyond the signed call.
 */

/** A partner's contract terms, or null for a partner that does not exist. */
export async function partnerTermsOf(prisma: CustomersPrisma, partnerId: string): Promise<PartnerTerms | null> {
  const partner = await prisma.partner.findUnique({
    where: { id: partnerId },
    select: { id: true, status: true, discountBasisPoints: true, codAllowed: true },
  });
  if (!partner) return null;
  return { partnerId: partner.id, status: partner.status, discountBasisPoints: partner.discountBasisPoints, codAllowed: partner.codAllowed };
}

/** The customers among `customerIds` that exist, each with its partner; the others are absent. */
export async function ownersOfCustomers(prisma: CustomersPrisma, customerIds: readonly string[]): Promise<CustomerOwner[]> {
  if (!customerIds.length) return [];
  return prisma.customer.findMany({ where: { id: { in: [...new Set(customerIds)] } }, select: { id: true, partnerId: true } });
}
