import type { DomainEvent } from '@dakgraph/events';
import {
  ARTICLE_EVENT_SOURCE,
  ARTICLE_EVENT_TYPES,
  ARTICLE_EVENT_VERSION,
  articleEventPayloadV1,
  codCollectedPayloadV1,
  codRemittedPayloadV1,
  PARTNER_PAYMENT_EVENT_TYPES,
  PAYMENT_EVENT_SOURCE,
  PAYMENT_EVENT_TYPES,
  PAYMENT_EVENT_VERSION,
  paymentEventPayloadV1,
  type ArticleEventPayloadV1,
  type ArticleEventType,
  type PartnerPaymentEventType,
} from '@dakgraph/internal-api';
import type { z } from 'zod';
import type { CustomersTx } from '../db';
import { newId } from './ids';

/**
 * The articles events that become partner webhooks, and the consumer's effect: queueing one delivery per
 * subscribed endpoint of the article's partner. The dispatcher (webhookDispatcher.ts) sends them later,
 * outside any transaction.
 */

export type { ArticleEventPayloadV1, DomainEvent };

/**
 * The event types a partner may subscribe to: every article event, and the payments subgraph's news of
 * its own articles' money (payment.captured, payment.failed, cod.collected, cod.remitted); the contracts
 * are in @dakgraph/internal-api.
 */
export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = [...ARTICLE_EVENT_TYPES, ...PARTNER_PAYMENT_EVENT_TYPES];

export type WebhookEventType = ArticleEventType | PartnerPaymentEventType;

export const isWebhookEventType = (type: string): type is WebhookEventType => (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type);

/** The type of the deliveries sendTestWebhook makes (no subscription selects or refuses it). */
export const TEST_EVENT_TYPE = 'webhook.test';

/** At most this many endpoints per partner (a CONFLICT beyond), which also bounds one event's deliveries. */
export const MAX_ENDPOINTS_PER_PARTNER = 10;

/** What a partner receives: the article's new state and the tracking event behind it. */
export interface WebhookBody {
  type: string;
  /** When it happened (the event's occurredAt), ISO 8601. */
  timestamp: string;
  data: Record<string, unknown>;
}

/**
 * The body of an article event's webhook. Fields are picked one by one rather than spread, so that a field
 * articles adds to its payload later (a recipient's name, say) never reaches a partner unreviewed; the
 * partner id is left out (the receiver knows who it is).
 */
