import DataLoader from 'dataloader';
import { groupedInKeyOrder, inKeyOrder } from '@dakgraph/graphql-kit';
import type { AddressRow, ApiKeyRow, CustomerRow, CustomersPrisma, OfficeRefRow, PartnerRow, StaffUserRow } from './db';

/**
 * Per-request loaders: every lookup of one request level is one SQL query, however many parents ask.
 * Created per request (never module-level): a cache shared between requests would serve one caller's
 * records to another, and keep serving records after they changed.
 */
export function createLoaders(prisma: CustomersPrisma) {
  return {
    customerById: new DataLoader<string, CustomerRow | null>(async (ids) =>
      inKeyOrder(ids, await prisma.customer.findMany({ where: { id: { in: [...ids] } } }), (c) => c.id),
    ),
    /** A customer's addresses, the default first, then newest first. */
    addressesByCustomer: new DataLoader<string, AddressRow[]>(async (customerIds) =>
      groupedInKeyOrder(
        customerIds,
        await prisma.address.findMany({
          where: { customerId: { in: [...customerIds] } },
          orderBy: [{ isDefault: 'desc' }, { id: 'desc' }],
        }),
        (a) => a.customerId,
      ),
    ),
    partnerById: new DataLoader<string, PartnerRow | null>(async (ids) =>
      inKeyOrder(ids, await prisma.partner.findMany({ where: { id: { in: [...ids] } } }), (p) => p.id),
    ),
    /** A partner's API keys, newest first. */
    apiKeysByPartner: new DataLoader<string, ApiKeyRow[]>(async (partnerIds) =>
      groupedInKeyOrder(
        partnerIds,
        await prisma.apiKey.findMany({ where: { partnerId: { in: [...partnerIds] } }, orderBy: { id: 'desc' } }),
        (k) => k.partnerId,
      ),
    ),
    apiKeyById: new DataLoader<string, ApiKeyRow | null>(async (ids) =>
      inKeyOrder(ids, await prisma.apiKey.findMany({ where: { id: { in: [...ids] } } }), (k) => k.id),
    ),
    staffById: new DataLoader<string, StaffUserRow | null>(async (ids) =>
      inKeyOrder(ids, await prisma.staffUser.findMany({ where: { id: { in: [...ids] } } }), (s) => s.id),
    ),
    /** The active (not disabled) staff of an office, by name. */
    activeStaffByOffice: new DataLoader<string, StaffUserRow[]>(async (officeIds) =>
      groupedInKeyOrder(
        officeIds,
        await prisma.staffUser.findMany({
          where: { officeId: { in: [...officeIds] }, disabledAt: null },
          orderBy: [{ name: 'asc' }, { id: 'asc' }],
        }),
        (s) => s.officeId,
      ),
    ),
    /** The reference copy of an office (its division), for Office references and access checks. */
    officeRefById: new DataLoader<string, OfficeRefRow | null>(async (ids) =>
      inKeyOrder(ids, await prisma.officeRef.findMany({ where: { id: { in: [...ids] } } }), (o) => o.id),
    ),
  };
}

export type CustomerLoaders = ReturnType<typeof createLoaders>;
