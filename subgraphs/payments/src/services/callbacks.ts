import type { IncomingMessage } from 'node:http';
import { isUniqueViolation, newId, readBodyOrRefuse, sendJson, type HttpRoute } from '@dakgraph/graphql-kit';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import type { PaymentsDependencies } from '../context';
import { newPaymentReference } from '../domain';
import type { PaymentRow, PaymentsPrisma, PaymentsTx } from '../db';
import { paymentEvent, recordPaymentEvents } from './events';
import { capture } from './payments';

/**
 * The payment service provider's callbacks: `POST /payments/callback` (the gateway forwards it from its
 * own port). The body is JSON `{ reference, status: "SUCCESS" | "FAILURE", amountPaise,
 * providerTransactionId, payerVpa }`, signed per Standard Webhooks 1.0 with PSP_CALLBACK_SECRET and
 * verified with the `standardwebhooks` library (signature, and a timestamp within 5 minutes).
 *
 * Answers: 200 once the callback is recorded (captured, failed, or nothing to change); 200 with
 * `replayed: true` for a message id already processed, changing nothing; 400 for a malformed body or
 * headers, a stale or future timestamp, or an amount other than the payment's; 401 for a bad signature;
 * 404 for an unknown reference; 413 for a body over 16 KB. Every refusal is logged with the message id and
 * reason (never the body's VPA); every callback with a good signature is kept in payments.psp_callback,
 * in the transaction of its effect, so a crash never leaves a capture without its record or the reverse.
 */

export const CALLBACK_PATH = '/payments/callback';
const MAX_CALLBACK_BYTES = 16 * 1024;

export const callbackBody = z.object({
  reference: z.string().min(1).max(64),
  status: z.enum(['SUCCESS', 'FAILURE']),
  amountPaise: z.number().int().nonnegative().max(2 ** 31 - 1),
  providerTransactionId: z.string().min(1).max(64),
  payerVpa: z.string().max(256).nullable().optional(),
});
export type CallbackBody = z.output<typeof callbackBody>;

/** What came of a callback (psp_callback.outcome). */
export type CallbackOutcome = 'CAPTURED' | 'FAILED' | 'ALREADY_PAID' | 'DUPLICATE_PAYMENT' | 'IGNORED' | 'AMOUNT_MISMATCH' | 'UNKNOWN_REFERENCE';

const STATUS_OF: Record<CallbackOutcome, number> = {
  CAPTURED: 200,
  FAILED: 200,
  ALREADY_PAID: 200,
  DUPLICATE_PAYMENT: 200,
  IGNORED: 200,
  AMOUNT_MISMATCH: 400,
  UNKNOWN_REFERENCE: 404,
};

/** The stable code of each refusal status, as the rest of the API names them. */
const CODE_OF_STATUS: Record<number, string> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  503: 'SERVICE_UNAVAILABLE',
};

export interface CallbackLog {
  info(message: string): void;
  error(message: string): void;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function pspCallbackRoute(prisma: PaymentsPrisma, deps: PaymentsDependencies, log: CallbackLog = console): HttpRoute {
  const webhook = deps.pspCallbackSecret ? new Webhook(deps.pspCallbackSecret) : null;
  return {
    method: 'POST',
    path: CALLBACK_PATH,
    async handle(req, res) {
      const id = (header(req, 'webhook-id') ?? '').slice(0, 100);
      const refusal = (status: number, error: string, reason: string) => {
        log.error(`[payments] PSP callback ${JSON.stringify(id)} refused (${status} ${reason}): ${error}`);
        // `error` and `reason` for the provider; `errors` in the shape (and codes) every other refusal of dakgraph has.
        return { error, reason, errors: [{ message: error, extensions: { code: CODE_OF_STATUS[status] ?? 'BAD_USER_INPUT', reason } }] };
      };
      const refuse = (status: number, error: string, reason: string) => sendJson(res, status, refusal(status, error, reason));
      if (!webhook) return refuse(503, 'This deployment has no PSP_CALLBACK_SECRET, so no callback can be verified', 'NOT_CONFIGURED');
      const raw = await readBodyOrRefuse(req, res, MAX_CALLBACK_BYTES, (message) => refusal(413, message, 'TOO_LARGE'));
      if (raw === null) return;
      const headers = { 'webhook-id': header(req, 'webhook-id') ?? '', 'webhook-timestamp': header(req, 'webhook-timestamp') ?? '', 'webhook-signature': header(req, 'webhook-signature') ?? '' };
      try {
        webhook.verify(raw, headers, { jsonParse: false });
      } catch (error) {
        // verify throws only WebhookVerificationError (checked by message: Jest's VM realms defeat instanceof).
        const message = (error as Error).message ?? '';
        if (/missing required headers|invalid signature headers/i.test(message)) {
          return refuse(400, 'The webhook-id, webhook-timestamp and webhook-signature headers (Standard Webhooks) are required', 'MISSING_HEADERS');
        }
        if (/timestamp too (old|new)/i.test(message)) return refuse(400, 'The webhook-timestamp is more than 5 minutes from now', 'STALE_TIMESTAMP');
        return refuse(401, 'The signature does not match (is PSP_CALLBACK_SECRET the one the provider signs with?)', 'BAD_SIGNATURE');
      }
      let body: CallbackBody;
      try {
        const parsed = callbackBody.safeParse(JSON.parse(raw));
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return refuse(400, `The body must be {reference, status: "SUCCESS"|"FAILURE", amountPaise, providerTransactionId, payerVpa} (${issue?.path.join('.') || 'body'}: ${issue?.message})`, 'MALFORMED');
        }
        body = parsed.data;
      } catch {
        return refuse(400, 'The body must be JSON', 'MALFORMED');
      }
      let result: { outcome: CallbackOutcome; replayed: boolean; paymentId: string | null };
      try {
        result = await processCallback(prisma, deps, id, body);
      } catch (error) {
        // Two deliveries of one message at once: the second finds the first's record on the primary key.
        if (!isUniqueViolation(error)) throw error;
        const raced = await replayOf(prisma, id);
        if (!raced) throw new Error(`callback ${id} raced but left no record`);
        result = raced;
      }
      if (!result.replayed && (result.outcome === 'CAPTURED' || result.outcome === 'FAILED' || result.outcome === 'DUPLICATE_PAYMENT')) deps.eventsRecorded();
      const status = STATUS_OF[result.outcome];
      if (status !== 200) return refuse(status, refusalText(result.outcome, body), result.outcome);
      if (result.outcome === 'DUPLICATE_PAYMENT') log.error(`[payments] PSP callback ${JSON.stringify(id)}: payment ${result.paymentId} was paid a second time (another provider transaction); the second payment was recorded and refunded`);
      else log.info(`[payments] PSP callback ${JSON.stringify(id)}: ${result.outcome}${result.replayed ? ' (replayed)' : ''} for payment ${result.paymentId}`);
      sendJson(res, 200, { outcome: result.outcome, replayed: result.replayed, paymentId: result.paymentId });
    },
  };
}

