import { hashPassword, type Viewer } from '@dakgraph/auth';
import { allFieldsHandled, badInput, conflict, keysetPage, type ConnectionResult, type PageArgs, refuse } from '@dakgraph/graphql-kit';
import type { CreateCustomerInput, PartnerCustomersArgs, QueryCustomersArgs, RegisterCustomerInput } from '../__generated__/resolvers-types';
import { canCreateCustomer, canSeePersonalData, customerScope, type CustomerScope } from '../access';
import type { CreatedId, CustomersContext } from '../context';
import type { CustomerRow, CustomersPrisma, CustomersTx, Prisma } from '../db';
import { CUSTOMER_RULE, refusal } from './authorize';
import { newId } from './ids';
import { staffEmailTaken } from './staff';
import * as check from './validation';

const CURSOR_KIND = 'customer';

/** `Query.customer`: null when missing (for callers who may read some customer), FORBIDDEN when not theirs. */
export async function readCustomer(ctx: CustomersContext, id: string): Promise<CustomerRow | null> {
  const scope = customerScope(ctx.viewer);
  if (!scope) refuse(refusal(ctx.viewer, 'Customer data', CUSTOMER_RULE));
  const customer = await ctx.loaders.customerById.load(id);
  // Only callers who may read every customer learn that an id is unknown; to a partner or a customer an
  // unknown id and someone else's look the same, so ids cannot be probed.
  if (!customer) {
    if (scope.kind !== 'ALL') refuse(refusal(ctx.viewer, 'This customer', CUSTOMER_RULE));
    return null;
  }
  if (!canSeePersonalData(ctx.viewer, customer)) refuse(refusal(ctx.viewer, 'This customer', CUSTOMER_RULE));
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

function searchWhere(filter: QueryCustomersArgs['filter']): Prisma.CustomerWhereInput {
  if (!filter) return {};
  const { search, ...unhandled } = filter;
  allFieldsHandled(unhandled);
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
export function customerPage(ctx: CustomersContext, where: Prisma.CustomerWhereInput, args: PageArgs): Promise<ConnectionResult<CustomerRow>> {
  return keysetPage(args, {
    ...customerPaging(ctx),
    fetch: (beforeId, limit) =>
      ctx.prisma.customer.findMany({ where: beforeId ? { AND: [where, { id: { lt: beforeId } }] } : where, orderBy: { id: 'desc' }, take: limit }),
    count: () => ctx.prisma.customer.count({ where }),
  });
}

/** Every customer list pages by id, newest first, and primes the customer loader. */
const customerPaging = (ctx: CustomersContext) => ({
  cursorKind: CURSOR_KIND,
  keyOf: (customer: CustomerRow) => customer.id,
  prime: (customer: CustomerRow) => ctx.loaders.customerById.prime(customer.id, customer),
});

/**
 * `Partner.customers`: a partner's customers, newest first, batched across partners (an admin's
 * `partners { nodes { customers } }` is two queries per level, not one per partner).
 */
export function partnerCustomerPage(ctx: CustomersContext, partnerId: string, args: PartnerCustomersArgs): Promise<ConnectionResult<CustomerRow>> {
  return keysetPage(args, {
    ...customerPaging(ctx),
    fetch: (beforeId, limit) => ctx.loaders.customerPagesByPartner.load({ partnerId, limit, beforeId }),
    count: () => ctx.loaders.customerCountByPartner.load(partnerId),
  });
}

/** `Query.customers`: the caller's scope, narrowed by the filter. */
export function listCustomers(ctx: CustomersContext, args: QueryCustomersArgs): Promise<ConnectionResult<CustomerRow>> {
  const scope = customerScope(ctx.viewer);
  if (!scope) refuse(refusal(ctx.viewer, 'Customer data', CUSTOMER_RULE));
  return customerPage(ctx, { AND: [scopeWhere(scope), searchWhere(args.filter)] }, args);
}

/** Whether a customer already has this email, ignoring case (the lower(email) index answers it). */
export async function customerEmailTaken(db: CustomersTx | CustomersPrisma, email: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ id: string }[]>`SELECT id FROM customers.customer WHERE lower(email) = lower(${email}) LIMIT 1`;
  return rows.length > 0;
}

const emailInUse = () => conflict('This email is already registered; log in, or use another email');


/** `Mutation.createCustomer`: a customer who does not log in, owned by the calling partner if it is one. */
export async function createCustomer(ctx: CustomersContext, input: CreateCustomerInput, key: string): Promise<CustomerRow> {
  if (!canCreateCustomer(ctx.viewer)) {
    refuse(refusal(ctx.viewer, 'Creating customers', 'partners, counter clerks, supervisors and admins create customers'));
  }
  const { kind, name, businessName, gstin, email, phone, ...unhandled } = input;
  allFieldsHandled(unhandled);
  const business = kind === 'BUSINESS';
  if (!business && (businessName != null || gstin != null)) {
    throw badInput('businessName and gstin are for BUSINESS customers; leave them out for an INDIVIDUAL', gstin != null ? 'input.gstin' : 'input.businessName');
  }
  const data = {
    kind,
    name: check.text(name, 'input.name', 200),
    businessName: business ? check.text(businessName ?? '', 'input.businessName', 200) : null,
    gstin: business && gstin != null ? check.gstin(gstin, 'input.gstin') : null,
    email: email == null ? null : check.email(email, 'input.email'),
    phone: check.indianMobile(phone, 'input.phone'),
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


/** The viewer a customer logs in as. */
export function customerViewer(customerId: string): Viewer {
  return { kind: 'CUSTOMER', id: customerId, role: null, officeId: null, divisionId: null, partnerId: null, customerId };
}

/**
 * `Mutation.registerCustomer` without the token: validates, and creates the individual customer once per
 * idempotency key. Returns the customer's row (the first one, on a replay).
 */
export async function registerCustomer(ctx: CustomersContext, input: RegisterCustomerInput, key: string): Promise<CustomerRow> {
  const { name, email, phone, password: givenPassword, ...unhandled } = input;
  allFieldsHandled(unhandled);
  const data = {
    name: check.text(name, 'input.name', 200),
    email: check.email(email, 'input.email'),
    phone: check.indianMobile(phone, 'input.phone'),
  };
  const password = check.newPassword(givenPassword, 'input.password');
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
