import type { ReconciliationItemResolvers } from '../__generated__/resolvers-types';

export const ReconciliationItem: ReconciliationItemResolvers = {
  // Reconciliation is for staff who may see every payment.
  payment: (line, _, ctx) => (line.paymentId ? ctx.loaders.payment.load(line.paymentId) : null),
};
