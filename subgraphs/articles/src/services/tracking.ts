import { allFieldsHandled, apiError, badInput, enforce } from '@dakgraph/graphql-kit';
import type { ArticleBookingFactsV1 } from '@dakgraph/internal-api';
import type { TrackingEventInput } from '../__generated__/resolvers-types';
import { canRecordEventAt, canRecordEvents, principalOf } from '../access';
import type { ArticlesContext } from '../context';
import { chunksFor, type ArticlesTx, type OfficeRefRow, type TrackingEventRow } from '../db';
import {
  EVENT_DEFINITIONS,
  TransitionError,
  allowedEvents,
  applyEvent,
  needsDeliveryOtp,
  type ArticleStatus,
  type NonDeliveryReason,
  type TrackingEventType,
} from '../domain';
import { parseArticleNumber } from './articleNumbers';
import { articleEventOf, bookingFactsOf } from './articleEvents';
import { insertEvents, type NewTrackingEvent } from './events';
import { InputProblem, invalidItemsError, type ItemProblem } from './problems';

export const MAX_EVENTS_PER_BATCH = 1_000;
/** How far ahead of our clock an `occurredAt` may be (device clocks drift). */
const CLOCK_SKEW_MS = 5 * 60_000;

/** What recordTrackingEvents answers: the events in the order given, and the articles they moved. */
export interface RecordEventsOutcome {
  events: TrackingEventRow[];
  articleNumbers: string[];
  replayed: boolean;
}

/** An event after the checks that need no article: canonical number, office, time. */
export interface CheckedEvent {
  index: number;
  articleNumber: string;
  type: TrackingEventType;
  officeId: string | null;
  nextOfficeId: string | null;
  reason: NonDeliveryReason | null;
  occurredAt: Date;
}

/** An article as locked for the batch, and then as the batch leaves it. */
export interface ArticleState {
  articleNumber: string;
  status: ArticleStatus;
  bookingOfficeId: string;
  currentOfficeId: string | null;
  eventCount: number;
  lastEventAt: Date | null;
  bookedAt: Date;
  /** The partner that booked it: its events go to that partner's webhooks. */
  partnerId: string | null;
  paid: boolean;
  touched: boolean;
  /** Delivered only against an OTP or a supervisor's approval (src/domain/otp.ts needsDeliveryOtp). */
  otpRequired: boolean;
  /** The cash to collect on delivery, in paise; null when it is not cash on delivery. */
  codAmountPaise: number | null;
  /** The COD fee it was charged at booking (excluding GST), for the payments ledger's remittance; 0 without COD. */
  codFeePaise: number;
  /** How the COD was collected, set by the delivery that collects it: its article.delivered event says so. */
  codMode?: 'CASH' | 'UPI' | null;
  /** What it was booked as: its events carry it (analytics counts them by it). */
  booking: ArticleBookingFactsV1;
}

/** How an event batch treats DELIVERED for an article that needs an OTP. */
export interface ApplyOptions {
  /**
   * recordTrackingEvents refuses it (the proof would be missing); the delivery mutations, which hold
   * the proof, allow it.
   */
  deliveryProved: boolean;
}

