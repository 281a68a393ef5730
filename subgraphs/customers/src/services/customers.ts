import { hashPassword, type Viewer } from '@dakgraph/auth';
import {
  badInput, conflict, decodeCursor, encodeCursor, pageSize, toConnection, type ConnectionResult,
} from '@dakgraph/graphql-kit';
import { canCreateCustomer, canSeePersonalData, customerScope, type CustomerScope } from '../access';
import type { CreatedId, CustomersContext } from '../context';
import type { CustomerRow, CustomersPrisma, CustomersTx, Prisma } from '../db';
import { CUSTOMER_RULE, denied } from './authorize';
import { newId } from './ids';
import { staffEmailTaken } from './staff';
import * as check from './validation';

const CURSOR_KIND = 'customer';

/** `Query.customer`: null when missing (for callers who may read some customer), FORBIDDEN when not theirs. */
export async function readCustomer(ctx: CustomersContext, id: string): Promise<CustomerRow | null> {
  const scope = customerScope(ctx.viewer);
  if (!scope) throw denied(ctx.viewer, 'Customer data', CUSTOMER_RULE);
  const customer = await ctx.loaders.customerById.load(id);
  // Only callers who may read every customer learn that an id is unknown; to a partner or a customer an
  // unknown id and someone else's look the same, so ids cannot be probed.
  if (!customer) {
    if (scope.kind !== 'ALL') throw denied(ctx.viewer, 'This customer', CUSTOMER_RULE);
    return null;
  }
  if (!canSeePersonalData(ctx.viewer, customer)) throw denied(ctx.viewer, 'This customer', CUSTOMER_RULE);
  return customer;
}

/** The rows a scope may read, as a Prisma condition. */
function scopeWhere(scope: CustomerScope): Prisma.CustomerWhereInput {
  switch (scope.kind) {
    case 'ALL':
      return {};
    case 'PARTNER':
      return { partnerId: scope.partnerId };
    case 'SELF':
      return { id: scope.customerId };
  }
}

function searchWhere(search: string | null | undefined): Prisma.CustomerWhereInput {
  if (search == null) return {};
  const term = check.text(search, 'filter.search', 100, 2);
  const digits = term.replace(/[\s\-+()]/g, '');
  return {
    OR: [
      { name: { contains: term, mode: 'insensitive' } },
      { businessName: { contains: term, mode: 'insensitive' } },
      { email: { contains: term, mode: 'insensitive' } },
      ...(/^\d{2,}$/.test(digits) ? [{ phone: { contains: digits } }] : []),
    ],
  };
}

/** One page of customers under a condition, newest first (ids sort by creation time). */
export async function customerPage(
  ctx: CustomersContext,
  where: Prisma.CustomerWhereInput,
  args: { first?: number | null; after?: string | null },
): Promise<ConnectionResult<CustomerRow>> {
  const size = pageSize(args.first, 20);
  const beforeId = decodeCursor(CURSOR_KIND, args.after);
  const rows = await ctx.prisma.customer.findMany({
    where: beforeId ? { AND: [where, { id: { lt: beforeId } }] } : where,
    orderBy: { id: 'desc' },
    take: size + 1,
  });
  rows.forEach((customer) => ctx.loaders.customerById.prime(customer.id, customer));
  return toConnection(rows, size, (c) => encodeCursor(CURSOR_KIND, c.id), () => ctx.prisma.customer.count({ where }));
}

/**
 * `Partner.customers`: a partner's customers, newest first, batched across partners (an admin's
 * `partners { nodes { customers } }` is two queries per level, not one per partner).
 */
export async function partnerCustomerPage(
  ctx: CustomersContext,
  partnerId: string,
  args: { first?: number | null; after?: string | null },
): Promise<ConnectionResult<CustomerRow>> {
  const size = pageSize(args.first, 20);
  const beforeId = decodeCursor(CURSOR_KIND, args.after);
  const rows = await ctx.loaders.customerPagesByPartner.load({ partnerId, limit: size + 1, beforeId });
  return toConnection(rows, size, (c) => encodeCursor(CURSOR_KIND, c.id), () => ctx.loaders.customerCountByPartner.load(partnerId));
}

