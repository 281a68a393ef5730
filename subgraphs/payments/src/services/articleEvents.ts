import { consumeIdempotently, type ConsumerHandle, type DomainEvent, type EventTransport } from '@dakgraph/events';
import { newId } from '@dakgraph/graphql-kit';
import { ARTICLE_EVENT_SOURCE, ARTICLE_EVENT_TYPE_BY_STATUS, ARTICLE_EVENT_VERSION, articleEventPayloadV1, type ArticleEventPayloadV1 } from '@dakgraph/internal-api';
import type { PaymentsPrisma, PaymentsTx } from '../db';
import { COUNTER_SENDERS, codCollectionEntries, gstOn, newPaymentReference, receivingAccount } from '../domain';
import { codCollectedEvent, recordPaymentEvents } from './events';
import { postTransactions } from './ledger';
import { refundCancelledBooking } from './payments';

/**
 * Payments' consumer of article events. It keeps what payments needs to know of articles (article_fact:
 * status, booking office, partner, when paid, when cancelled) for reconciliation and refunds, and acts on
 * three: a COD article delivered becomes a COD collection in the ledger (cash in the delivery office's till,
 * or UPI in the settlement account, owed to the partner) with cod.collected; a cancelled booking's captured
 * payment is refunded. Each event takes effect once (payments.processed_event), in one transaction.
 */

export const ARTICLE_CONSUMER = 'payments-articles';
export const ARTICLE_CONSUMER_EVENT_TYPES: readonly string[] = [
  ARTICLE_EVENT_TYPE_BY_STATUS.AWAITING_PAYMENT,
  ARTICLE_EVENT_TYPE_BY_STATUS.BOOKED,
  ARTICLE_EVENT_TYPE_BY_STATUS.CANCELLED,
  ARTICLE_EVENT_TYPE_BY_STATUS.DELIVERED,
];

export async function handleArticleEvent(tx: PaymentsTx, event: DomainEvent): Promise<void> {
  if (event.source !== ARTICLE_EVENT_SOURCE || !ARTICLE_CONSUMER_EVENT_TYPES.includes(event.type)) return;
  if (event.version !== ARTICLE_EVENT_VERSION) {
    throw new Error(`article event ${event.id} has payload version ${event.version}; this consumer reads version ${ARTICLE_EVENT_VERSION}`);
  }
  const parsed = articleEventPayloadV1.safeParse(event.payload);
  if (!parsed.success) throw new Error(`article event ${event.id} has a malformed payload (${parsed.error.issues[0]?.path.join('.') || 'payload'})`);
  const article = parsed.data;
  const at = new Date(event.occurredAt);
  await noteFact(tx, article, at);
  if (article.status === 'CANCELLED') await refundCancelledBooking(tx, article.articleNumber, at);
  if (article.status === 'DELIVERED' && article.cod) await collectCod(tx, article, at);
}

/**
 * One upsert: the latest status wins by sequence (an older event arriving late changes nothing but what
 * only it knows: that the article awaited payment, and its charge); paid and cancelled times are kept.
 */
async function noteFact(tx: PaymentsTx, article: ArticleEventPayloadV1, at: Date): Promise<void> {
  const eventType = article.event?.type ?? null;
  await tx.$executeRawUnsafe(
    `INSERT INTO payments.article_fact AS f (article_number, partner_id, office_id, status, sequence, awaited_payment, charge_paise, paid_at, cancelled_at, updated_at)
     VALUES ($1::bpchar, $2, $3, $4, $5, $6, $7, CASE WHEN $8 = 'PAYMENT_RECEIVED' THEN $9::timestamptz END,
             CASE WHEN $4 = 'CANCELLED' THEN $9::timestamptz END, now())
     ON CONFLICT (article_number) DO UPDATE SET
       status = CASE WHEN EXCLUDED.sequence >= f.sequence THEN EXCLUDED.status ELSE f.status END,
       sequence = greatest(f.sequence, EXCLUDED.sequence),
       office_id = coalesce(f.office_id, EXCLUDED.office_id),
       awaited_payment = f.awaited_payment OR EXCLUDED.awaited_payment,
       charge_paise = coalesce(f.charge_paise, EXCLUDED.charge_paise),
       paid_at = coalesce(f.paid_at, EXCLUDED.paid_at),
       cancelled_at = coalesce(f.cancelled_at, EXCLUDED.cancelled_at),
       updated_at = now()`,
    article.articleNumber,
    article.partnerId,
    article.bookingOfficeId ?? article.event?.office?.id ?? null,
    article.status,
    article.sequence,
    article.status === 'AWAITING_PAYMENT',
    article.chargePaise ?? null,
    eventType,
    at.toISOString(),
  );
}

