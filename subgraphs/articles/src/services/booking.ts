import { apiError, badInput, enforce, forbidden, type IdempotencyClaim } from '@dakgraph/graphql-kit';
import { canBookAtCounter, canBookInBulk, principalOf } from '../access';
import type { ArticlesContext } from '../context';
import { insertRowsStatement, type ArticleRow, type ArticlesTx, type BulkColumn, type PincodeRefRow, type Prisma } from '../db';
import { statusOnCreation } from '../domain';
import type { PaymentMode } from '../__generated__/prisma/client';
import type { BookingInput, BookingItemInput } from '../__generated__/resolvers-types';
import { allocateArticleNumbers } from './articleNumbers';
import { articleEventOf, awaitingPaymentEventOf, bookingFactsOf, outboxInsert } from './articleEvents';
import { EVENT_COLUMNS, type NewTrackingEvent } from './events';
import { chargesOf } from './charges';
import { checkCustomerId, checkParty } from './parties';
import { collect, firstProblemError, invalidItemsError, type ItemProblem, type Problem } from './problems';
import { checkPincodeFormat, priceArticle, routeBetween, unknownPincode, type ArticleSpec } from './quotes';

export const MAX_BULK_ITEMS = 1_000;

/** What bookArticle answers. */
export interface BookingOutcome {
  article: ArticleRow;
  replayed: boolean;
}

/** What bookArticles answers. */
export interface BulkBookingOutcome {
  articles: ArticleRow[];
  count: number;
  replayed: boolean;
}

/** The fields a counter booking (BookingInput) and a partner's item (BookingItemInput) share. */
type ArticleRequestInput = Omit<BookingInput, 'payment'>;

/**
 * Compiles only while both booking inputs, without what sets them apart, are the same as each other and
 * as a quote's article (ArticleSpec) plus its parties: a field added to one input and not the other
 * would otherwise be accepted by the schema and dropped here.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const BOOKING_INPUTS_AGREE: [
  Same<ArticleRequestInput, Omit<BookingItemInput, 'pickupPincode'>>,
  Same<Omit<ArticleRequestInput, 'sender' | 'senderCustomerId' | 'recipient'>, ArticleSpec>,
] = [true, true];
void BOOKING_INPUTS_AGREE;

/** An article ready to insert, but for its number. */
type ArticleDraft = Omit<ArticleRow, 'articleNumber'>;

/** One article to draft: its input, where it starts, and how it is paid. */
interface DraftRequest {
  index: number;
  /** Path prefix of its fields in the mutation's arguments ("input." or "items[3]."). */
  prefix: string;
  input: ArticleRequestInput;
  /** The counter office's pincode, or the partner's pickup pincode as given. */
  origin: { pincode: string; field: string };
  /** Known for counter bookings; for partner bookings it is the office standing for the pickup pincode. */
  bookingOfficeId: string | null;
  payment: PaymentMode;
}

/** What holds for every article of one request. */
interface DraftContext {
  channel: 'COUNTER' | 'PARTNER';
  principal: string;
  partnerId: string | null;
  contractBasisPoints: number | null;
  /** Whether cash on delivery may be booked, and if not, why. */
  cod: { allowed: true } | { allowed: false; reason: string };
  bookedAt: Date;
  /** The owners of the named customers when the caller already has them (a partner's booking asks with its terms). */
  senderOwners?: Map<string, string | null>;
}

const PAYMENT_STATUS = { CASH: 'PAID', ACCOUNT: 'ON_ACCOUNT', LATER: 'PENDING' } as const;

/** Checks what needs no database: the parties, the customer id, the pincodes' form. */
function checkRequest(request: DraftRequest, problems: Problem[]) {
  const { input, prefix } = request;
  const before = problems.length;
  const { recipient: givenRecipient, sender: givenSender, senderCustomerId: givenCustomerId } = input;
  const recipient = checkParty(givenRecipient, `${prefix}recipient.`, problems);
  const sender = givenSender ? checkParty(givenSender, `${prefix}sender.`, problems) : null;
  const senderCustomerId = givenCustomerId != null ? collect(problems, prefix, () => checkCustomerId(givenCustomerId, 'senderCustomerId')) : null;
  if (!givenSender && givenCustomerId == null) {
    problems.push({ field: `${prefix}sender`, message: "Give the sender's details, or senderCustomerId for a registered customer" });
  }
  const origin = collect(problems, '', () => checkPincodeFormat(request.origin.pincode, request.origin.field));
  if (problems.length > before) return null;
  return { recipient: recipient!, sender, senderCustomerId, origin: origin! };
}