export function articleWebhookBody(type: WebhookEventType, occurredAt: string, payload: ArticleEventPayloadV1): WebhookBody {
  const event = payload.event;
  return {
    type,
    timestamp: occurredAt,
    data: {
      articleNumber: payload.articleNumber,
      status: payload.status,
      sequence: payload.sequence,
      event: event && {
        sequence: event.sequence,
        type: event.type,
        upuCode: event.upuCode,
        description: event.description,
        occurredAt: event.occurredAt,
        office: event.office && { id: event.office.id },
        nextOffice: event.nextOffice && { id: event.nextOffice.id },
        reason: event.reason,
        statusAfter: event.statusAfter,
      },
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The consumer's effect for one event, inside the consumer's transaction: one PENDING delivery, due now,
 * for each enabled endpoint of the partner (an article event's, or a payment event's) that subscribes to the type (an empty list
 * subscribes to all). One statement for all endpoints; the unique (endpoint_id, event_id) makes a
 * redelivered event add nothing. Events of other sources or types, and articles no partner booked, are
 * ignored. A malformed article event throws, so the consumer does not mark it processed.
 */
export async function handleArticleEvent(tx: CustomersTx, event: DomainEvent): Promise<void> {
  let partnerId: string | null;
  let body: string;
  if (event.source === ARTICLE_EVENT_SOURCE && (ARTICLE_EVENT_TYPES as readonly string[]).includes(event.type)) {
    checkEnvelope(event, 'article', ARTICLE_EVENT_VERSION);
    const payload = parsed(articleEventPayloadV1, event, 'article');
    partnerId = payload.partnerId;
    body = JSON.stringify(articleWebhookBody(event.type as ArticleEventType, event.occurredAt, payload));
  } else if (event.source === PAYMENT_EVENT_SOURCE && (PARTNER_PAYMENT_EVENT_TYPES as readonly string[]).includes(event.type)) {
    checkEnvelope(event, 'payment', PAYMENT_EVENT_VERSION);
    const webhook = paymentWebhookBody(event);
    partnerId = webhook.partnerId;
    body = JSON.stringify(webhook.body);
  } else {
    return;
  }
  if (partnerId === null) return;
  await queueDeliveries(tx, event, partnerId, body);
}

function checkEnvelope(event: DomainEvent, what: string, version: number): void {
  if (!UUID.test(event.id)) throw new Error(`${what} event ${JSON.stringify(event.id).slice(0, 60)} has no UUID id`);
  if (event.version !== version) throw new Error(`${what} event ${event.id} has payload version ${event.version}; this consumer reads version ${version}`);
}

/**
 * The body of a payment event's webhook, fields picked one by one as for articles: no payer VPA (personal
 * data of the addressee), no partner id.
 */
function paymentWebhookBody(event: DomainEvent): { partnerId: string | null; body: WebhookBody } {
  const wrap = (data: Record<string, unknown>): WebhookBody => ({ type: event.type, timestamp: event.occurredAt, data });
  if (event.type === PAYMENT_EVENT_TYPES.COD_COLLECTED) {
    const p = parsed(codCollectedPayloadV1, event, 'payment');
    return { partnerId: p.partnerId, body: wrap({ articleNumber: p.articleNumber, paymentId: p.paymentId, amountPaise: p.amountPaise, mode: p.mode, collectedAt: p.collectedAt }) };
  }
  if (event.type === PAYMENT_EVENT_TYPES.COD_REMITTED) {
    const p = parsed(codRemittedPayloadV1, event, 'payment');
    return {
      partnerId: p.partnerId,
      body: wrap({
        remittanceId: p.remittanceId,
        articleCount: p.articleCount,
        grossPaise: p.grossPaise,
        feesPaise: p.feesPaise,
        feeGstPaise: p.feeGstPaise,
        netPaise: p.netPaise,
        bankReference: p.bankReference,
        periodEnd: p.periodEnd,
      }),
    };
  }
  const p = parsed(paymentEventPayloadV1, event, 'payment');
  return {
    partnerId: p.partnerId,
    body: wrap({
      paymentId: p.paymentId,
      reference: p.reference,
      purpose: p.purpose,
      method: p.method,
      status: p.status,
      articleNumber: p.articleNumber,
      amountPaise: p.amountPaise,
      providerTransactionId: p.providerTransactionId,
      reason: p.reason,
    }),
  };
}

/** The payload checked against the shared contract: it crosses a process boundary, so its type is a claim to verify. */
function parsed<Schema extends z.ZodType>(schema: Schema, event: DomainEvent, what: string): z.output<Schema> {
  const result = schema.safeParse(event.payload);
  if (!result.success) throw new Error(`${what} event ${event.id} has a malformed payload (${result.error.issues[0]?.path.join('.') || 'payload'})`);
  return result.data;
}

/** One PENDING delivery per subscribed endpoint of the partner, in one statement. */
async function queueDeliveries(tx: CustomersTx, event: DomainEvent, partnerId: string, body: string): Promise<void> {
  // Ids are made here (they carry their creation time); a partner has at most MAX_ENDPOINTS_PER_PARTNER
  // endpoints (createWebhookEndpoint counts them under a lock on the partner), so this many always suffice.
  const ids = Array.from({ length: MAX_ENDPOINTS_PER_PARTNER }, () => newId('whd'));
  await tx.$executeRaw`
    INSERT INTO customers.webhook_delivery (id, endpoint_id, event_id, event_type, body, next_attempt_at)
    SELECT (${ids}::text[])[row_number() OVER (ORDER BY e.id)], e.id, ${event.id}::uuid, ${event.type}, ${body}::jsonb, now()
      FROM customers.webhook_endpoint e
     WHERE e.partner_id = ${partnerId} AND e.enabled
       AND (coalesce(cardinality(e.event_types), 0) = 0 OR ${event.type} = ANY (e.event_types))
    ON CONFLICT (endpoint_id, event_id) DO NOTHING`;
}
