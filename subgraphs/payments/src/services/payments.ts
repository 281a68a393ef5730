import { apiError, badInput, conflict, enforce, newId, notFound, type HousekeepingTask } from '@dakgraph/graphql-kit';
import { S10Error, parse } from '@dakgraph/s10';
import { canAskForPayments, canCreatePayment, principalOf } from '../access';
import type { PaymentsContext, PaymentsDependencies } from '../context';
import type { PaymentMethod, PaymentRow, PaymentsPrisma, PaymentsTx } from '../db';
import { bookingPaymentEntries, newPaymentReference, receivingAccount, refundEntries, upiDeepLink } from '../domain';
import type { ArticlePaymentFacts } from './articleFacts';
import { paymentEvent, recordPaymentEvents } from './events';
import { postTransactions } from './ledger';

/**
 * Payments of bookings: asking for one (UPI QR, or cash at the counter), capturing it when the provider
 * confirms, refunding it when the booking is cancelled, and expiring what was not paid in time. Every
 * change of a payment's status is one transaction with its ledger transaction and its domain event.
 */

/** The canonical form of an article number, or BAD_USER_INPUT on `field`. */
export function parseArticleNumber(input: string, field: string): string {
  try {
    return parse(input).articleNumber;
  } catch (error) {
    if (error instanceof S10Error) throw badInput(error.message, field);
    throw error;
  }
}

/** The note a payer's UPI app shows (UPI's `tn`, at most 50 characters). */
const noteFor = (articleNumber: string) => `India Post postage ${articleNumber}`;

const PAYMENT_LOCK = `SELECT id FROM payments.payment WHERE id = $1 FOR UPDATE`;

/** Locks a payment row and reads it; null when there is none. */
export async function lockPayment(tx: PaymentsTx, id: string): Promise<PaymentRow | null> {
  const locked = await tx.$queryRawUnsafe<{ id: string }[]>(PAYMENT_LOCK, id);
  return locked.length ? tx.payment.findUnique({ where: { id } }) : null;
}

/** A UPI request open for less than this is not worth showing: the payer could not finish in time. */
const MIN_PAYABLE_MS = 2 * 60_000;

interface CreatedPayment {
  paymentId: string;
}

/** `Mutation.createPayment`. */
export async function createPayment(
  ctx: PaymentsContext,
  input: { articleNumber: string; method: PaymentMethod },
  idempotencyKey: string,
): Promise<PaymentRow> {
  enforce(canAskForPayments(ctx.viewer));
  const articleNumber = parseArticleNumber(input.articleNumber, 'input.articleNumber');
  const method = input.method;
  const claim = ctx.idempotency.claim(ctx.viewer, idempotencyKey, 'createPayment', { articleNumber, method });
  return ctx.idempotency.run<ArticlePaymentFacts, CreatedPayment, PaymentRow>(claim, {
    prepare: async () => {
      const facts = await ctx.deps.articles.factsOf(articleNumber);
      if (!facts) throw notFound(`No article has the number ${articleNumber}`);
      enforce(canCreatePayment(ctx.viewer, facts, method));
      if (facts.status !== 'AWAITING_PAYMENT') {
        throw conflict(`Article ${articleNumber} is ${facts.status}; only a booking awaiting payment (paid LATER) is paid here`);
      }
      if (facts.totalPaise <= 0) throw conflict(`Article ${articleNumber} has nothing to pay`);
      // A UPI request must lapse (with its grace for late callbacks) before articles cancels the booking unpaid.
      if (method === 'UPI_QR' && Date.parse(facts.payableUntil) - ctx.deps.callbackGraceMs - ctx.deps.now().getTime() < MIN_PAYABLE_MS) {
        throw conflict(`Article ${articleNumber} can no longer be paid by UPI: its booking is cancelled unpaid at ${facts.payableUntil}; pay in cash at the counter, or book it again`);
      }
      return facts;
    },
    write: async (tx, facts) => {
      const now = ctx.deps.now();
      const others = await tx.$queryRawUnsafe<{ id: string; status: string; expiresAt: Date | null }[]>(
        `SELECT id, status::text AS status, expires_at AS "expiresAt" FROM payments.payment
          WHERE article_number = $1::bpchar AND purpose = 'BOOKING' AND status IN ('CREATED', 'PAID') ORDER BY created_at FOR UPDATE`,
        articleNumber,
      );
      const paid = others.find((p) => p.status === 'PAID');
      if (paid) throw apiError('CONFLICT', `Article ${articleNumber} is already paid (payment ${paid.id}); it will show as BOOKED shortly`, { paymentId: paid.id });
      const open = others.find((p) => p.status === 'CREATED');
      if (open) {
        if (method !== 'CASH') {
          throw apiError(
            'CONFLICT',
            `Payment ${open.id} of article ${articleNumber} is open until ${open.expiresAt ? new Date(open.expiresAt).toISOString() : 'it is paid'}: pay that one (its QR code still works), or pay in cash at the counter`,
            { paymentId: open.id },
          );
        }
        // Cash at the counter replaces the UPI request the customer did not pay; a UPI payment that still
        // arrives for it is captured and, the booking being paid, refunded (capture below).
        await tx.$executeRawUnsafe(
          `UPDATE payments.payment SET status = 'EXPIRED', closed_at = $2::timestamptz, failure_reason = 'Replaced by a cash payment at the counter' WHERE id = $1`,
          open.id,
          now.toISOString(),
        );
      }
      const id = newId('pay');
      const reference = newPaymentReference(now);
      const upi = method === 'UPI_QR';
      const created = await tx.payment.create({
        data: {
          id,
          reference,
          purpose: 'BOOKING',
          method,
          status: 'CREATED',
          articleNumber,
          amountPaise: facts.totalPaise,
          taxablePaise: facts.taxablePaise,
          gstPaise: facts.gstPaise,
          // Cash goes into the till of the counter that took it; a UPI payment belongs to the booking office.
          officeId: upi ? facts.bookingOfficeId : ctx.viewer.officeId,
          partnerId: facts.partnerId,
          createdBy: principalOf(ctx.viewer),
          upiLink: upi
            ? upiDeepLink({ payee: ctx.deps.payee, amountPaise: facts.totalPaise, reference, note: noteFor(articleNumber) })
            : null,
          createdAt: now,
          expiresAt: upi ? new Date(Math.min(now.getTime() + ctx.deps.paymentExpiryMs, Date.parse(facts.payableUntil) - ctx.deps.callbackGraceMs)) : null,
        },
      });
      if (!upi) await capture(tx, created, { providerTransactionId: null, payerVpa: null }, now);
      return { paymentId: id };
    },
    answer: async ({ paymentId }, replayed) => {
      if (!replayed) ctx.deps.eventsRecorded();
      const payment = await ctx.loaders.payment.load(paymentId);
      if (!payment) throw new Error(`payment ${paymentId} vanished after it was created`);
      return payment;
    },
  });
}

