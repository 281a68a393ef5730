import { WRITE_TRANSACTION, type HousekeepingTask } from '@dakgraph/graphql-kit';
import type { ArticlesDependencies } from '../context';
import type { ArticlesPrisma } from '../db';
import { applyEvents, lockArticles, writeEvents, type ArticleState, type CheckedEvent } from './tracking';
import type { ItemProblem } from './problems';

/** Who the tracking timeline says returned an article nobody collected. */
export const HOLD_LIMIT_PRINCIPAL = 'system:hold-limit';
/** Who the tracking timeline says cancelled a booking nobody paid for. */
export const UNPAID_PRINCIPAL = 'system:unpaid-booking';
/** Articles moved per transaction: one lock, one tracking insert, one update, whatever the backlog. */
const ARTICLES_PER_BATCH = 500;
const DAY_MS = 24 * 3600 * 1000;
/** How often the hold limit is looked at: an article returns within this much of its seventh day. */
const HOLD_CHECK_EVERY_MS = 15 * 60 * 1000;

/** One kind of article the subgraph moves on by itself once it has waited too long. */
interface Sweep {
  /** For the error of a batch the state machine refuses. */
  name: string;
  /** The condition on articles.article that makes an article due, `$1` the cutoff instant. */
  due: string;
  /** The column due articles are taken in the order of. */
  orderBy: string;
  cutoff: Date;
  principal: string;
  /** The tracking event each due article gets. */
  event: (article: ArticleState, index: number, now: Date) => CheckedEvent;
}

/**
 * Moves every due article with its tracking event (its outbox event in the same statement, so webhooks and
 * SMS follow), in batches of 500 under SKIP LOCKED: an article a counter or a postman is working on is not
 * waited for, and is looked at again next run. Returns how many moved.
 */
async function sweepArticles(prisma: ArticlesPrisma, deps: Pick<ArticlesDependencies, 'now' | 'eventsRecorded'>, sweep: (now: Date) => Sweep): Promise<number> {
  let moved = 0;
  for (;;) {
    const now = deps.now();
    const { name, due: condition, orderBy, cutoff, principal, event } = sweep(now);
    const batch = await prisma.$transaction(async (tx) => {
      const due = await tx.$queryRawUnsafe<{ articleNumber: string }[]>(
        `SELECT article_number AS "articleNumber" FROM articles.article
          WHERE ${condition} ORDER BY ${orderBy} LIMIT ${ARTICLES_PER_BATCH} FOR UPDATE SKIP LOCKED`,
        cutoff.toISOString(),
      );
      if (due.length === 0) return 0;
      const locked = await lockArticles(
        tx,
        due.map((row) => row.articleNumber),
      );
      const events = [...locked.values()].map((article, index) => event(article, index, now));
      const problems: ItemProblem[] = [];
      const rows = applyEvents(locked, events, principal, problems, { deliveryProved: false });
      // Locked and selected by status and time in this transaction, every one can move; one that
      // cannot is a bug in the state machine, and refusing the batch keeps it visible.
      if (problems.length) throw new Error(`${name} refused: ${problems[0]!.message}`);
      await writeEvents(tx, locked, rows);
      return rows.length;
    }, WRITE_TRANSACTION);
    moved += batch;
    if (batch > 0) deps.eventsRecorded();
    if (batch < ARTICLES_PER_BATCH) return moved;
  }
}

/**
 * Returns to their senders, as UNCLAIMED, the articles kept at their delivery office longer than the
 * deployment's hold limit: AT_DELIVERY_OFFICE or DELIVERY_ATTEMPTED with no event since (the arrival,
 * or the attempt that left an intimation) for `maxHoldDays`. Returns how many went back.
 */
export function returnUnclaimedArticles(prisma: ArticlesPrisma, deps: Pick<ArticlesDependencies, 'now' | 'maxHoldDays' | 'eventsRecorded'>): Promise<number> {
  return sweepArticles(prisma, deps, (now) => ({
    name: 'Hold-limit return',
    due: `status IN ('AT_DELIVERY_OFFICE', 'DELIVERY_ATTEMPTED') AND last_event_at < $1::timestamptz`,
    orderBy: 'last_event_at',
    cutoff: new Date(now.getTime() - deps.maxHoldDays * DAY_MS),
    principal: HOLD_LIMIT_PRINCIPAL,
    event: (article, index) => ({
      index,
      articleNumber: article.articleNumber,
      type: 'RETURNED_TO_SENDER',
      officeId: article.currentOfficeId,
      nextOfficeId: null,
      reason: 'UNCLAIMED',
      occurredAt: now,
    }),
  }));
}

/**
 * Cancels the bookings paid LATER that are still AWAITING_PAYMENT `unpaidBookingHours` after they were
 * booked: nobody asked for their payment, or every payment asked for lapsed without payments cancelling
 * them (payments never lets a payment run past this, see the payment-facts route's payableUntil). Their S10
 * numbers are never used again.
 */
export function cancelUnpaidBookings(prisma: ArticlesPrisma, deps: Pick<ArticlesDependencies, 'now' | 'unpaidBookingHours' | 'eventsRecorded'>): Promise<number> {
  return sweepArticles(prisma, deps, (now) => ({
    name: 'Unpaid booking cancellation',
    due: `status = 'AWAITING_PAYMENT' AND booked_at < $1::timestamptz`,
    orderBy: 'booked_at',
    cutoff: new Date(now.getTime() - deps.unpaidBookingHours * 3600 * 1000),
    principal: UNPAID_PRINCIPAL,
    event: (article, index) => ({
      index,
      articleNumber: article.articleNumber,
      type: 'CANCELLED',
      officeId: article.bookingOfficeId,
      nextOfficeId: null,
      reason: null,
      occurredAt: now,
    }),
  }));
}

/** Unpaid bookings are looked at every 5 minutes. */
const UNPAID_CHECK_EVERY_MS = 5 * 60 * 1000;

export function unpaidBookingsTask(prisma: ArticlesPrisma, deps: Pick<ArticlesDependencies, 'now' | 'unpaidBookingHours' | 'eventsRecorded'>): HousekeepingTask {
  return { name: 'articles cancellation of unpaid bookings', everyMs: UNPAID_CHECK_EVERY_MS, run: () => cancelUnpaidBookings(prisma, deps) };
}

/** The hold limit as housekeeping: looked at when the subgraph starts listening and every 15 minutes. */
export function holdLimitTask(prisma: ArticlesPrisma, deps: Pick<ArticlesDependencies, 'now' | 'maxHoldDays' | 'eventsRecorded'>): HousekeepingTask {
  return { name: 'articles hold-limit returns', everyMs: HOLD_CHECK_EVERY_MS, run: () => returnUnclaimedArticles(prisma, deps) };
}
