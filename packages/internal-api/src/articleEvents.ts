import { z } from 'zod';

/**
 * The contract of the articles subgraph's domain events, shared like the internal routes: articles
 * writes them, every consumer (partner webhooks in customers, later payments and analytics) reads them,
 * and neither may drift from this file. An incompatible change gets a new payload version.
 */

/** The event type of each status an article can reach; an article returned to its sender is "article.returned". */
export const ARTICLE_EVENT_TYPE_BY_STATUS = {
  AWAITING_PAYMENT: 'article.awaiting_payment',
  BOOKED: 'article.booked',
  BAGGED: 'article.bagged',
  IN_TRANSIT: 'article.in_transit',
  AT_DELIVERY_OFFICE: 'article.at_delivery_office',
  OUT_FOR_DELIVERY: 'article.out_for_delivery',
  DELIVERY_ATTEMPTED: 'article.delivery_attempted',
  DELIVERED: 'article.delivered',
  RETURNED_TO_SENDER: 'article.returned',
  RETURN_DELIVERED: 'article.return_delivered',
  CANCELLED: 'article.cancelled',
} as const;

export type ArticleEventStatus = keyof typeof ARTICLE_EVENT_TYPE_BY_STATUS;
export type ArticleEventType = (typeof ARTICLE_EVENT_TYPE_BY_STATUS)[ArticleEventStatus];

/** Every article event type, in the order an article meets them. */
export const ARTICLE_EVENT_TYPES = Object.values(ARTICLE_EVENT_TYPE_BY_STATUS) as readonly ArticleEventType[];

export const ARTICLE_EVENT_SOURCE = 'articles';
export const ARTICLE_EVENT_VERSION = 1;

const officeRef = z.object({ id: z.string() }).nullable();

/** An article's booking as events carry it: facts fixed at booking, so the same on every event. */
export const articleBookingFactsV1 = z.object({
  /** The Product enum value, e.g. "SPEED_POST_PARCEL". */
  product: z.string(),
  /** The counter's office, or for a partner booking the office standing for the pickup pincode. */
  officeId: z.string(),
  /** The IST day it is due, YYYY-MM-DD. */
  expectedDeliveryDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** The charge excluding GST, and the GST on it, in paise. */
  taxablePaise: z.number().int().nonnegative(),
  gstPaise: z.number().int().nonnegative(),
});

export type ArticleBookingFactsV1 = z.infer<typeof articleBookingFactsV1>;

/** Version 1 of an article event's payload; consumers parse with it, since the payload crosses a process boundary. */
export const articleEventPayloadV1 = z.object({
  articleNumber: z.string(),
  status: z.enum(Object.keys(ARTICLE_EVENT_TYPE_BY_STATUS) as [ArticleEventStatus, ...ArticleEventStatus[]]),
  sequence: z.number().int().nonnegative(),
  /** The partner that booked the article (routes its webhooks); never shown to anyone else. */
  partnerId: z.string().nullable(),
  /** The tracking event as the graph shows it (public facts, no personal data); null while awaiting payment. */
  event: z
    .object({
      sequence: z.number().int().positive(),
      type: z.string(),
      upuCode: z.string().nullable(),
      description: z.string(),
      occurredAt: z.string(),
      office: officeRef,
      nextOffice: officeRef,
      reason: z.string().nullable(),
      statusAfter: z.string(),
    })
    .nullable(),
  /**
   * On article.delivered of a cash-on-delivery article: what the postman collected and the article's COD
   * fee (excluding GST), for the payments ledger. Absent on other events and on events written before it
   * existed (an optional addition, so still version 1).
   */
  /** On article.awaiting_payment: the charge to be paid, in paise (an optional addition, still version 1). */
  chargePaise: z.number().int().nonnegative().optional(),
  /** On article.awaiting_payment: the office it was booked at (its tracking event, which would say, is yet to come). */
  bookingOfficeId: z.string().optional(),
  cod: z
    .object({
      amountPaise: z.number().int().positive(),
      mode: z.enum(['CASH', 'UPI']),
      feePaise: z.number().int().nonnegative(),
    })
    .nullable()
    .optional(),
  /**
   * What the article was booked as, on every event (an optional addition, still version 1): analytics
   * counts a booking by product and its revenue at the booking office, and a delivery against the
   * expected date, from the event alone. Absent on events written before it existed.
   */
  booking: articleBookingFactsV1.optional(),
});

export type ArticleEventPayloadV1 = z.infer<typeof articleEventPayloadV1>;

/**
 * An OTP was texted again outside an out-for-delivery milestone: a supervisor issued a new one
 * (REISSUED) or someone asked for the current one again (RESENT). Internal: it is not an article
 * event (not in ARTICLE_EVENT_TYPES), so partners can never subscribe to it, and it carries no OTP,
 * only which issue to derive it from, so the outbox and the stream stay free of OTPs.
 */
export const DELIVERY_OTP_SENT_EVENT_TYPE = 'article.delivery_otp_sent';
export const DELIVERY_OTP_SENT_VERSION = 1;

export const deliveryOtpSentPayloadV1 = z.object({
  articleNumber: z.string(),
  /** The delivery assignment (article_number, attempt) whose current nonce the OTP is derived from. */
  attempt: z.number().int().positive(),
  why: z.enum(['REISSUED', 'RESENT']),
});

export type DeliveryOtpSentPayloadV1 = z.infer<typeof deliveryOtpSentPayloadV1>;

/** Events of the articles source that only articles' own consumers read (notifications). */
export const INTERNAL_ARTICLE_EVENT_TYPES = [DELIVERY_OTP_SENT_EVENT_TYPE] as const;