/**
 * Marks a locked booking payment PAID with its ledger transaction and payment.captured (articles then
 * books the article). Money received is a fact, whatever the payment's status was: a payment that arrives
 * for a booking that was cancelled, or that another payment already paid, is captured and refunded at once.
 */
export async function capture(
  tx: PaymentsTx,
  payment: PaymentRow,
  details: { providerTransactionId: string | null; payerVpa: string | null },
  at: Date,
): Promise<PaymentRow> {
  const paid = await tx.payment.update({
    where: { id: payment.id },
    data: { status: 'PAID', paidAt: at, closedAt: at, providerTransactionId: details.providerTransactionId, payerVpa: details.payerVpa },
  });
  await postTransactions(tx, [
    {
      kind: 'BOOKING_PAYMENT',
      sourceKey: paid.id,
      description: `${paid.method === 'CASH' ? 'Cash' : 'UPI'} payment ${paid.reference} for article ${paid.articleNumber}`,
      occurredAt: at,
      articleNumber: paid.articleNumber,
      paymentId: paid.id,
      entries: bookingPaymentEntries(receivingAccount(paid.method, paid.officeId), paid.taxablePaise, paid.gstPaise),
    },
  ]);
  await recordPaymentEvents(tx, [paymentEvent('payment.captured', paid, at)]);
  const [standing] = await tx.$queryRawUnsafe<{ cancelled: boolean; otherPaid: string | null }[]>(
    `SELECT EXISTS (SELECT 1 FROM payments.article_fact WHERE article_number = $1::bpchar AND status = 'CANCELLED') AS cancelled,
            (SELECT id FROM payments.payment WHERE article_number = $1::bpchar AND purpose = 'BOOKING' AND status = 'PAID' AND id <> $2
              ORDER BY paid_at LIMIT 1) AS "otherPaid"`,
    paid.articleNumber,
    paid.id,
  );
  if (standing?.cancelled) return refund(tx, paid, at, 'Paid after its booking was cancelled');
  if (standing?.otherPaid) return refund(tx, paid, at, `Paid twice: the booking was already paid by payment ${standing.otherPaid}`);
  return paid;
}

/**
 * Pays back a locked PAID booking payment the way it came (the UPI settlement account, or the till it went
 * into): a REFUND payment, the original REFUNDED, the ledger transaction and payment.refunded. Refunding
 * twice is impossible (a unique index on refund_of, and the status checked under the lock).
 */
