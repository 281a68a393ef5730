import type { CustomerResolvers } from '../__generated__/resolvers-types';
import { canSeePersonalData } from '../access';
import type { CustomersContext } from '../context';
import type { CustomerRow } from '../db';
import { mayRead } from '../services/authorize';

// Personal fields answer null, rather than an error, to callers who may not see them: another subgraph
// may show a customer to anyone (a tracking page), and one hidden name must not fail that whole answer.
// Root queries refuse such callers outright (services/customers.ts).
const visible = (customer: CustomerRow, ctx: CustomersContext) => mayRead(ctx, (viewer) => canSeePersonalData(viewer, customer));
const personal = <T>(customer: CustomerRow, ctx: CustomersContext, value: () => T): T | null =>
  visible(customer, ctx) ? value() : null;

export const Customer: CustomerResolvers = {
  __resolveReference: (reference, ctx) => ctx.loaders.customerById.load(reference.id),
  name: (customer, _, ctx) => personal(customer, ctx, () => customer.name),
  businessName: (customer, _, ctx) => personal(customer, ctx, () => customer.businessName),
  gstin: (customer, _, ctx) => personal(customer, ctx, () => customer.gstin),
  email: (customer, _, ctx) => personal(customer, ctx, () => customer.email),
  phone: (customer, _, ctx) => personal(customer, ctx, () => customer.phone),
  addresses: (customer, _, ctx) => personal(customer, ctx, () => ctx.loaders.addressesByCustomer.load(customer.id)),
  // Which partner a customer belongs to is part of the customer's record; the partner's own fields
  // are guarded again by the Partner resolvers.
  partner: (customer, _, ctx) =>
    customer.partnerId ? personal(customer, ctx, () => ctx.loaders.partnerById.load(customer.partnerId!)) : null,
  createdAt: (customer) => customer.createdAt.toISOString(),
};
