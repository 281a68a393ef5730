import type { Database } from '@dakgraph/db';

/**
 * A day's operations figures counted straight from the source tables (articles' tracking events,
 * payments' COD), by the rules of analytics' src/domain/figures.ts: what the rollups must equal.
 */
export async function figuresOfDayFromSources(db: Database, day: string): Promise<Record<string, number>> {
  const isBooked = `te.type IN ('BOOKED', 'PAYMENT_RECEIVED') AND te.status_after = 'BOOKED'`;
  const isDelivered = `te.type = 'DELIVERED' AND te.status_after = 'DELIVERED'`;
  const [articles] = await db.query<Record<string, number>>(
    `SELECT count(*) FILTER (WHERE ${isBooked})::int AS booked,
            count(*) FILTER (WHERE ${isDelivered})::int AS delivered,
            count(*) FILTER (WHERE ${isDelivered} AND $1::date <= a.expected_delivery_date)::int AS "deliveredOnTime",
            count(*) FILTER (WHERE te.type = 'DELIVERY_ATTEMPTED')::int AS "failedAttempts",
            count(*) FILTER (WHERE te.type = 'RETURNED_TO_SENDER')::int AS returned,
            coalesce(sum((a.charges->>'taxablePaise')::int) FILTER (WHERE ${isBooked}), 0)::int AS "revenuePaise",
            coalesce(sum((a.charges->>'gstPaise')::int) FILTER (WHERE ${isBooked}), 0)::int AS "gstPaise"
       FROM articles.tracking_event te JOIN articles.article a USING (article_number)
      WHERE (te.occurred_at AT TIME ZONE 'Asia/Kolkata')::date = $1::date`,
    [day],
  );
  const [cod] = await db.query<Record<string, number>>(
    `SELECT (SELECT coalesce(sum(amount_paise), 0) FROM payments.cod_collection WHERE (collected_at AT TIME ZONE 'Asia/Kolkata')::date = $1::date)::int AS "codCollectedPaise",
            (SELECT coalesce(sum(c.amount_paise), 0) FROM payments.cod_collection c JOIN payments.remittance r ON r.id = c.remittance_id
              WHERE r.status = 'PAID' AND (r.paid_at AT TIME ZONE 'Asia/Kolkata')::date = $1::date)::int AS "codRemittedPaise"`,
    [day],
  );
  return { ...articles!, ...cod! };
}

/** Every rollup row in a stable order, to compare the live rollups with a rebuild's. */
export const rollupSnapshot = async (db: Database) => ({
  rollups: await db.query('SELECT * FROM analytics.daily_rollup ORDER BY level, group_id, day'),
  breakdowns: await db.query('SELECT * FROM analytics.daily_breakdown ORDER BY level, group_id, day, measure, key'),
});
