import { serveInternalRoute, type HttpRoute } from '@dakgraph/graphql-kit';
import { articlePaymentFactsRoute, type ArticlePaymentFacts } from '@dakgraph/internal-api';
import type { ArticlesPrisma } from '../db';

/**
 * The internal route the payments subgraph asks before it creates a payment: the article's status, its
 * charge (taxable and GST, from the booking), and who may pay it (the sender, the booking partner, staff
 * of its office and division), and until when it may be paid. Payments has no access to this subgraph's
 * tables; this is the one door.
 */
export function paymentFactsRoute(prisma: ArticlesPrisma, identitySecret: string, unpaidBookingHours: number): HttpRoute {
  return serveInternalRoute(articlePaymentFactsRoute, identitySecret, async ({ articleNumber }) => {
    const [facts] = await prisma.$queryRawUnsafe<Omit<ArticlePaymentFacts, 'payableUntil'>[]>(
      `SELECT a.article_number AS "articleNumber", a.status::text AS status, to_char(a.booked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "bookedAt",
              a.booking_office_id AS "bookingOfficeId", o.division_id AS "bookingDivisionId", a.partner_id AS "partnerId",
              a.sender_customer_id AS "senderCustomerId", a.payment_mode::text AS "paymentMode", a.payment_status::text AS "paymentStatus",
              a.product::text AS product, (a.charges->>'taxablePaise')::int AS "taxablePaise", (a.charges->>'gstPaise')::int AS "gstPaise",
              a.total_paise AS "totalPaise"
         FROM articles.article a LEFT JOIN articles.office_ref o ON o.id = a.booking_office_id
        WHERE a.article_number = $1::bpchar`,
      articleNumber.toUpperCase(),
    );
    if (!facts) return { status: 404, body: { error: `No article has the number ${articleNumber}` } };
    // After this the booking is cancelled unpaid (services/returns.ts): no payment may run past it.
    const payableUntil = new Date(Date.parse(facts.bookedAt) + unpaidBookingHours * 3600 * 1000).toISOString();
    return { status: 200, body: { ...facts, payableUntil } };
  });
}
