import { badInput, enforce } from '@dakgraph/graphql-kit';
import { canReconcile } from '../access';
import type { PaymentsContext } from '../context';
import { officeReference, type ArticleReference, type OfficeReference } from './references';

/**
 * Reconciliation of one IST day: what the money and the articles disagree on, found with a few set-based
 * statements over payments' own tables (payments learns of articles from their events, article_fact).
 * Each list is capped at MAX_LINES (its total still counts every line).
 */

export const MAX_LINES = 500;
const IST_OFFSET_MS = 330 * 60_000;

export interface ReconciliationLine {
  article: ArticleReference;
  paymentId: string | null;
  amountPaise: number;
  office: OfficeReference | null;
  problem: string;
}

export interface CounterCashLine {
  office: OfficeReference;
  bookingsPaise: number;
  codPaise: number;
  refundsPaise: number;
  expectedPaise: number;
}

export interface ReconciliationResult {
  date: string;
  capturedWithoutBooking: ReconciliationLine[];
  paidWithoutCapture: ReconciliationLine[];
  codUnremitted: ReconciliationLine[];
  counterCash: CounterCashLine[];
  totals: { capturedWithoutBookingPaise: number; paidWithoutCapturePaise: number; codUnremittedPaise: number; counterCashPaise: number };
}

/** The UTC instants an IST day starts and ends at. */
export function istDay(date: string): { start: Date; end: Date } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const utcMidnight = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!match || Number.isNaN(utcMidnight) || new Date(utcMidnight).toISOString().slice(0, 10) !== date) {
    throw badInput(`date must be an IST day, YYYY-MM-DD; got "${date.slice(0, 20)}"`, 'date');
  }
  const start = new Date(utcMidnight - IST_OFFSET_MS);
  return { start, end: new Date(start.getTime() + 24 * 3600 * 1000) };
}

interface Row {
  articleNumber: string;
  paymentId: string | null;
  amountPaise: number;
  officeId: string | null;
  problem: string;
  total: string;
}

const lines = (rows: Row[]): ReconciliationLine[] =>
  rows.map((r) => ({ article: { articleNumber: r.articleNumber }, paymentId: r.paymentId, amountPaise: r.amountPaise, office: officeReference(r.officeId), problem: r.problem }));
const totalOf = (rows: Row[]): number => Number(rows[0]?.total ?? 0);