const TRANSITION_FIELD: Record<TransitionError['reason'], string> = {
  IMPOSSIBLE_TRANSITION: 'type',
  UNKNOWN_EVENT: 'type',
  UNKNOWN_STATUS: 'type',
  REASON_REQUIRED: 'reason',
  INVALID_REASON: 'reason',
  NEXT_OFFICE_REQUIRED: 'nextOfficeId',
  NEXT_OFFICE_NOT_ALLOWED: 'nextOfficeId',
};

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The checks each event passes alone: its number, its office (defaulting to the caller's), its time. */
function checkEvent(ctx: ArticlesContext, input: TrackingEventInput, index: number, now: Date, problems: ItemProblem[]): CheckedEvent | null {
  const before = problems.length;
  const field = (name: string) => `events[${index}].${name}`;
  const { articleNumber: givenNumber, type, officeId: givenOffice, nextOfficeId, reason, occurredAt: givenTime, ...unhandled } = input;
  allFieldsHandled(unhandled);
  let articleNumber = '';
  try {
    articleNumber = parseArticleNumber(givenNumber, field('articleNumber'));
  } catch (error) {
    if (!(error instanceof InputProblem)) throw error;
    problems.push({ index, field: error.field, message: error.message });
  }
  const definition = EVENT_DEFINITIONS[type];
  let officeId: string | null = null;
  if (definition.officeRequired) {
    officeId = givenOffice?.trim() || ctx.viewer.officeId;
    if (!officeId) {
      problems.push({ index, field: field('officeId'), message: `${type} happens at an office: give officeId (your account has no office of its own)` });
    }
  } else if (givenOffice != null) {
    problems.push({ index, field: field('officeId'), message: `${type} does not happen at an office; leave officeId out` });
  }
  let occurredAt = now;
  if (givenTime != null) {
    occurredAt = new Date(givenTime);
    if (!ISO_INSTANT.test(givenTime) || !Number.isFinite(occurredAt.getTime())) {
      problems.push({ index, field: field('occurredAt'), message: `occurredAt must be an ISO 8601 time with a zone, like "2025-10-01T09:30:00+05:30"; got "${givenTime.slice(0, 40)}"` });
    } else if (occurredAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
      problems.push({ index, field: field('occurredAt'), message: `occurredAt ${givenTime} is in the future` });
    }
  }
  if (problems.length > before) return null;
  return {
    index,
    articleNumber,
    type,
    officeId,
    nextOfficeId: nextOfficeId?.trim() || null,
    reason: reason ?? null,
    occurredAt,
  };
}

/**
 * recordTrackingEvents: a batch of events, applied in order through the domain's state machine, all or
 * nothing. The articles are locked with one SELECT ... FOR UPDATE, the events written with one multi-row
 * INSERT and the statuses with one UPDATE ... FROM (VALUES ...) (per chunk of the parameter limit).
 */
export async function recordEvents(ctx: ArticlesContext, inputs: readonly TrackingEventInput[], idempotencyKey: string): Promise<RecordEventsOutcome> {
  enforce(canRecordEvents(ctx.viewer));
  if (inputs.length === 0) throw badInput('events is empty; send 1 to 1,000 events', 'events');
  if (inputs.length > MAX_EVENTS_PER_BATCH) {
    throw badInput(`Record at most ${MAX_EVENTS_PER_BATCH} events per request; got ${inputs.length}. Split the batch; nothing was recorded`, 'events');
  }
  const principal = principalOf(ctx.viewer)!;
  const claim = ctx.idempotency.claim(ctx.viewer, idempotencyKey, 'recordTrackingEvents', inputs);
  return ctx.idempotency.run(claim, {
    prepare: () => checkBatch(ctx, inputs),
    write: async (tx, events) => ({ events: await applyBatch(tx, events, principal) }),
    answer: async (recorded: RecordedEvents, replayed) => {
      if (!replayed) ctx.deps.eventsRecorded();
      for (const [articleNumber] of recorded.events) {
        ctx.loaders.articleByNumber.clear(articleNumber);
        ctx.loaders.eventsByArticle.clear(articleNumber);
      }
      return { ...(await loadRecorded(ctx, recorded.events)), replayed };
    },
  });
}

/** What a batch's idempotency record keeps: the (article, sequence) of each event, in the order given. */
interface RecordedEvents {
  events: [string, number][];
}

/**
 * Everything about a batch that needs no lock: each event alone, the offices it names, and whether the
 * caller may record it where it happens. Events at no office (payment, cancellation) happen where the
 * article was booked, which never changes, so their scope is checked here too, against the booking office.
 */
async function checkBatch(ctx: ArticlesContext, inputs: readonly TrackingEventInput[]): Promise<CheckedEvent[]> {
  const now = ctx.deps.now();
  const problems: ItemProblem[] = [];
  const checked = inputs.map((input, index) => checkEvent(ctx, input, index, now, problems));

  const officeless = [...new Set(checked.flatMap((event) => (event && !event.officeId ? [event.articleNumber] : [])))];
  const bookingOfficeOf = new Map<string, string>();
  for (const article of await ctx.loaders.articleByNumber.loadMany(officeless)) {
    if (article instanceof Error) throw article;
    if (article) bookingOfficeOf.set(article.articleNumber, article.bookingOfficeId);
  }
  const officeIds = new Set<string>(bookingOfficeOf.values());
  for (const event of checked) {
    if (event?.officeId) officeIds.add(event.officeId);
    if (event?.nextOfficeId) officeIds.add(event.nextOfficeId);
  }
  const offices = new Map<string, OfficeRefRow>();
  for (const office of await ctx.loaders.officeRefById.loadMany([...officeIds])) {
    if (office instanceof Error) throw office;
    if (office) offices.set(office.id, office);
  }
  for (const event of checked) {
    if (!event) continue;
    for (const [name, id] of [['officeId', event.officeId], ['nextOfficeId', event.nextOfficeId]] as const) {
      if (id && !offices.has(id)) problems.push({ index: event.index, field: `events[${event.index}].${name}`, message: `No post office has the id "${id.slice(0, 80)}"` });
    }
  }
  if (problems.length) throw invalidItemsError(problems, inputs.length, 'events', 'nothing was recorded');

  const events = checked as CheckedEvent[];
  // Where an event happens decides who may record it. An unknown article has no booking office; the
  // batch reports it once the articles are locked.
  refuseOutOfScope(
    ctx,
    events.flatMap((event) => {
      const officeId = event.officeId ?? bookingOfficeOf.get(event.articleNumber);
      if (!officeId) return [];
      return [{ event, office: offices.get(officeId) ?? { id: officeId, divisionId: '' } }];
    }),
  );
  return events;
}

/** FORBIDDEN, listing every event the caller may not record where it happens. */
function refuseOutOfScope(ctx: ArticlesContext, located: { event: CheckedEvent; office: Pick<OfficeRefRow, 'id' | 'divisionId'> }[]): void {
  const refused: { index: number; message: string }[] = [];
  for (const { event, office } of located) {
    const decision = canRecordEventAt(ctx.viewer, event.type, { officeId: office.id, divisionId: office.divisionId });
    if (!decision.allowed) refused.push({ index: event.index, message: decision.reason });
  }
  if (!refused.length) return;
  throw apiError('FORBIDDEN', `You may not record ${refused.length} of these events: ${refused[0]!.message}${refused.length > 1 ? ' (and more)' : ''}; nothing was recorded`, {
    forbiddenItems: refused,
  });
}

/** Locks the articles, applies the events in order, writes them; returns the (article, sequence) of each event. */
async function applyBatch(tx: ArticlesTx, events: readonly CheckedEvent[], principal: string): Promise<[string, number][]> {
  const articles = await lockArticles(tx, events.map((e) => e.articleNumber));
  const problems: ItemProblem[] = [];
  const rows = applyEvents(articles, events, principal, problems, { deliveryProved: false });
  if (problems.length) throw invalidItemsError(problems, events.length, 'events', 'nothing was recorded');
  await writeEvents(tx, articles, rows);
  return rows.map((row) => [row.articleNumber, row.sequence]);
}

/**
 * Locks articles for a change of status with one SELECT ... FOR UPDATE, in article-number order so two
 * batches sharing articles cannot deadlock. Articles that do not exist are missing from the map.
 */
export async function lockArticles(tx: ArticlesTx, articleNumbers: readonly string[]): Promise<Map<string, ArticleState>> {
  const numbers = [...new Set(articleNumbers)];
  type LockedRow = Omit<ArticleState, 'paid' | 'touched' | 'otpRequired' | 'booking'> & {
    chargeCodes: string[] | null;
    product: string;
    expectedDeliveryDate: Date;
    charges: unknown;
  };
  const locked = await tx.$queryRawUnsafe<LockedRow[]>(
    `SELECT article_number AS "articleNumber", status::text AS status, booking_office_id AS "bookingOfficeId",
            current_office_id AS "currentOfficeId", event_count AS "eventCount", last_event_at AS "lastEventAt",
            booked_at AS "bookedAt", partner_id AS "partnerId", cod_amount_paise AS "codAmountPaise",
            ARRAY(SELECT line->>'code' FROM jsonb_array_elements(charges->'lineItems') AS line) AS "chargeCodes",
            (SELECT coalesce(sum((line->>'amountPaise')::int), 0)::int FROM jsonb_array_elements(charges->'lineItems') AS line
              WHERE line->>'code' = 'COD_FEE') AS "codFeePaise",
            product::text AS product, expected_delivery_date AS "expectedDeliveryDate",
            jsonb_build_object('taxablePaise', charges->'taxablePaise', 'gstPaise', charges->'gstPaise') AS charges
       FROM articles.article WHERE article_number = ANY($1::bpchar[]) ORDER BY article_number FOR UPDATE`,
    numbers,
  );
  return new Map(
    locked.map(({ chargeCodes, product, expectedDeliveryDate, charges, ...a }) => [
      a.articleNumber,
      {
        ...a,
        booking: bookingFactsOf({ product, bookingOfficeId: a.bookingOfficeId, expectedDeliveryDate: new Date(expectedDeliveryDate), charges }),
        lastEventAt: a.lastEventAt ? new Date(a.lastEventAt) : null,
        bookedAt: new Date(a.bookedAt),
        paid: false,
        touched: false,
        otpRequired: needsDeliveryOtp({ codAmountPaise: a.codAmountPaise, services: chargeCodes ?? [] }),
      },
    ]),
  );
}

/**
 * The type of each article's latest tracking event, in one statement (the primary key's order): with
 * the status it tells which leg of its delivery an article is on (domain deliveryStage). Articles with
 * no event yet are missing from the map.
 */
export async function lastEventTypes(tx: ArticlesTx, articleNumbers: readonly string[]): Promise<Map<string, TrackingEventType>> {
  const rows = await tx.$queryRawUnsafe<{ articleNumber: string; type: TrackingEventType }[]>(
    `SELECT DISTINCT ON (article_number) article_number AS "articleNumber", type::text AS type
       FROM articles.tracking_event WHERE article_number = ANY($1::bpchar[]) ORDER BY article_number, sequence DESC`,
    [...new Set(articleNumbers)],
  );
  return new Map(rows.map((row) => [row.articleNumber, row.type]));
}

/**
 * Applies events in order to locked articles through the state machine, moving `articles` along;
 * returns the tracking events to write, or adds to `problems` (the caller refuses the batch then).
 */
export function applyEvents(
  articles: Map<string, ArticleState>,
  events: readonly CheckedEvent[],
  principal: string,
  problems: ItemProblem[],
  options: ApplyOptions,
): NewTrackingEvent[] {
  const rows: NewTrackingEvent[] = [];
  for (const event of events) {
    const field = (name: string) => `events[${event.index}].${name}`;
    const article = articles.get(event.articleNumber);
    if (!article) {
      problems.push({ index: event.index, field: field('articleNumber'), message: `No article has the number ${event.articleNumber}` });
      continue;
    }
    const previous = article.lastEventAt ?? article.bookedAt;
    if (event.occurredAt.getTime() < previous.getTime()) {
      problems.push({
        index: event.index,
        field: field('occurredAt'),
        message: `Article ${article.articleNumber}: occurredAt ${event.occurredAt.toISOString()} is before its previous event or booking (${previous.toISOString()})`,
      });
      continue;
    }
    let status: ArticleStatus;
    try {
      status = applyEvent(article.status, { type: event.type, reason: event.reason, nextOfficeId: event.nextOfficeId });
    } catch (error) {
      if (!(error instanceof TransitionError)) throw error;
      problems.push({
        index: event.index,
        field: field(TRANSITION_FIELD[error.reason]),
        message: `Article ${article.articleNumber} (${article.status}): ${error.message}`,
        articleNumber: article.articleNumber,
        status: article.status,
        allowedEvents: allowedEvents(article.status),
      });
      continue;
    }
    // DELIVERED to the addressee, or to the sender at the end of a return (RETURN_DELIVERED): both need the proof.
    if (event.type === 'DELIVERED' && article.otpRequired && !options.deliveryProved) {
      problems.push({
        index: event.index,
        field: field('type'),
        message: `Article ${article.articleNumber} is delivered only against the OTP sent to the addressee (to the sender on a return) (OTP delivery, cash on delivery or insurance): record its delivery with deliverArticle (or deliverWithoutOtp, approved by a supervisor), not recordTrackingEvents`,
        articleNumber: article.articleNumber,
        status: article.status,
      });
      continue;
    }
    if (article.status === 'AWAITING_PAYMENT' && status === 'BOOKED') article.paid = true;
    article.status = status;
    article.eventCount += 1;
    article.lastEventAt = event.occurredAt;
    article.currentOfficeId = event.officeId ?? article.currentOfficeId;
    article.touched = true;
    rows.push({
      articleNumber: article.articleNumber,
      sequence: article.eventCount,
      type: event.type,
      occurredAt: event.occurredAt,
      officeId: event.officeId,
      nextOfficeId: event.nextOfficeId,
      reason: event.reason,
      statusAfter: status,
      recordedBy: principal,
    });
  }
  return rows;
}

/**
 * Writes applied events: the tracking events with their outbox events in one statement, and the
 * articles' new statuses with one UPDATE ... FROM (VALUES ...) per chunk of the parameter limit.
 * Every row is announced unless `announced` says otherwise (an offline sync that rewrites a timeline
 * writes again events it announced before).
 */
export async function writeEvents(
  tx: ArticlesTx,
  articles: Map<string, ArticleState>,
  rows: readonly NewTrackingEvent[],
  announced: (row: NewTrackingEvent) => boolean = () => true,
): Promise<void> {
  await insertEvents(
    tx,
    rows,
    rows.filter(announced).map((row) => articleEventOf(articles.get(row.articleNumber)!, row)),
  );
  const moved = [...articles.values()].filter((a) => a.touched);
  const COLUMNS = 6;
  for (const chunk of chunksFor(moved, COLUMNS)) {
    const values = chunk
      .map((_, i) => {
        const p = i * COLUMNS;
        return `($${p + 1}::text, $${p + 2}::text, $${p + 3}::text, $${p + 4}::int, $${p + 5}::timestamptz, $${p + 6}::boolean)`;
      })
      .join(', ');
    await tx.$executeRawUnsafe(
      `UPDATE articles.article AS a
          SET status = v.status::articles."ArticleStatus",
              current_office_id = v.current_office_id,
              event_count = v.event_count,
              last_event_at = v.last_event_at,
              payment_status = CASE WHEN v.paid THEN 'PAID'::articles."PaymentStatus" ELSE a.payment_status END
         FROM (VALUES ${values}) AS v(article_number, status, current_office_id, event_count, last_event_at, paid)
        WHERE a.article_number = v.article_number::bpchar`,
      ...chunk.flatMap((a) => [a.articleNumber, a.status, a.currentOfficeId, a.eventCount, a.lastEventAt!.toISOString(), a.paid]),
    );
  }
}

/** The recorded events (in the order given) and the articles they moved, from the database. */
async function loadRecorded(ctx: ArticlesContext, keys: readonly [string, number][]): Promise<Omit<RecordEventsOutcome, 'replayed'>> {
  const articleNumbers = [...new Set(keys.map(([articleNumber]) => articleNumber))];
  const histories = await ctx.loaders.eventsByArticle.loadMany(articleNumbers);
  const bySequence = new Map<string, TrackingEventRow>();
  for (const history of histories) {
    if (history instanceof Error) throw history;
    for (const event of history) bySequence.set(`${event.articleNumber}#${event.sequence}`, event);
  }
  const events = keys.map(([articleNumber, sequence]) => {
    const event = bySequence.get(`${articleNumber}#${sequence}`);
    if (!event) throw new Error(`Recorded event ${articleNumber}#${sequence} is missing`);
    return event;
  });
  return { events, articleNumbers };
}