/** The well-formed senderCustomerIds of `items`: every id draftArticles can look up, for asking ahead. */
function namedCustomerIds(items: readonly ArticleRequestInput[]): string[] {
  const ids = new Set<string>();
  for (const item of items) {
    if (item.senderCustomerId == null) continue;
    const id = collect([], '', () => checkCustomerId(item.senderCustomerId!, 'senderCustomerId'));
    if (id) ids.add(id);
  }
  return [...ids];
}

/**
 * Turns requests into article drafts, or collects every problem with them. Database work is constant
 * per request, whatever the number of items: one query for all pincodes, one for the pickup offices.
 */
async function draftArticles(
  ctx: ArticlesContext,
  requests: readonly DraftRequest[],
  context: DraftContext,
): Promise<{ drafts: ArticleDraft[]; problems: ItemProblem[] }> {
  const problems: ItemProblem[] = [];
  const checked = requests.map((request) => {
    const found: Problem[] = [];
    const result = checkRequest(request, found);
    problems.push(...found.map((problem) => ({ index: request.index, ...problem })));
    return result;
  });

  const codes = new Set<string>();
  for (const c of checked) {
    if (!c) continue;
    codes.add(c.origin);
    codes.add(c.recipient.pincode);
    if (c.sender) codes.add(c.sender.pincode);
  }
  const refs = await ctx.loaders.pincodeRefByCode.loadMany([...codes]);
  const pincodes = new Map<string, PincodeRefRow>();
  for (const ref of refs) {
    if (ref instanceof Error) throw ref;
    if (ref) pincodes.set(ref.code, ref);
  }
  // Named customers must exist, and a partner may name only its own: one call for the whole batch.
  const namedCustomers = [...new Set(checked.flatMap((c) => (c?.senderCustomerId ? [c.senderCustomerId] : [])))];
  const owners = context.senderOwners ?? (await ctx.deps.customerOwners.ownersOf(namedCustomers));
  requests.forEach((request, i) => {
    const id = checked[i]?.senderCustomerId;
    if (!id) return;
    const field = `${request.prefix}senderCustomerId`;
    if (!owners.has(id)) problems.push({ index: request.index, field, message: `No customer has id ${id}` });
    else if (context.partnerId && owners.get(id) !== context.partnerId) {
      problems.push({ index: request.index, field, message: `Customer ${id} is not one of your customers` });
    }
  });
  const origins = [...new Set(checked.flatMap((c) => (c && pincodes.has(c.origin) ? [c.origin] : [])))];
  const pickupOffices = context.channel === 'PARTNER' ? await officesForPincodes(ctx, origins) : new Map<string, string>();

  const drafts: ArticleDraft[] = [];
  requests.forEach((request, i) => {
    const c = checked[i];
    if (!c) return;
    const { input, prefix } = request;
    const { sender: _sender, senderCustomerId: _senderCustomerId, recipient: _recipient, ...spec } = input;
    const found: Problem[] = [];
    if (c.sender && !pincodes.has(c.sender.pincode)) found.push(problemOf(unknownPincode(`${prefix}sender.pincode`, c.sender.pincode)));
    const route = collect(found, '', () =>
      routeBetween(
        pincodes.get(c.origin) ?? null,
        pincodes.get(c.recipient.pincode) ?? null,
        { origin: request.origin.field, destination: `${prefix}recipient.pincode` },
        { origin: c.origin, destination: c.recipient.pincode },
      ),
    );
    const quote = route
      ? collect(found, prefix, () => priceArticle(spec, route, { contractBasisPoints: context.contractBasisPoints, bookedAt: context.bookedAt }))
      : null;
    if (input.codAmountPaise != null) {
      if (!context.cod.allowed) found.push({ field: `${prefix}codAmountPaise`, message: context.cod.reason });
      else if (context.channel === 'COUNTER' && !c.senderCustomerId) {
        found.push({
          field: `${prefix}codAmountPaise`,
          message: 'Cash on delivery needs senderCustomerId: the amount collected is remitted to a registered customer',
        });
      }
    }
    if (request.payment === 'ACCOUNT' && context.channel === 'COUNTER' && !c.senderCustomerId) {
      found.push({ field: `${prefix}payment`, message: 'ACCOUNT payment needs senderCustomerId: the customer whose account is billed' });
    }
    const bookingOfficeId = request.bookingOfficeId ?? pickupOffices.get(c.origin) ?? null;
    if (route && !bookingOfficeId) found.push({ field: request.origin.field, message: `No post office serves pincode ${c.origin}` });
    if (found.length || !quote || !bookingOfficeId) {
      problems.push(...found.map((problem) => ({ index: request.index, ...problem })));
      return;
    }
    const status = statusOnCreation({ paid: request.payment !== 'LATER' });
    const booked = status === 'BOOKED';
    drafts.push({
      product: input.product,
      status,
      channel: context.channel,
      bookingOfficeId,
      currentOfficeId: bookingOfficeId,
      originPincode: c.origin,
      destinationPincode: c.recipient.pincode,
      weightGrams: input.weightGrams,
      chargeableWeightGrams: quote.chargeableWeightGrams,
      lengthCm: input.dimensionsCm?.lengthCm ?? null,
      widthCm: input.dimensionsCm?.widthCm ?? null,
      heightCm: input.dimensionsCm?.heightCm ?? null,
      declaredValuePaise: input.declaredValuePaise ?? null,
      codAmountPaise: input.codAmountPaise ?? null,
      band: quote.band,
      distanceKm: quote.distanceKm,
      charges: chargesOf(quote) as unknown as Prisma.JsonValue,
      totalPaise: quote.totalPaise,
      expectedDeliveryDate: new Date(`${quote.expectedDeliveryDate}T00:00:00.000Z`),
      paymentMode: request.payment,
      paymentStatus: PAYMENT_STATUS[request.payment],
      senderCustomerId: c.senderCustomerId,
      sender: c.sender as unknown as Prisma.JsonValue,
      recipient: c.recipient as unknown as Prisma.JsonValue,
      partnerId: context.partnerId,
      bookedBy: context.principal,
      bookedAt: context.bookedAt,
      eventCount: booked ? 1 : 0,
      lastEventAt: booked ? context.bookedAt : null,
    });
  });
  return { drafts, problems };
}