export async function reconciliation(ctx: PaymentsContext, args: { date: string; officeId?: string | null; partnerId?: string | null }): Promise<ReconciliationResult> {
  const { start, end } = istDay(args.date);
  const officeId = args.officeId ?? null;
  const partnerId = args.partnerId ?? null;
  let officeDivision: string | null = null;
  if (officeId) {
    const [office] = await ctx.prisma.$queryRawUnsafe<{ divisionId: string }[]>(`SELECT division_id AS "divisionId" FROM payments.office_ref WHERE id = $1`, officeId);
    officeDivision = office?.divisionId ?? null;
  }
  enforce(canReconcile(ctx.viewer, { named: officeId !== null, divisionId: officeDivision }));
  const window = [start.toISOString(), end.toISOString(), officeId, partnerId] as const;

  const [captured, paidByHand, unremitted, cash] = await Promise.all([
    ctx.prisma.$queryRawUnsafe<Row[]>(
      `SELECT p.article_number AS "articleNumber", p.id AS "paymentId", p.amount_paise AS "amountPaise", p.office_id AS "officeId",
              CASE WHEN f.article_number IS NULL THEN 'Captured, but payments has no news of the article'
                   WHEN f.status = 'CANCELLED' THEN 'Captured, but the booking is cancelled'
                   ELSE 'Captured, but the article still awaits payment' END AS problem,
              sum(p.amount_paise) OVER ()::text AS total
         FROM payments.payment p LEFT JOIN payments.article_fact f ON f.article_number = p.article_number
        WHERE p.purpose = 'BOOKING' AND p.status = 'PAID' AND p.paid_at >= $1::timestamptz AND p.paid_at < $2::timestamptz
          AND ($3::text IS NULL OR p.office_id = $3) AND ($4::text IS NULL OR p.partner_id = $4)
          AND (f.article_number IS NULL OR f.status IN ('AWAITING_PAYMENT', 'CANCELLED'))
        ORDER BY p.paid_at, p.id LIMIT ${MAX_LINES}`,
      ...window,
    ),
    ctx.prisma.$queryRawUnsafe<Row[]>(
      `SELECT f.article_number AS "articleNumber", NULL::text AS "paymentId", coalesce(f.charge_paise, 0) AS "amountPaise", f.office_id AS "officeId",
              'Marked paid (PAYMENT_RECEIVED) with no captured payment' AS problem, sum(coalesce(f.charge_paise, 0)) OVER ()::text AS total
         FROM payments.article_fact f
        WHERE f.paid_at >= $1::timestamptz AND f.paid_at < $2::timestamptz
          AND ($3::text IS NULL OR f.office_id = $3) AND ($4::text IS NULL OR f.partner_id = $4)
          AND NOT EXISTS (SELECT 1 FROM payments.payment p WHERE p.article_number = f.article_number AND p.purpose = 'BOOKING' AND p.status IN ('PAID', 'REFUNDED'))
        ORDER BY f.paid_at, f.article_number LIMIT ${MAX_LINES}`,
      ...window,
    ),
    ctx.prisma.$queryRawUnsafe<Row[]>(
      `SELECT c.article_number AS "articleNumber", c.payment_id AS "paymentId", c.amount_paise AS "amountPaise", c.office_id AS "officeId",
              'COD collected, not yet remitted' AS problem, sum(c.amount_paise) OVER ()::text AS total
         FROM payments.cod_collection c
        WHERE c.remittance_id IS NULL AND c.collected_at < $1::timestamptz
          AND ($2::text IS NULL OR c.office_id = $2) AND ($3::text IS NULL OR c.partner_id = $3)
        ORDER BY c.collected_at, c.article_number LIMIT ${MAX_LINES}`,
      // Everything unremitted up to the day's end, whenever it was collected.
      ...window.slice(1),
    ),
    ctx.prisma.$queryRawUnsafe<{ officeId: string; bookings: string; cod: string; refunds: string }[]>(
      `SELECT office_id AS "officeId",
              sum(amount_paise) FILTER (WHERE purpose = 'BOOKING')::text AS bookings,
              sum(amount_paise) FILTER (WHERE purpose = 'COD_COLLECTION')::text AS cod,
              sum(amount_paise) FILTER (WHERE purpose = 'REFUND')::text AS refunds
         FROM payments.payment
        WHERE method = 'CASH' AND office_id IS NOT NULL AND paid_at >= $1::timestamptz AND paid_at < $2::timestamptz
          AND (purpose <> 'BOOKING' OR status IN ('PAID', 'REFUNDED'))
          AND ($3::text IS NULL OR office_id = $3) AND ($4::text IS NULL OR partner_id = $4)
        GROUP BY office_id ORDER BY office_id`,
      ...window,
    ),
  ]);
  const counterCash = cash.map((row) => {
    const bookingsPaise = Number(row.bookings ?? 0);
    const codPaise = Number(row.cod ?? 0);
    const refundsPaise = Number(row.refunds ?? 0);
    return { office: { id: row.officeId }, bookingsPaise, codPaise, refundsPaise, expectedPaise: bookingsPaise + codPaise - refundsPaise };
  });
  return {
    date: args.date,
    capturedWithoutBooking: lines(captured),
    paidWithoutCapture: lines(paidByHand),
    codUnremitted: lines(unremitted),
    counterCash,
    totals: {
      capturedWithoutBookingPaise: totalOf(captured),
      paidWithoutCapturePaise: totalOf(paidByHand),
      codUnremittedPaise: totalOf(unremitted),
      counterCashPaise: counterCash.reduce((sum, line) => sum + line.expectedPaise, 0),
    },
  };
}
