import type { CustomersTx } from '../db';
import { newId } from './ids';

/**
 * The articles events that become partner webhooks, and the consumer's effect: queueing one delivery per
 * subscribed endpoint of the article's partner. The dispatcher (webhookDispatcher.ts) sends them later,
 * outside any transaction.
 */

// TODO(issue 10): replace with `import type { DomainEvent } from '@dakgraph/events'` once that package
// lands; it has these very fields.
/** An event as the outbox relays it. */
export interface DomainEvent<Payload = unknown> {
  /** UUIDv7, unique per event: the `webhook-id` of every delivery made of it. */
  id: string;
  type: string;
  /** The subgraph that published it, e.g. 'articles'. */
  source: string;
  /** What it is about: for articles, the article number. */
  subject: string;
  sequence: number;
  /** ISO 8601. */
  occurredAt: string;
  /** The payload's version. */
  version: number;
  payload: Payload;
}

/** The articles subgraph's payload, version 1. */
export interface ArticleEventPayloadV1 {
  articleNumber: string;
  status: string;
  sequence: number;
  partnerId: string | null;
  event: {
    sequence: number;
    type: string;
    upuCode: string | null;
    description: string;
    occurredAt: string;
    office: { id: string } | null;
    nextOffice: { id: string } | null;
    reason: string | null;
    statusAfter: string;
  } | null;
}

/** The event types a partner may subscribe to, as the articles subgraph publishes them. */
export const WEBHOOK_EVENT_TYPES = [
  'article.awaiting_payment',
  'article.booked',
  'article.bagged',
  'article.in_transit',
  'article.at_delivery_office',
  'article.out_for_delivery',
  'article.delivery_attempted',
  'article.delivered',
  'article.returned',
  'article.return_delivered',
  'article.cancelled',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

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
 * for each enabled endpoint of the article's partner that subscribes to the type (an empty list
 * subscribes to all). One statement for all endpoints; the unique (endpoint_id, event_id) makes a
 * redelivered event add nothing. Events of other sources or types, and articles no partner booked, are
 * ignored. A malformed article event throws, so the consumer does not mark it processed.
 */
export async function handleArticleEvent(tx: CustomersTx, event: DomainEvent): Promise<void> {
  if (event.source !== 'articles' || !isWebhookEventType(event.type)) return;
  if (!UUID.test(event.id)) throw new Error(`article event ${JSON.stringify(event.id).slice(0, 60)} has no UUID id`);
  if (event.version !== 1) throw new Error(`article event ${event.id} has payload version ${event.version}; this consumer reads version 1`);
  const payload = articlePayloadV1(event.payload, event.id);
  if (payload.partnerId === null) return;
  const body = JSON.stringify(articleWebhookBody(event.type, event.occurredAt, payload));
  // Ids are made here (they carry their creation time); a partner has at most MAX_ENDPOINTS_PER_PARTNER
  // endpoints (createWebhookEndpoint counts them under a lock on the partner), so this many always suffice.
  const ids = Array.from({ length: MAX_ENDPOINTS_PER_PARTNER }, () => newId('whd'));
  await tx.$executeRaw`
    INSERT INTO customers.webhook_delivery (id, endpoint_id, event_id, event_type, body, next_attempt_at)
    SELECT (${ids}::text[])[row_number() OVER (ORDER BY e.id)], e.id, ${event.id}::uuid, ${event.type}, ${body}::jsonb, now()
      FROM customers.webhook_endpoint e
     WHERE e.partner_id = ${payload.partnerId} AND e.enabled
       AND (coalesce(cardinality(e.event_types), 0) = 0 OR ${event.type} = ANY (e.event_types))
    ON CONFLICT (endpoint_id, event_id) DO NOTHING`;
}

/** The payload checked field by field: it crosses a process boundary, so its type is a claim to verify. */
function articlePayloadV1(payload: unknown, eventId: string): ArticleEventPayloadV1 {
  const fault = (field: string): never => {
    throw new Error(`article event ${eventId} has a malformed payload (${field})`);
  };
  const record = (value: unknown, field: string): Record<string, unknown> =>
    value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : fault(field);
  const string = (value: unknown, field: string): string => (typeof value === 'string' ? value : fault(field));
  const nullableString = (value: unknown, field: string): string | null => (value === null || value === undefined ? null : string(value, field));
  const integer = (value: unknown, field: string): number => (Number.isInteger(value) ? (value as number) : fault(field));
  const office = (value: unknown, field: string): { id: string } | null =>
    value === null || value === undefined ? null : { id: string(record(value, field).id, `${field}.id`) };

  const p = record(payload, 'payload');
  const event = p.event === null || p.event === undefined ? null : record(p.event, 'event');
  return {
    articleNumber: string(p.articleNumber, 'articleNumber'),
    status: string(p.status, 'status'),
    sequence: integer(p.sequence, 'sequence'),
    partnerId: nullableString(p.partnerId, 'partnerId'),
    event: event && {
      sequence: integer(event.sequence, 'event.sequence'),
      type: string(event.type, 'event.type'),
      upuCode: nullableString(event.upuCode, 'event.upuCode'),
      description: string(event.description, 'event.description'),
      occurredAt: string(event.occurredAt, 'event.occurredAt'),
      office: office(event.office, 'event.office'),
      nextOffice: office(event.nextOffice, 'event.nextOffice'),
      reason: nullableString(event.reason, 'event.reason'),
      statusAfter: string(event.statusAfter, 'event.statusAfter'),
    },
  };
}