const problemOf = (error: { field: string; message: string }): Problem => ({ field: error.field, message: error.message });

/**
 * The office standing for each pickup pincode: the directory does not say which office collects a
 * partner's consignments, so the pincode's first office by id does, deterministically.
 */
async function officesForPincodes(ctx: ArticlesContext, codes: string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const rows = await ctx.prisma.$queryRawUnsafe<{ pincode: string; id: string }[]>(
    `SELECT DISTINCT ON (pincode) pincode, id FROM articles.office_ref WHERE pincode = ANY($1::bpchar[]) ORDER BY pincode, id`,
    codes,
  );
  return new Map(rows.map((row) => [row.pincode, row.id]));
}

type ArticleInsert = ArticleDraft & { articleNumber: string };

const column = <Row>(column: string, type: string, value: (row: Row) => unknown): BulkColumn<Row> => ({ column, type, value });

/** Every column of an article, for the one-statement insert. */
const ARTICLE_COLUMNS: readonly BulkColumn<ArticleInsert>[] = [
  column('article_number', 'bpchar', (a) => a.articleNumber),
  column('product', 'articles."Product"', (a) => a.product),
  column('status', 'articles."ArticleStatus"', (a) => a.status),
  column('channel', 'articles."BookingChannel"', (a) => a.channel),
  column('booking_office_id', 'text', (a) => a.bookingOfficeId),
  column('current_office_id', 'text', (a) => a.currentOfficeId),
  column('origin_pincode', 'bpchar', (a) => a.originPincode),
  column('destination_pincode', 'bpchar', (a) => a.destinationPincode),
  column('weight_grams', 'int', (a) => a.weightGrams),
  column('chargeable_weight_grams', 'int', (a) => a.chargeableWeightGrams),
  column('length_cm', 'float8', (a) => a.lengthCm),
  column('width_cm', 'float8', (a) => a.widthCm),
  column('height_cm', 'float8', (a) => a.heightCm),
  column('declared_value_paise', 'int', (a) => a.declaredValuePaise),
  column('cod_amount_paise', 'int', (a) => a.codAmountPaise),
  column('band', 'articles."DistanceBand"', (a) => a.band),
  column('distance_km', 'float8', (a) => a.distanceKm),
  column('charges', 'jsonb', (a) => a.charges),
  column('total_paise', 'int', (a) => a.totalPaise),
  column('expected_delivery_date', 'date', (a) => a.expectedDeliveryDate.toISOString().slice(0, 10)),
  column('payment_mode', 'articles."PaymentMode"', (a) => a.paymentMode),
  column('payment_status', 'articles."PaymentStatus"', (a) => a.paymentStatus),
  column('sender_customer_id', 'text', (a) => a.senderCustomerId),
  column('sender', 'jsonb', (a) => a.sender),
  column('recipient', 'jsonb', (a) => a.recipient),
  column('partner_id', 'text', (a) => a.partnerId),
  column('booked_by', 'text', (a) => a.bookedBy),
  column('booked_at', 'timestamptz', (a) => a.bookedAt),
  column('event_count', 'int', (a) => a.eventCount),
  column('last_event_at', 'timestamptz', (a) => a.lastEventAt),
];

