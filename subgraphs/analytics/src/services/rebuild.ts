import type { Database } from '@dakgraph/db';
import { UNSPECIFIED_REASON } from '../domain';
import { breakdownUpsertSql, rollupUpsertSql } from './rollups';

/**
 * Recomputes every rollup from the source tables: the articles' tracking events and the payments' COD
 * collections and remittances, by the rules of domain/figures.ts written as SQL (the test holds the two
 * to each other). It reads the other subgraphs' tables, which no request of this subgraph ever does: it
 * is a repair run beside the database (a directory change that moved offices, a consumer that was wrong),
 * with read access to the articles and payments schemas.
 *
 * In one transaction that holds the rollups exclusively: the consumers (and reports) wait while it runs
 * and carry on after; if it fails, nothing changed. Run it when they have caught up (nothing waiting in the outboxes): an event still on its way
 * when the rebuild read the sources would be counted by the rebuild and again by its consumer.
 */

const IST_DAY = (column: string) => `(${column} AT TIME ZONE 'Asia/Kolkata')::date`;

/** One source's rows of figures: office_id, day, then every figure column (zeros but its own). */
function figureRows(officeId: string, day: string, figures: Partial<Record<string, string>>, from: string): string {
  const value = (column: string, type: 'int' | 'bigint') => `${figures[column] ?? '0'}::${type} AS ${column}`;
  return `SELECT ${officeId} AS office_id, ${day} AS day, ${[
    value('booked', 'int'),
    value('delivered', 'int'),
    value('delivered_on_time', 'int'),
    value('failed_attempts', 'int'),
    value('returned', 'int'),
    value('revenue_paise', 'bigint'),
    value('gst_paise', 'bigint'),
    value('cod_collected_paise', 'bigint'),
    value('cod_remitted_paise', 'bigint'),
  ].join(', ')} ${from}`;
}

const TRACKED = `FROM articles.tracking_event te JOIN articles.article a ON a.article_number = te.article_number`;
const EVENT_DAY = IST_DAY('te.occurred_at');

const ARTICLE_FIGURES = [
  figureRows('a.booking_office_id', EVENT_DAY, { booked: '1', revenue_paise: `(a.charges->>'taxablePaise')`, gst_paise: `(a.charges->>'gstPaise')` },
    `${TRACKED} WHERE te.type IN ('BOOKED', 'PAYMENT_RECEIVED') AND te.status_after = 'BOOKED'`),
  figureRows('te.office_id', EVENT_DAY, { delivered: '1', delivered_on_time: `(${EVENT_DAY} <= a.expected_delivery_date)::int` },
    `${TRACKED} WHERE te.type = 'DELIVERED' AND te.status_after = 'DELIVERED' AND te.office_id IS NOT NULL`),
  figureRows('te.office_id', EVENT_DAY, { failed_attempts: '1' }, `${TRACKED} WHERE te.type = 'DELIVERY_ATTEMPTED' AND te.office_id IS NOT NULL`),
  figureRows('te.office_id', EVENT_DAY, { returned: '1' }, `${TRACKED} WHERE te.type = 'RETURNED_TO_SENDER' AND te.office_id IS NOT NULL`),
];

const PAYMENT_FIGURES = [
  figureRows('c.office_id', IST_DAY('c.collected_at'), { cod_collected_paise: 'c.amount_paise' }, `FROM payments.cod_collection c WHERE c.office_id IS NOT NULL`),
  figureRows('c.office_id', IST_DAY('r.paid_at'), { cod_remitted_paise: 'c.amount_paise' },
    `FROM payments.cod_collection c JOIN payments.remittance r ON r.id = c.remittance_id WHERE r.status = 'PAID' AND c.office_id IS NOT NULL`),
];

const ARTICLE_BREAKDOWNS = [
  `SELECT a.booking_office_id AS office_id, ${EVENT_DAY} AS day, 'BOOKED' AS measure, a.product::text AS key, 1 AS count
     ${TRACKED} WHERE te.type IN ('BOOKED', 'PAYMENT_RECEIVED') AND te.status_after = 'BOOKED'`,
  `SELECT te.office_id, ${EVENT_DAY} AS day, 'FAILED_ATTEMPT' AS measure, coalesce(te.reason::text, '${UNSPECIFIED_REASON}') AS key, 1 AS count
     ${TRACKED} WHERE te.type = 'DELIVERY_ATTEMPTED' AND te.office_id IS NOT NULL`,
];

export interface RebuildResult {
  /** The source schemas read (a database without payments has no COD figures to rebuild). */
  sources: string[];
  /** Rows written, over every level. */
  rollupRows: number;
  breakdownRows: number;
  tookMs: number;
}

/** Replaces every rollup with what the source tables say. */
export async function rebuildRollups(db: Database): Promise<RebuildResult> {
  const started = Date.now();
  return db.transaction(async (tx) => {
    const [present] = await tx.query<{ articles: boolean; payments: boolean }>(
      `SELECT to_regclass('articles.tracking_event') IS NOT NULL AS articles, to_regclass('payments.cod_collection') IS NOT NULL AS payments`,
    );
    const sources = [...(present?.articles ? ['articles'] : []), ...(present?.payments ? ['payments'] : [])];
    // TRUNCATE, not DELETE: millions of dead rows would bloat the tables and the new rows would fill the
    // holes in any order, where written afresh each day's rows sit together (see rollups.ts). It holds the
    // tables exclusively until the commit, so reports wait for the rebuild too.
    await tx.exec(`TRUNCATE analytics.daily_rollup, analytics.daily_breakdown`);
    const figures = [...(present?.articles ? ARTICLE_FIGURES : []), ...(present?.payments ? PAYMENT_FIGURES : [])];
    if (figures.length) await tx.exec(rollupUpsertSql(figures.join('\n UNION ALL ')));
    if (present?.articles) await tx.exec(breakdownUpsertSql(ARTICLE_BREAKDOWNS.join('\n UNION ALL ')));
    const [counts] = await tx.query<{ rollups: number; breakdowns: number }>(
      `SELECT (SELECT count(*) FROM analytics.daily_rollup)::int AS rollups, (SELECT count(*) FROM analytics.daily_breakdown)::int AS breakdowns`,
    );
    return { sources, rollupRows: counts?.rollups ?? 0, breakdownRows: counts?.breakdowns ?? 0, tookMs: Date.now() - started };
  });
}
