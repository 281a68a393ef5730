import DataLoader from 'dataloader';
import { groupedInKeyOrder, inKeyOrder } from '@dakgraph/graphql-kit';
import type {
  AddressRow, ApiKeyRow, CustomerRow, CustomersPrisma, OfficeRefRow, PartnerRow, StaffUserRow, WebhookAttemptRow, WebhookDeliveryRow,
  WebhookEndpointRow,
} from './db';

/**
 * Per-request loaders: every lookup of one request level is one SQL query, however many parents ask.
 * Created per request (never module-level): a cache shared between requests would serve one caller's
 * records to another, and keep serving records after they changed.
 */
export interface PartnerCustomersKey {
  partnerId: string;
  /** Rows to fetch: the page size plus one, to learn whether another page follows. */
  limit: number;
  beforeId: string | null;
}

const pageKey = (key: PartnerCustomersKey) => `${key.partnerId}\u0000${key.limit}\u0000${key.beforeId ?? ''}`;

/** One page of an endpoint's delivery log: newest first, before `beforeId`. */
export interface EndpointDeliveriesKey {
  endpointId: string;
  limit: number;
  beforeId: string | null;
}

const deliveryPageKey = (key: EndpointDeliveriesKey) => `${key.endpointId}\u0000${key.limit}\u0000${key.beforeId ?? ''}`;

