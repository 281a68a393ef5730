import type { PaymentRequestResolvers, PaymentResolvers, UpiPaymentRequestResolvers } from '../__generated__/resolvers-types';
import { canSeePayment } from '../access';
import { qrPngBase64, qrSvg } from '../domain';
import { officeReference } from '../services/references';

const iso = (at: Date | null) => (at ? at.toISOString() : null);
const visible = <T extends { partnerId: string | null; createdBy: string }>(payment: T | null, ctx: Parameters<typeof canSeePayment>[0]) =>
  payment && canSeePayment(ctx, payment) ? payment : null;

export const Payment: PaymentResolvers = {
  // An entity reference from another subgraph carries only the id: the same visibility as Query.payment.
  __resolveReference: async (reference, ctx) => visible(await ctx.loaders.payment.load(reference.id), ctx.viewer),
  article: (payment) => ({ articleNumber: payment.articleNumber }),
  upi: (payment) => (payment.upiLink ? { deepLink: payment.upiLink } : null),
  office: (payment) => officeReference(payment.officeId),
  createdAt: (payment) => payment.createdAt.toISOString(),
  expiresAt: (payment) => iso(payment.expiresAt),
  paidAt: (payment) => iso(payment.paidAt),
  refundOf: async (payment, _, ctx) => (payment.refundOf ? visible(await ctx.loaders.payment.load(payment.refundOf), ctx.viewer) : null),
  refund: async (payment, _, ctx) => visible(await ctx.loaders.refundOf.load(payment.id), ctx.viewer),
};

export const PaymentRequest: PaymentRequestResolvers = {
  expiresAt: (payment) => iso(payment.expiresAt),
  upi: (payment) => (payment.upiLink ? { deepLink: payment.upiLink } : null),
};

/** The QR codes are drawn only when asked for (a few milliseconds each), from the stored link. */
export const UpiPaymentRequest: UpiPaymentRequestResolvers = {
  qrSvg: (request) => qrSvg(request.deepLink),
  qrPngBase64: (request) => qrPngBase64(request.deepLink),
};