/** What a booking's idempotency record keeps: the numbers it allocated, in booking order. */
interface BookedNumbers {
  articleNumbers: string[];
}

/**
 * Writes drafted articles in the caller's transaction: numbers from the sequences, then one statement
 * that inserts the idempotency record (which serialises identical retries: a twin waits on its primary
 * key and fails there), the articles and their BOOKED events. The three inserts used to be three
 * statements (the claim through Prisma's create); as data-modifying CTEs of one statement they cost one
 * round trip and no query compilation, which is a large part of a single booking's CPU (measured:
 * Prisma's create alone is ~0.7 ms, each extra statement ~0.3 ms plus its write syscall). The foreign key
 * from events to articles is checked at the end of the statement, when the articles are there.
 */
async function insertArticles(ctx: ArticlesContext, tx: ArticlesTx, drafts: readonly ArticleDraft[], claim: IdempotencyClaim): Promise<BookedNumbers> {
  const numbers = await allocateArticleNumbers(tx, drafts.map((draft) => draft.product));
  const rows: ArticleInsert[] = drafts.map((draft, i) => ({ ...draft, articleNumber: numbers[i]! }));
  // A counter-paid or account booking starts with its BOOKED event (UPU EMA) at the booking office.
  const events: NewTrackingEvent[] = rows
    .filter((row) => row.status === 'BOOKED')
    .map((row) => ({
      articleNumber: row.articleNumber,
      sequence: 1,
      type: 'BOOKED',
      occurredAt: row.bookedAt,
      officeId: row.bookingOfficeId,
      nextOfficeId: null,
      reason: null,
      statusAfter: 'BOOKED',
      recordedBy: row.bookedBy,
    }));
  // Every article announces itself: booked (with its BOOKED event), or awaiting payment.
  const bookedEventOf = new Map(events.map((event) => [event.articleNumber, event]));
  const announced = rows.map((row) => {
    const event = bookedEventOf.get(row.articleNumber);
    const article = { ...row, booking: bookingFactsOf(row) };
    return event ? articleEventOf(article, event) : awaitingPaymentEventOf(article, row.bookedAt);
  });
  const booked: BookedNumbers = { articleNumbers: numbers };
  const record = ctx.idempotency.recordStatement(claim, booked);
  let next = record.params.length + 1;
  const articles = insertRowsStatement('articles.article', ARTICLE_COLUMNS, rows, next);
  next += articles.params.length;
  const bookedEvents = insertRowsStatement('articles.tracking_event', EVENT_COLUMNS, events, next);
  next += bookedEvents.params.length;
  const outbox = outboxInsert(announced, next);
  // An empty events insert (articles paid LATER are not BOOKED yet) inserts nothing.
  await tx.$executeRawUnsafe(
    `WITH claim AS (${record.sql}), booked AS (${articles.sql}), tracked AS (${bookedEvents.sql})
     ${outbox.sql}`,
    ...record.params,
    ...articles.params,
    ...bookedEvents.params,
    ...outbox.params,
  );
  return booked;
}