export function createLoaders(prisma: CustomersPrisma) {
  const customerById = new DataLoader<string, CustomerRow | null>(async (ids) =>
    inKeyOrder(ids, await prisma.customer.findMany({ where: { id: { in: [...ids] } } }), (c) => c.id),
  );
  return {
    customerById,
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
    /**
     * A page of each partner's customers, newest first: one LATERAL query over the (partner_id, id) index
     * for all partners of a level (an admin listing partners with their customers), then the rows through
     * customerById. Keys of one page shape (size, cursor) share the query.
     */
    customerPagesByPartner: new DataLoader<PartnerCustomersKey, CustomerRow[], string>(
      async (keys): Promise<CustomerRow[][]> => {
        const pages = new Map<string, string[]>();
        const shapes = new Map<string, PartnerCustomersKey[]>();
        for (const key of keys) {
          const shape = `${key.limit}\u0000${key.beforeId ?? ''}`;
          (shapes.get(shape) ?? shapes.set(shape, []).get(shape)!).push(key);
        }
        for (const group of shapes.values()) {
          const { limit, beforeId } = group[0]!;
          const rows = await prisma.$queryRaw<{ partnerId: string; id: string }[]>`
            SELECT p.id AS "partnerId", c.id
              FROM unnest(${group.map((key) => key.partnerId)}::text[]) AS p(id)
              CROSS JOIN LATERAL (
                SELECT id FROM customers.customer
                 WHERE partner_id = p.id AND (${beforeId}::text IS NULL OR id < ${beforeId}::text)
                 ORDER BY id DESC LIMIT ${limit}
              ) c`;
          for (const key of group) pages.set(pageKey(key), rows.filter((row) => row.partnerId === key.partnerId).map((row) => row.id));
        }
        const customers = await customerById.loadMany([...new Set([...pages.values()].flat())]);
        const byId = new Map(customers.filter((c): c is CustomerRow => !!c && !(c instanceof Error)).map((c) => [c.id, c]));
        return keys.map((key) => (pages.get(pageKey(key)) ?? []).map((id) => byId.get(id)).filter((c): c is CustomerRow => !!c));
      },
      { cacheKeyFn: pageKey },
    ),
    /** How many customers each partner has, in one grouped count. */
    customerCountByPartner: new DataLoader<string, number>(async (partnerIds) => {
      const counts = await prisma.customer.groupBy({ by: ['partnerId'], where: { partnerId: { in: [...partnerIds] } }, _count: { _all: true } });
      const byPartner = new Map(counts.map((c) => [c.partnerId, c._count._all]));
      return partnerIds.map((id) => byPartner.get(id) ?? 0);
    }),
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
    webhookEndpointById: new DataLoader<string, WebhookEndpointRow | null>(async (ids) =>
      inKeyOrder(ids, await prisma.webhookEndpoint.findMany({ where: { id: { in: [...ids] } } }), (e) => e.id),
    ),
    /** The endpoints of many partners (an admin's `partners { nodes { webhookEndpoints } }`) in one query, newest first. */
    webhookEndpointsByPartner: new DataLoader<string, WebhookEndpointRow[]>(async (partnerIds) =>
      groupedInKeyOrder(
        partnerIds,
        await prisma.webhookEndpoint.findMany({ where: { partnerId: { in: [...partnerIds] } }, orderBy: { id: 'desc' } }),
        (e) => e.partnerId,
      ),
    ),
    webhookDeliveryById: new DataLoader<string, WebhookDeliveryRow | null>(async (ids) =>
      inKeyOrder(ids, await prisma.webhookDelivery.findMany({ where: { id: { in: [...ids] } } }), (d) => d.id),
    ),
    /**
     * A page of each endpoint's deliveries, newest first: one LATERAL query over the (endpoint_id, id)
     * index for every endpoint of a level with the same page shape, as customerPagesByPartner does.
     */
    webhookDeliveryPagesByEndpoint: new DataLoader<EndpointDeliveriesKey, WebhookDeliveryRow[], string>(
      async (keys): Promise<WebhookDeliveryRow[][]> => {
        const shapes = new Map<string, EndpointDeliveriesKey[]>();
        for (const key of keys) {
          const shape = `${key.limit}\u0000${key.beforeId ?? ''}`;
          (shapes.get(shape) ?? shapes.set(shape, []).get(shape)!).push(key);
        }
        const ids = new Map<string, string[]>();
        for (const group of shapes.values()) {
          const { limit, beforeId } = group[0]!;
          const rows = await prisma.$queryRaw<{ endpointId: string; id: string }[]>`
            SELECT e.id AS "endpointId", d.id
              FROM unnest(${group.map((key) => key.endpointId)}::text[]) AS e(id)
              CROSS JOIN LATERAL (
                SELECT id FROM customers.webhook_delivery
                 WHERE endpoint_id = e.id AND (${beforeId}::text IS NULL OR id < ${beforeId}::text)
                 ORDER BY id DESC LIMIT ${limit}
              ) d`;
          for (const key of group) ids.set(deliveryPageKey(key), rows.filter((row) => row.endpointId === key.endpointId).map((row) => row.id));
        }
        const all = [...new Set([...ids.values()].flat())];
        const rows = all.length ? await prisma.webhookDelivery.findMany({ where: { id: { in: all } } }) : [];
        const byId = new Map(rows.map((row) => [row.id, row]));
        return keys.map((key) => (ids.get(deliveryPageKey(key)) ?? []).map((id) => byId.get(id)).filter((d): d is WebhookDeliveryRow => !!d));
      },
      { cacheKeyFn: deliveryPageKey },
    ),
    /** How many deliveries each endpoint has, in one grouped count. */
    webhookDeliveryCountByEndpoint: new DataLoader<string, number>(async (endpointIds) => {
      const counts = await prisma.webhookDelivery.groupBy({ by: ['endpointId'], where: { endpointId: { in: [...endpointIds] } }, _count: { _all: true } });
      const byEndpoint = new Map(counts.map((c) => [c.endpointId, c._count._all]));
      return endpointIds.map((id) => byEndpoint.get(id) ?? 0);
    }),
    /** The attempts of many deliveries in one query, oldest first. */
    webhookAttemptsByDelivery: new DataLoader<string, WebhookAttemptRow[]>(async (deliveryIds) =>
      groupedInKeyOrder(
        deliveryIds,
        await prisma.webhookAttempt.findMany({ where: { deliveryId: { in: [...deliveryIds] } }, orderBy: [{ at: 'asc' }, { id: 'asc' }] }),
        (a) => a.deliveryId,
      ),
    ),
  };
}

export type CustomerLoaders = ReturnType<typeof createLoaders>;
