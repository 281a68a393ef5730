import type { MutationResolvers } from '../__generated__/resolvers-types';
import { createPayment } from '../services/payments';
import { createRemittance, markRemittancePaid } from '../services/remittances';

export const Mutation: MutationResolvers = {
  createPayment: (_, { input, idempotencyKey }, ctx) => createPayment(ctx, input, idempotencyKey),
  createRemittance: (_, { partnerId, periodEnd, idempotencyKey }, ctx) => createRemittance(ctx, partnerId, periodEnd, idempotencyKey),
  markRemittancePaid: (_, { remittanceId, bankReference, idempotencyKey }, ctx) => markRemittancePaid(ctx, remittanceId, bankReference, idempotencyKey),
};
