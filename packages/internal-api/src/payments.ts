import { defineInternalRoute } from '@dakgraph/graphql-kit';
import { z } from 'zod';

/**
 * The contract between payments and the rest of the graph: the internal route payments reads an
 * article's charge from (articles owns articles), and the domain events payments writes (articles
 * books on payment.captured and cancels on payment.expired; customers turns the partner-facing ones
 * into webhooks). An incompatible change gets a new payload version.
 */

/** What payments needs to ask for an article's booking charge, as articles knows the article. */
export const articlePaymentFacts = z.object({
  articleNumber: z.string(),
  status: z.string(),
  bookedAt: z.string(),
  bookingOfficeId: z.string(),
  bookingDivisionId: z.string().nullable(),
  partnerId: z.string().nullable(),
  senderCustomerId: z.string().nullable(),
  /** CASH, ACCOUNT or LATER. */
  paymentMode: z.string(),
  /** PAID, ON_ACCOUNT or PENDING. */
  paymentStatus: z.string(),
  product: z.string(),
  taxablePaise: z.int().nonnegative(),
  gstPaise: z.int().nonnegative(),
  totalPaise: z.int().nonnegative(),
  /** After this the articles subgraph cancels the booking unpaid (UNPAID_BOOKING_HOURS): no payment may run past it. */
  payableUntil: z.string(),
});
export type ArticlePaymentFacts = z.output<typeof articlePaymentFacts>;

/** Payments reads an article's charge and who may pay it; 404 for a number no article has. */
export const articlePaymentFactsRoute = defineInternalRoute({
  path: '/internal/articles/payment-facts',
  requestForm: '{"articleNumber": "<S10 number>"}',
  request: z.object({ articleNumber: z.string().length(13) }),
  responses: {
    200: articlePaymentFacts,
    404: z.object({ error: z.string() }),
  },
});

export const PAYMENT_EVENT_SOURCE = 'payments';
export const PAYMENT_EVENT_VERSION = 1;

export const PAYMENT_EVENT_TYPES = {
  CAPTURED: 'payment.captured',
  FAILED: 'payment.failed',
  EXPIRED: 'payment.expired',
  REFUNDED: 'payment.refunded',
  COD_COLLECTED: 'cod.collected',
  COD_REMITTED: 'cod.remitted',
} as const;

/** The payment events a partner may subscribe to (for its own articles): the others are internal. */
export const PARTNER_PAYMENT_EVENT_TYPES = [
  PAYMENT_EVENT_TYPES.CAPTURED,
  PAYMENT_EVENT_TYPES.FAILED,
  PAYMENT_EVENT_TYPES.COD_COLLECTED,
  PAYMENT_EVENT_TYPES.COD_REMITTED,
] as const;
export type PartnerPaymentEventType = (typeof PARTNER_PAYMENT_EVENT_TYPES)[number];

/** payment.captured, payment.failed, payment.expired, payment.refunded: one payment's news. */
export const paymentEventPayloadV1 = z.object({
  paymentId: z.string(),
  reference: z.string(),
  /** BOOKING, COD_COLLECTION or REFUND. */
  purpose: z.string(),
  /** UPI_QR or CASH. */
  method: z.string(),
  status: z.string(),
  articleNumber: z.string(),
  amountPaise: z.int(),
  /** The partner that booked the article (routes webhooks); never shown to anyone else. */
  partnerId: z.string().nullable(),
  providerTransactionId: z.string().nullable(),
  /** Why it failed or expired; null otherwise. */
  reason: z.string().nullable(),
});
export type PaymentEventPayloadV1 = z.infer<typeof paymentEventPayloadV1>;

/** cod.collected: the postman collected an article's COD (the ledger now owes it to the partner). */
export const codCollectedPayloadV1 = z.object({
  articleNumber: z.string(),
  paymentId: z.string(),
  partnerId: z.string().nullable(),
  amountPaise: z.int(),
  /** CASH or UPI. */
  mode: z.string(),
  collectedAt: z.string(),
  /** The delivery office whose postman collected it (an optional addition, still version 1; analytics counts by it). */
  officeId: z.string().nullable().optional(),
});
export type CodCollectedPayloadV1 = z.infer<typeof codCollectedPayloadV1>;

/** cod.remitted: a remittance was paid to the partner's bank. */
export const codRemittedPayloadV1 = z.object({
  remittanceId: z.string(),
  partnerId: z.string(),
  articleCount: z.int(),
  grossPaise: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  feesPaise: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  feeGstPaise: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  netPaise: z.number().int().max(Number.MAX_SAFE_INTEGER),
  bankReference: z.string(),
  periodEnd: z.string(),
  /**
   * The COD remitted, by the delivery office that collected it (an optional addition, still version 1):
   * analytics counts remitted COD at the offices that collected it. Collections of no known office are left out.
   */
  byOffice: z
    .array(z.object({ officeId: z.string(), articleCount: z.int().positive(), amountPaise: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER) }))
    .optional(),
});
export type CodRemittedPayloadV1 = z.infer<typeof codRemittedPayloadV1>;