/** The COD of a delivered article: a COD_COLLECTION payment, its collection row, the ledger, cod.collected. */
async function collectCod(tx: PaymentsTx, article: ArticleEventPayloadV1, at: Date): Promise<void> {
  const cod = article.cod!;
  const officeId = article.event?.office?.id ?? null;
  const paymentId = newId('pay');
  const method = cod.mode === 'CASH' ? 'CASH' : 'UPI_QR';
  // The article's primary key makes a second delivery of the same article (an offline sync rewriting
  // its timeline) collect nothing more.
  const inserted = await tx.$executeRawUnsafe(
    `INSERT INTO payments.cod_collection (article_number, payment_id, partner_id, office_id, amount_paise, fee_paise, fee_gst_paise, mode, collected_at)
     VALUES ($1::bpchar, $2, $3, $4, $5, $6, $7, $8, $9::timestamptz) ON CONFLICT (article_number) DO NOTHING`,
    article.articleNumber,
    paymentId,
    article.partnerId,
    officeId,
    cod.amountPaise,
    cod.feePaise,
    gstOn(cod.feePaise),
    cod.mode,
    at.toISOString(),
  );
  if (inserted === 0) return;
  await tx.payment.create({
    data: {
      id: paymentId,
      reference: newPaymentReference(at),
      purpose: 'COD_COLLECTION',
      method,
      status: 'PAID',
      articleNumber: article.articleNumber,
      amountPaise: cod.amountPaise,
      // COD is the partner's money, not a charge of the post office: no GST on it.
      taxablePaise: cod.amountPaise,
      gstPaise: 0,
      officeId,
      partnerId: article.partnerId,
      createdBy: 'service:payments',
      createdAt: at,
      paidAt: at,
      closedAt: at,
    },
  });
  await postTransactions(tx, [
    {
      kind: 'COD_COLLECTION',
      sourceKey: article.articleNumber,
      description: `COD of article ${article.articleNumber} collected in ${cod.mode === 'CASH' ? 'cash' : 'UPI'}`,
      occurredAt: at,
      articleNumber: article.articleNumber,
      paymentId,
      entries: codCollectionEntries(receivingAccount(cod.mode, officeId), article.partnerId ?? COUNTER_SENDERS, cod.amountPaise),
    },
  ]);
  await recordPaymentEvents(tx, [
    codCollectedEvent({
      articleNumber: article.articleNumber,
      paymentId,
      partnerId: article.partnerId,
      amountPaise: cod.amountPaise,
      mode: cod.mode,
      collectedAt: at.toISOString(),
      officeId,
    }),
  ]);
}

/** Starts the consumer; `recorded` is called after each event (it pokes the outbox relay). */
export function consumeArticleEvents(transport: EventTransport, prisma: PaymentsPrisma, recorded: () => void): Promise<ConsumerHandle> {
  return consumeIdempotently<PaymentsTx>(transport, {
    db: prisma,
    processedTable: 'payments.processed_event',
    consumer: ARTICLE_CONSUMER,
    types: ARTICLE_CONSUMER_EVENT_TYPES,
    handle: handleArticleEvent,
    afterEach: recorded,
    transaction: { maxWait: 30_000, timeout: 30_000 },
  });
}
