import { newEventId, recordEvents, type DomainEvent } from '@dakgraph/events';
import {
  PAYMENT_EVENT_SOURCE,
  PAYMENT_EVENT_TYPES,
  PAYMENT_EVENT_VERSION,
  type CodCollectedPayloadV1,
  type CodRemittedPayloadV1,
  type PaymentEventPayloadV1,
} from '@dakgraph/internal-api';
import type { PaymentRow, PaymentsTx, RemittanceRow } from '../db';

/** The payments subgraph's outbox (prisma/migrations/payments/0001_payments.sql). */
export const OUTBOX_TABLE = 'payments.outbox_event';

type PaymentEventType = (typeof PAYMENT_EVENT_TYPES)[keyof typeof PAYMENT_EVENT_TYPES];

/** The order of one payment's events (a payment's subject is its id): captured or failed or expired, then refunded. */
const SEQUENCE: Record<PaymentEventType, number> = {
  'payment.captured': 1,
  'payment.failed': 1,
  'payment.expired': 1,
  'payment.refunded': 2,
  'cod.collected': 1,
  'cod.remitted': 1,
};

function event<Payload>(type: PaymentEventType, subject: string, occurredAt: Date, payload: Payload): DomainEvent<Payload> {
  return {
    id: newEventId(),
    type,
    source: PAYMENT_EVENT_SOURCE,
    subject,
    sequence: SEQUENCE[type],
    occurredAt: occurredAt.toISOString(),
    version: PAYMENT_EVENT_VERSION,
    payload,
  };
}

/** payment.captured, payment.failed, payment.expired or payment.refunded, of the payment as it now is. */
export function paymentEvent(type: PaymentEventType, payment: PaymentRow, occurredAt: Date, reason: string | null = null): DomainEvent<PaymentEventPayloadV1> {
  return event(type, payment.id, occurredAt, {
    paymentId: payment.id,
    reference: payment.reference,
    purpose: payment.purpose,
    method: payment.method,
    status: payment.status,
    articleNumber: payment.articleNumber,
    amountPaise: payment.amountPaise,
    partnerId: payment.partnerId,
    providerTransactionId: payment.providerTransactionId,
    reason,
  });
}

export function codCollectedEvent(payload: CodCollectedPayloadV1): DomainEvent<CodCollectedPayloadV1> {
  return event('cod.collected', payload.articleNumber, new Date(payload.collectedAt), payload);
}

export function codRemittedEvent(remittance: RemittanceRow, byOffice: CodRemittedPayloadV1['byOffice']): DomainEvent<CodRemittedPayloadV1> {
  return event('cod.remitted', remittance.id, remittance.paidAt ?? new Date(), {
    remittanceId: remittance.id,
    partnerId: remittance.partnerId,
    articleCount: remittance.articleCount,
    grossPaise: Number(remittance.grossPaise),
    feesPaise: Number(remittance.feesPaise),
    feeGstPaise: Number(remittance.feeGstPaise),
    netPaise: Number(remittance.netPaise),
    bankReference: remittance.bankReference ?? '',
    periodEnd: remittance.periodEnd.toISOString(),
    byOffice,
  });
}

/** Records events in the outbox, in the caller's transaction (the relay publishes them after commit). */
export async function recordPaymentEvents(tx: PaymentsTx, events: readonly DomainEvent[]): Promise<void> {
  if (events.length) await recordEvents(tx, OUTBOX_TABLE, events);
}