function refusalText(outcome: CallbackOutcome, body: CallbackBody): string {
  if (outcome === 'UNKNOWN_REFERENCE') return `No payment has the reference ${body.reference}`;
  return `The amount ${body.amountPaise} paise is not the payment's; nothing was captured`;
}

/** What an already processed message came to, as its replay answers; null for a message not seen yet. */
async function replayOf(prisma: PaymentsPrisma, webhookId: string): Promise<{ outcome: CallbackOutcome; replayed: true; paymentId: string | null } | null> {
  const [seen] = await prisma.$queryRawUnsafe<{ outcome: CallbackOutcome; paymentId: string | null }[]>(
    `SELECT c.outcome, p.id AS "paymentId" FROM payments.psp_callback c LEFT JOIN payments.payment p ON p.reference = c.reference WHERE c.webhook_id = $1`,
    webhookId,
  );
  return seen ? { ...seen, replayed: true } : null;
}

/** The effect of one verified callback and its record, in one transaction. */
export async function processCallback(
  prisma: PaymentsPrisma,
  deps: Pick<PaymentsDependencies, 'now'>,
  webhookId: string,
  body: CallbackBody,
): Promise<{ outcome: CallbackOutcome; replayed: boolean; paymentId: string | null }> {
  const seen = await replayOf(prisma, webhookId);
  if (seen) return seen;
  return prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT id FROM payments.payment WHERE reference = $1 FOR UPDATE`, body.reference);
    const payment = locked.length ? await tx.payment.findUnique({ where: { id: locked[0]!.id } }) : null;
    const outcome = payment ? await apply(tx, payment, body, deps.now()) : 'UNKNOWN_REFERENCE';
    await tx.pspCallback.create({
      data: {
        webhookId,
        reference: body.reference,
        status: body.status,
        amountPaise: body.amountPaise,
        providerTransactionId: body.providerTransactionId,
        payerVpa: body.payerVpa ?? null,
        outcome,
      },
    });
    return { outcome, replayed: false, paymentId: payment?.id ?? null };
  }, { maxWait: 30_000, timeout: 30_000 });
}

async function apply(tx: PaymentsTx, payment: PaymentRow, body: CallbackBody, now: Date): Promise<CallbackOutcome> {
  if (payment.method !== 'UPI_QR' || payment.purpose !== 'BOOKING') return 'IGNORED';
  if (body.amountPaise !== payment.amountPaise) return 'AMOUNT_MISMATCH';
  if (body.status === 'FAILURE') {
    if (payment.status !== 'CREATED') return 'IGNORED';
    const failed = await tx.payment.update({ where: { id: payment.id }, data: { status: 'FAILED', failureReason: 'The provider reported the payment failed' } });
    await recordPaymentEvents(tx, [paymentEvent('payment.failed', failed, now, 'The provider reported the payment failed')]);
    return 'FAILED';
  }
  if (payment.status === 'PAID' || payment.status === 'REFUNDED') {
    if (payment.providerTransactionId === body.providerTransactionId) return 'ALREADY_PAID';
    const known = await tx.payment.findFirst({ where: { providerTransactionId: body.providerTransactionId }, select: { id: true } });
    if (known) return 'ALREADY_PAID';
    // The payer paid the same request twice (two provider transactions): the second money is received
    // too, as a payment of its own, and paid back at once (capture refunds a booking already paid).
    const second = await tx.payment.create({
      data: {
        id: newId('pay'),
        reference: newPaymentReference(now),
        purpose: 'BOOKING',
        method: payment.method,
        status: 'CREATED',
        articleNumber: payment.articleNumber,
        amountPaise: payment.amountPaise,
        taxablePaise: payment.taxablePaise,
        gstPaise: payment.gstPaise,
        officeId: payment.officeId,
        partnerId: payment.partnerId,
        createdBy: 'service:payments',
        failureReason: `A second payment of request ${payment.reference}`,
        createdAt: now,
      },
    });
    await capture(tx, second, { providerTransactionId: body.providerTransactionId, payerVpa: body.payerVpa ?? null }, now);
    return 'DUPLICATE_PAYMENT';
  }
  // CREATED, and also EXPIRED or FAILED: the provider says the money was taken, which is a fact to record.
  await capture(tx, payment, { providerTransactionId: body.providerTransactionId, payerVpa: body.payerVpa ?? null }, now);
  return 'CAPTURED';
}
