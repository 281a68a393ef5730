import { defineInternalRoute } from '@dakgraph/graphql-kit';
import { z } from 'zod';

/**
 * The customers subgraph's internal routes. Customers owns partners, customers, API keys and sessions;
 * the gateway and the articles subgraph have no access to its tables, so they ask here.
 */

/** Ids are short ("ptn_" / "cus_" + 26 characters); the bound keeps a hostile body cheap to refuse. */
const recordId = z.string().max(64);

/** A refusal the caller passes on: `error` is written for the end user, `reason` for code. */
const refusal = <const Reasons extends readonly [string, ...string[]]>(reasons: Reasons) =>
  z.object({ error: z.string(), reason: z.enum(reasons) });

/** The gateway asks whether a partner API key is good: an active key of an active partner. */
export const apiKeyVerifyRoute = defineInternalRoute({
  path: '/internal/api-keys/verify',
  requestForm: '{"key": "<the API key>"}',
  request: z.object({ key: z.string() }),
  responses: {
    200: z.object({ partnerId: z.string(), keyId: z.string(), prefix: z.string() }),
    401: refusal(['MALFORMED', 'UNKNOWN', 'REVOKED', 'PARTNER_SUSPENDED']),
  },
});

/**
 * The gateway asks, after checking a login token's signature and expiry, whether its session is still
 * open: 200 while it is, 401 once the account is gone, disabled or signed out.
 */
export const sessionVerifyRoute = defineInternalRoute({
  path: '/internal/sessions/verify',
  requestForm: '{"kind": "STAFF"|"CUSTOMER", "id": "<account id>", "sessionVersion": <integer>}',
  request: z.object({ kind: z.enum(['STAFF', 'CUSTOMER']), id: z.string().min(1).max(100), sessionVersion: z.int() }),
  responses: {
    200: z.object({}),
    401: refusal(['UNKNOWN', 'DISABLED', 'SIGNED_OUT']),
  },
});

/** A partner's commercial terms, as bookings and quotes apply them. */
export const partnerTermsSchema = z.object({
  partnerId: z.string(),
  /** "ACTIVE" or "SUSPENDED"; left open so a new status reads as "not active", not as an outage. */
  status: z.string(),
  /** Discount on postage in basis points (the contract allows up to 5000). */
  discountBasisPoints: z.int().min(0).max(10_000),
  codAllowed: z.boolean(),
});
export type PartnerTerms = z.output<typeof partnerTermsSchema>;

/** Articles reads a partner's terms for a partner's quote: 404 for a partner customers does not know. */
export const partnerTermsRoute = defineInternalRoute({
  path: '/internal/partners/terms',
  requestForm: '{"partnerId": "<id>"}',
  request: z.object({ partnerId: recordId }),
  responses: {
    200: partnerTermsSchema,
    404: z.object({ error: z.string() }),
  },
});

/** As many customers as one bulk booking can name. */
export const MAX_NAMED_CUSTOMERS = 1_000;

/** A customer and its partner (null for a customer of no partner, e.g. a walk-in at a counter). */
const customerOwner = z.object({ id: z.string(), partnerId: z.string().nullable() });
export type CustomerOwner = z.output<typeof customerOwner>;

/**
 * Articles checks the customers a counter booking names: the ids that exist, with their partner; ids
 * that do not exist are simply absent.
 */
export const customerOwnersRoute = defineInternalRoute({
  path: '/internal/customers/owners',
  requestForm: `{"ids": [up to ${MAX_NAMED_CUSTOMERS} customer ids]}`,
  maxBodyBytes: 64 * 1024,
  request: z.object({ ids: z.array(recordId).max(MAX_NAMED_CUSTOMERS) }),
  responses: {
    200: z.object({ customers: z.array(customerOwner) }),
  },
});

/**
 * Everything a partner's bulk booking needs from customers in one call: the partner's terms (when
 * asked: articles keeps them a few seconds, so often it does not ask) and the owners of the customers
 * the items name. `partner` is null for a partner customers does not know.
 */
export const bookingPartiesRoute = defineInternalRoute({
  path: '/internal/bookings/parties',
  requestForm: `{"partnerId"?: "<id>", "customerIds": [up to ${MAX_NAMED_CUSTOMERS} customer ids]}`,
  maxBodyBytes: 64 * 1024,
  request: z.object({ partnerId: recordId.optional(), customerIds: z.array(recordId).max(MAX_NAMED_CUSTOMERS) }),
  responses: {
    200: z.object({ partner: partnerTermsSchema.nullable(), customers: z.array(customerOwner) }),
  },
});

/** Every route the customers subgraph serves, for its route list and the contract test. */
export const CUSTOMERS_INTERNAL_ROUTES = [apiKeyVerifyRoute, sessionVerifyRoute, partnerTermsRoute, customerOwnersRoute, bookingPartiesRoute] as const;