export async function refund(tx: PaymentsTx, payment: PaymentRow, at: Date, why: string): Promise<PaymentRow> {
  if (payment.status !== 'PAID' || payment.purpose !== 'BOOKING') return payment;
  const refundId = newId('pay');
  await tx.payment.create({
    data: {
      id: refundId,
      reference: newPaymentReference(at),
      purpose: 'REFUND',
      method: payment.method,
      status: 'PAID',
      articleNumber: payment.articleNumber,
      amountPaise: payment.amountPaise,
      taxablePaise: payment.taxablePaise,
      gstPaise: payment.gstPaise,
      officeId: payment.officeId,
      partnerId: payment.partnerId,
      createdBy: 'service:payments',
      refundOf: payment.id,
      failureReason: why,
      createdAt: at,
      paidAt: at,
      closedAt: at,
    },
  });
  const refunded = await tx.payment.update({ where: { id: payment.id }, data: { status: 'REFUNDED' } });
  await postTransactions(tx, [
    {
      kind: 'REFUND',
      sourceKey: payment.id,
      description: `Refund of payment ${payment.reference} for article ${payment.articleNumber}: ${why}`,
      occurredAt: at,
      articleNumber: payment.articleNumber,
      paymentId: refundId,
      entries: refundEntries(receivingAccount(payment.method, payment.officeId), payment.taxablePaise, payment.gstPaise),
    },
  ]);
  await recordPaymentEvents(tx, [paymentEvent('payment.refunded', refunded, at, why)]);
  return refunded;
}

/** Refunds every PAID booking payment of a cancelled article (the article.cancelled consumer). */
export async function refundCancelledBooking(tx: PaymentsTx, articleNumber: string, at: Date): Promise<void> {
  const paid = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id FROM payments.payment WHERE article_number = $1::bpchar AND purpose = 'BOOKING' AND status = 'PAID' ORDER BY id FOR UPDATE`,
    articleNumber,
  );
  for (const { id } of paid) {
    const payment = await tx.payment.findUnique({ where: { id } });
    if (payment) await refund(tx, payment, at, 'The booking was cancelled');
  }
}

/** How often unpaid payments are looked for; and at most this many are expired in one transaction. */
export const EXPIRY_CHECK_EVERY_MS = 15_000;
const EXPIRY_BATCH = 500;

/**
 * Closes booking payments that were not paid by their expiry plus the grace for late callbacks: CREATED
 * ones become EXPIRED (FAILED ones stay FAILED). When nothing else can still pay the article (no other
 * open or paid payment of it), payment.expired tells articles to cancel the booking. SKIP LOCKED: a
 * payment being captured right now is left for the next run, and so is every payment a second instance
 * of this subgraph is expiring.
 */
export async function expireUnpaidPayments(prisma: PaymentsPrisma, deps: Pick<PaymentsDependencies, 'now' | 'callbackGraceMs' | 'eventsRecorded'>): Promise<number> {
  const now = deps.now();
  const cutoff = new Date(now.getTime() - deps.callbackGraceMs);
  const expired = await prisma.$transaction(async (tx) => {
    const due = await tx.$queryRawUnsafe<{ id: string }[]>(
      `SELECT id FROM payments.payment
        WHERE purpose = 'BOOKING' AND status IN ('CREATED', 'FAILED') AND closed_at IS NULL AND expires_at < $1::timestamptz
        ORDER BY expires_at LIMIT ${EXPIRY_BATCH} FOR UPDATE SKIP LOCKED`,
      cutoff.toISOString(),
    );
    if (due.length === 0) return 0;
    const closed = await tx.$queryRawUnsafe<{ id: string }[]>(
      `UPDATE payments.payment SET status = CASE WHEN status = 'CREATED' THEN 'EXPIRED'::payments."PaymentStatus" ELSE status END,
              closed_at = $2::timestamptz, failure_reason = coalesce(failure_reason, 'Not paid in time')
        WHERE id = ANY($1::text[])
        RETURNING id`,
      due.map((d) => d.id),
      now.toISOString(),
    );
    const rows = await tx.payment.findMany({ where: { id: { in: closed.map((c) => c.id) } } });
    // An article with another payment still open or paid is not cancelled.
    const stillPayable = await tx.$queryRawUnsafe<{ articleNumber: string }[]>(
      `SELECT DISTINCT article_number AS "articleNumber" FROM payments.payment
        WHERE article_number = ANY($1::bpchar[]) AND purpose = 'BOOKING' AND status IN ('CREATED', 'PAID')`,
      rows.map((r) => r.articleNumber),
    );
    const payable = new Set(stillPayable.map((r) => r.articleNumber));
    const announced = new Set<string>();
    const events = rows
      .filter((row) => !payable.has(row.articleNumber) && !announced.has(row.articleNumber) && announced.add(row.articleNumber))
      .map((row) => paymentEvent('payment.expired', row, now, row.status === 'FAILED' ? 'The payment failed and no other was made in time' : 'Not paid in time'));
    await recordPaymentEvents(tx, events);
    return rows.length;
  });
  if (expired > 0) deps.eventsRecorded();
  return expired;
}

export function expiryTask(prisma: PaymentsPrisma, deps: Pick<PaymentsDependencies, 'now' | 'callbackGraceMs' | 'eventsRecorded'>): HousekeepingTask {
  return { name: 'payments expiry of unpaid payments', everyMs: EXPIRY_CHECK_EVERY_MS, run: () => expireUnpaidPayments(prisma, deps) };
}