/** The articles a booking created, in booking order (after commit, or on a replay). */
async function loadBooked(ctx: ArticlesContext, articleNumbers: readonly string[]): Promise<ArticleRow[]> {
  const rows = await ctx.loaders.articleByNumber.loadMany(articleNumbers);
  return rows.map((row, i) => {
    if (row instanceof Error) throw row;
    if (!row) throw new Error(`Booked article ${articleNumbers[i]} is missing`);
    return row;
  });
}

/** bookArticle: one article at the caller's own counter. */
export async function bookAtCounter(ctx: ArticlesContext, input: BookingInput, idempotencyKey: string): Promise<BookingOutcome> {
  enforce(canBookAtCounter(ctx.viewer));
  const principal = principalOf(ctx.viewer)!;
  const officeId = ctx.viewer.officeId!;
  const { payment, ...article } = input;
  const claim = ctx.idempotency.claim(ctx.viewer, idempotencyKey, 'bookArticle', input);
  return ctx.idempotency.run(claim, {
    prepare: async () => {
      const office = await ctx.loaders.officeRefById.load(officeId);
      if (!office) throw forbidden(`Your office ${officeId} is not in the post office directory, so nothing can be booked there`);
      const { drafts, problems } = await draftArticles(
        ctx,
        [{ index: 0, prefix: 'input.', input: article, origin: { pincode: office.pincode, field: 'bookingOffice' }, bookingOfficeId: office.id, payment }],
        { channel: 'COUNTER', principal, partnerId: null, contractBasisPoints: null, cod: { allowed: true }, bookedAt: ctx.deps.now() },
      );
      if (problems.length) throw firstProblemError(problems);
      return drafts;
    },
    write: (tx, drafts, claimed) => insertArticles(ctx, tx, drafts, claimed),
    writesRecord: true,
    answer: async ({ articleNumbers }, replayed) => {
      if (!replayed) ctx.deps.eventsRecorded();
      return { article: (await loadBooked(ctx, articleNumbers))[0]!, replayed };
    },
  });
}

/**
 * bookArticles: up to 1,000 articles for a partner, all or nothing. Every item is checked before
 * anything is written; any problem refuses the whole batch with every problem listed.
 */
export async function bookInBulk(ctx: ArticlesContext, items: readonly BookingItemInput[], idempotencyKey: string): Promise<BulkBookingOutcome> {
  enforce(canBookInBulk(ctx.viewer));
  if (items.length === 0) throw badInput('items is empty; send 1 to 1,000 articles', 'items');
  if (items.length > MAX_BULK_ITEMS) {
    throw apiError('BAD_USER_INPUT', `Book at most ${MAX_BULK_ITEMS} articles per request; got ${items.length}. Split the batch; nothing was booked`, {
      field: 'items',
    });
  }
  const principal = principalOf(ctx.viewer)!;
  const claim = ctx.idempotency.claim(ctx.viewer, idempotencyKey, 'bookArticles', items);
  return ctx.idempotency.run(claim, {
    prepare: async () => {
      // The partner's terms and the customers its items name, in one call to customers.
      const { terms, owners } = await ctx.activePartnerBooking(namedCustomerIds(items));
      const { drafts, problems } = await draftArticles(
        ctx,
        items.map(({ pickupPincode, ...article }, index) => ({
          index,
          prefix: `items[${index}].`,
          input: article,
          origin: { pincode: pickupPincode, field: `items[${index}].pickupPincode` },
          bookingOfficeId: null,
          payment: 'ACCOUNT' as const,
        })),
        {
          channel: 'PARTNER',
          principal,
          partnerId: terms.partnerId,
          contractBasisPoints: terms.discountBasisPoints,
          cod: terms.codAllowed ? { allowed: true } : { allowed: false, reason: 'Your contract does not allow cash on delivery' },
          bookedAt: ctx.deps.now(),
          senderOwners: owners,
        },
      );
      if (problems.length) throw invalidItemsError(problems, items.length, 'items', 'nothing was booked');
      return drafts;
    },
    write: (tx, drafts, claimed) => insertArticles(ctx, tx, drafts, claimed),
    writesRecord: true,
    answer: async ({ articleNumbers }, replayed) => {
      if (!replayed) ctx.deps.eventsRecorded();
      const articles = await loadBooked(ctx, articleNumbers);
      return { articles, count: articles.length, replayed };
    },
  });
}
