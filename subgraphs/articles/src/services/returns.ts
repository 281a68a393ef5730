import { WRITE_TRANSACTION, type HousekeepingTask } from '@dakgraph/graphql-kit';
import type { ArticlesDependencies } from '../context';
import type { ArticlesPrisma } from '../db';
import { applyEvents, lockArticles, writeEvents, type CheckedEvent } from './tracking';
import type { ItemProblem } from './problems';

/** Who the tracking timeline says returned an article nobody collected. */
export const HOLD_LIMIT_PRINCIPAL = 'system:hold-limit';
/** Articles returned per transaction: one lock, one tracking insert, one update, whatever the backlog. */
const RETURNS_PER_BATCH = 500;
const DAY_MS = 24 * 3600 * 1000;
/** How often the hold limit is looked at: an article returns within this much of its seventh day. */
const HOLD_CHECK_EVERY_MS = 15 * 60 * 1000;

/**
 * Returns to their senders, as UNCLAIMED, the articles kept at their delivery office longer than the
 * deployment's hold limit: AT_DELIVERY_OFFICE or DELIVERY_ATTEMPTED with no event since (the arrival,
 * or the attempt that left an intimation) for `maxHoldDays`. Each return is a tracking event like any
 * other (its outbox event in the same statement), so the sender's webhooks and SMS follow. Batches of
 * 500 under SKIP LOCKED: a counter or a postman working on one of them is not waited for, and the
 * article is looked at again next run. Returns how many went back.
 */
export async function returnUnclaimedArticles(prisma: ArticlesPrisma, deps: Pick<ArticlesDependencies, 'now' | 'maxHoldDays' | 'eventsRecorded'>): Promise<number> {
  let returned = 0;
  for (;;) {
    const now = deps.now();
    const heldSince = new Date(now.getTime() - deps.maxHoldDays * DAY_MS);
    const batch = await prisma.$transaction(async (tx) => {
      const due = await tx.$queryRawUnsafe<{ articleNumber: string }[]>(
        `SELECT article_number AS "articleNumber" FROM articles.article
          WHERE status IN ('AT_DELIVERY_OFFICE', 'DELIVERY_ATTEMPTED') AND last_event_at < $1::timestamptz
          ORDER BY last_event_at LIMIT ${RETURNS_PER_BATCH} FOR UPDATE SKIP LOCKED`,
        heldSince.toISOString(),
      );
      if (due.length === 0) return 0;
      const locked = await lockArticles(
        tx,
        due.map((row) => row.articleNumber),
      );
      const events: CheckedEvent[] = [...locked.values()].map((article, index) => ({
        index,
        articleNumber: article.articleNumber,
        type: 'RETURNED_TO_SENDER',
        officeId: article.currentOfficeId,
        nextOfficeId: null,
        reason: 'UNCLAIMED',
        occurredAt: now,
      }));
      const problems: ItemProblem[] = [];
      const rows = applyEvents(locked, events, HOLD_LIMIT_PRINCIPAL, problems, { deliveryProved: false });
      // Locked and selected by status and time in this transaction, every one can go back; one that
      // cannot is a bug in the state machine, and refusing the batch keeps it visible.
      if (problems.length) throw new Error(`Hold-limit return refused: ${problems[0]!.message}`);
      await writeEvents(tx, locked, rows);
      return rows.length;
    }, WRITE_TRANSACTION);
    returned += batch;
    if (batch > 0) deps.eventsRecorded();
    if (batch < RETURNS_PER_BATCH) return returned;
  }
}

/** The hold limit as housekeeping: looked at when the subgraph starts listening and every 15 minutes. */
export function holdLimitTask(prisma: ArticlesPrisma, deps: Pick<ArticlesDependencies, 'now' | 'maxHoldDays' | 'eventsRecorded'>): HousekeepingTask {
  return { name: 'articles hold-limit returns', everyMs: HOLD_CHECK_EVERY_MS, run: () => returnUnclaimedArticles(prisma, deps) };
}
