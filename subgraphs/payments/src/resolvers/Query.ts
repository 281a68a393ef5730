import { enforce } from '@dakgraph/graphql-kit';
import { canReadLedger, canSeePayment } from '../access';
import type { QueryResolvers } from '../__generated__/resolvers-types';
import { ledgerView } from '../services/ledger';
import { reconciliation } from '../services/reconciliation';

export const Query: QueryResolvers = {
  payment: async (_, { id }, ctx) => {
    const payment = id.length <= 64 ? await ctx.loaders.payment.load(id) : null;
    return payment && canSeePayment(ctx.viewer, payment) ? payment : null;
  },
  paymentByReference: async (_, { reference }, ctx) => {
    const payment = reference.length <= 64 ? await ctx.loaders.paymentByReference.load(reference.trim().toUpperCase()) : null;
    return payment && canSeePayment(ctx.viewer, payment) ? payment : null;
  },
  // Public: what the QR code itself shows (amount, status, link); the resolvers of PaymentRequest show nothing else.
  paymentRequest: async (_, { reference }, ctx) => {
    const payment = reference.length <= 64 ? await ctx.loaders.paymentByReference.load(reference.trim().toUpperCase()) : null;
    return payment && payment.purpose === 'BOOKING' ? payment : null;
  },
  reconciliation: (_, args, ctx) => reconciliation(ctx, args),
  ledger: (_, { kind }, ctx) => {
    enforce(canReadLedger(ctx.viewer));
    return ledgerView(ctx.prisma, kind);
  },
};