/** `Query.customers`: the caller's scope, narrowed by the filter. */
export function listCustomers(
  ctx: CustomersContext,
  args: { filter?: { search?: string | null } | null; first?: number | null; after?: string | null },
): Promise<ConnectionResult<CustomerRow>> {
  const scope = customerScope(ctx.viewer);
  if (!scope) throw denied(ctx.viewer, 'Customer data', CUSTOMER_RULE);
  return customerPage(ctx, { AND: [scopeWhere(scope), searchWhere(args.filter?.search)] }, args);
}

/** Whether a customer already has this email, ignoring case (the lower(email) index answers it). */
export async function customerEmailTaken(db: CustomersTx | CustomersPrisma, email: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ id: string }[]>`SELECT id FROM customers.customer WHERE lower(email) = lower(${email}) LIMIT 1`;
  return rows.length > 0;
}

const emailInUse = () => conflict('This email is already registered; log in, or use another email');

export interface CreateCustomerInput {
  kind: 'INDIVIDUAL' | 'BUSINESS';
  name: string;
  businessName?: string | null;
  gstin?: string | null;
  email?: string | null;
  phone: string;
}

/** `Mutation.createCustomer`: a customer who does not log in, owned by the calling partner if it is one. */
export async function createCustomer(ctx: CustomersContext, input: CreateCustomerInput, key: string): Promise<CustomerRow> {
  if (!canCreateCustomer(ctx.viewer)) {
    throw denied(ctx.viewer, 'Creating customers', 'partners, counter clerks, supervisors and admins create customers');
  }
  const business = input.kind === 'BUSINESS';
  if (!business && (input.businessName != null || input.gstin != null)) {
    throw badInput('businessName and gstin are for BUSINESS customers; leave them out for an INDIVIDUAL', input.gstin != null ? 'input.gstin' : 'input.businessName');
  }
  const data = {
    kind: input.kind,
    name: check.text(input.name, 'input.name', 200),
    businessName: business ? check.text(input.businessName ?? '', 'input.businessName', 200) : null,
    gstin: business && input.gstin != null ? check.gstin(input.gstin, 'input.gstin') : null,
    email: input.email == null ? null : check.email(input.email, 'input.email'),
    phone: check.indianMobile(input.phone, 'input.phone'),
    partnerId: ctx.viewer.kind === 'PARTNER' ? ctx.viewer.partnerId : null,
  };
  return ctx.idempotency.run(ctx.idempotency.claim(ctx.viewer, key, 'createCustomer', data), {
    write: async (tx): Promise<CreatedId> => {
      if (data.email !== null && (await customerEmailTaken(tx, data.email))) throw emailInUse();
      return tx.customer.create({ data: { id: newId('cus'), ...data }, select: { id: true } });
    },
    answer: async ({ id }) => (await ctx.loaders.customerById.load(id))!,
  });
}

export interface RegisterCustomerInput {
  name: string;
  email: string;
  phone: string;
  password: string;
}

/** The viewer a customer logs in as. */
export function customerViewer(customerId: string): Viewer {
  return { kind: 'CUSTOMER', id: customerId, role: null, officeId: null, divisionId: null, partnerId: null, customerId };
}

/**
 * `Mutation.registerCustomer` without the token: validates, and creates the individual customer once per
 * idempotency key. Returns the customer's row (the first one, on a replay).
 */
export async function registerCustomer(ctx: CustomersContext, input: RegisterCustomerInput, key: string): Promise<CustomerRow> {
  const data = {
    name: check.text(input.name, 'input.name', 200),
    email: check.email(input.email, 'input.email'),
    phone: check.indianMobile(input.phone, 'input.phone'),
  };
  const password = check.newPassword(input.password, 'input.password');
  // The fingerprint covers the password, so only someone who sent it may replay the sign-up (and get a token).
  const fingerprintArgs = { ...data, password };
  return ctx.idempotency.run(ctx.idempotency.claim(ctx.viewer, key, 'registerCustomer', fingerprintArgs), {
    // Hashed before the transaction (it takes a while on purpose), and not at all for a retry.
    prepare: () => hashPassword(password),
    write: async (tx, passwordHash): Promise<CreatedId> => {
      // Login looks staff up first, so a customer sharing a staff email could never log in.
      if ((await customerEmailTaken(tx, data.email)) || (await staffEmailTaken(tx, data.email))) throw emailInUse();
      return tx.customer.create({ data: { id: newId('cus'), kind: 'INDIVIDUAL', ...data, passwordHash }, select: { id: true } });
    },
    answer: async ({ id }) => (await ctx.loaders.customerById.load(id))!,
  });
}
