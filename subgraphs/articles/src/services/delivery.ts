import { allFieldsHandled, apiError, badInput, enforce, notFound, type IdempotencyClaim } from '@dakgraph/graphql-kit';
import type { GraphQLError } from 'graphql';
import type {
  AssignForDeliveryInput,
  CodCollectedInput,
  DeliverArticleInput,
  DeliverWithoutOtpInput,
  DeliveryAttemptInput,
} from '../__generated__/resolvers-types';
import { canAssignAt, canAssignForDelivery, canDeliverAssigned, canOverrideDelivery, canWorkBeat, principalOf } from '../access';
import type { ArticlesContext } from '../context';
import { insertRowsStatement, type ArticleRow, type ArticlesTx, type BulkColumn } from '../db';
import {
  MAX_OTP_FAILURES,
  deliveryOtpFor,
  isOtpFormat,
  newOtpNonce,
  nextStepAfterAttempt,
  otpMatches,
  otpStillValid,
  deliveryStage,
  type DeliveryStage,
  type NonDeliveryReason,
} from '../domain';
import { isIsoDate, toIst } from '../domain/ist';
import { parseArticleNumber } from './articleNumbers';
import { asBadInput, InputProblem, invalidItemsError, type ItemProblem } from './problems';
import { checkText } from './parties';
import { recordOtpSent } from './otpSentEvent';
import { applyEvents, lastEventTypes, lockArticles, writeEvents, type ArticleState, type CheckedEvent } from './tracking';

/** Articles one assignForDelivery may give out (one beat's worth; the writes stay one statement each). */
export const MAX_ASSIGNED_PER_REQUEST = 500;
/** Articles one postman may carry on one day: what deliveryBeat answers at most (its @listSize). */
export const MAX_BEAT_SIZE = 500;
/**
 * Where an article must stand for each step (domain deliveryStage), on either leg: a returned article
 * goes out to its sender and is delivered the same way, OTP and all. To go out it waits at an office;
 * to be delivered, attempted or have its OTP reissued it is with its postman; a supervisor may approve
 * a delivery without the OTP in either place.
 */
type StageNeeded = keyof Omit<DeliveryStage, 'leg'>;
const STAGE_WORDING: Record<StageNeeded, string> = {
  awaitingDelivery: 'waiting at a delivery office (AT_DELIVERY_OFFICE or DELIVERY_ATTEMPTED, or RETURNED_TO_SENDER and back at an office)',
  withPostman: 'out with its postman (OUT_FOR_DELIVERY or DELIVERY_ATTEMPTED, on its way to the addressee or back to the sender)',
};
// Customers subgraph staff ids: "stf_" and 26 characters of Crockford's base32 in lower case.
const STAFF_ID = /^stf_[0-9a-hjkmnp-tv-z]{26}$/;
// eslint-disable-next-line no-control-regex
const MAX_RECEIVER = 100;
const MAX_REASON = 500;

/** What assignForDelivery answers. */
export interface AssignmentOutcome {
  articles: ArticleRow[];
  replayed: boolean;
}

/** What deliverArticle, deliverWithoutOtp and reissueDeliveryOtp answer. */
export interface DeliveryOutcome {
  article: ArticleRow;
  replayed: boolean;
}

/** What recordDeliveryAttempt answers. */
export interface DeliveryAttemptOutcome extends DeliveryOutcome {
  returnedToSender: boolean;
}

/** An article's latest assignment, as the delivery mutations read it under the article's lock. */
export interface CurrentAssignment {
  articleNumber: string;
  attempt: number;
  postmanId: string;
  deliveryDate: string;
  officeId: string;
  otpRequired: boolean;
  otpNonce: string | null;
  otpFailures: number;
  otpUsedAt: Date | null;
}

interface NewAssignment {
  articleNumber: string;
  attempt: number;
  postmanId: string;
  deliveryDate: string;
  officeId: string;
  assignedBy: string;
  assignedAt: Date;
  otpRequired: boolean;
  otpNonce: string | null;
}

const ASSIGNMENT_COLUMNS: readonly BulkColumn<NewAssignment>[] = [
  { column: 'article_number', type: 'bpchar', value: (a) => a.articleNumber },
  { column: 'attempt', type: 'int', value: (a) => a.attempt },
  { column: 'postman_id', type: 'text', value: (a) => a.postmanId },
  { column: 'delivery_date', type: 'date', value: (a) => a.deliveryDate },
  { column: 'office_id', type: 'text', value: (a) => a.officeId },
  { column: 'assigned_by', type: 'text', value: (a) => a.assignedBy },
  { column: 'assigned_at', type: 'timestamptz', value: (a) => a.assignedAt },
  { column: 'otp_required', type: 'boolean', value: (a) => a.otpRequired },
  { column: 'otp_nonce', type: 'bpchar', value: (a) => a.otpNonce },
  { column: 'otp_issued_at', type: 'timestamptz', value: (a) => (a.otpNonce ? a.assignedAt : null) },
];

/** The IST date of the subgraph's clock: the delivery day. */
export const todayOf = (ctx: ArticlesContext): string => toIst(ctx.deps.now()).date;

/** The secret OTPs are derived with; refused, not guessed at, when the deployment has none. */
export function otpSecretOf(ctx: ArticlesContext): string {
  const secret = ctx.deps.deliveryOtpSecret;
  if (!secret) {
    throw apiError('SERVICE_UNAVAILABLE', 'OTP delivery is not configured on this server (DELIVERY_OTP_SECRET); OTP articles cannot be given out or delivered', {
      service: 'articles',
    });
  }
  return secret;
}

/** The article's delivery stage, BAD_USER_INPUT unless it stands where `needed` says (read under its lock). */
export async function requireStage(tx: ArticlesTx, state: ArticleState, needed: readonly StageNeeded[], doing: string, field = 'input.articleNumber'): Promise<DeliveryStage> {
  const lastEventType = (await lastEventTypes(tx, [state.articleNumber])).get(state.articleNumber) ?? null;
  const stage = deliveryStage(state.status, lastEventType);
  if (needed.some((step) => stage[step])) return stage;
  throw apiError(
    'BAD_USER_INPUT',
    `Article ${state.articleNumber} is ${state.status}${lastEventType ? ` (last event ${lastEventType})` : ''}; ${doing} only an article ${needed.map((step) => STAGE_WORDING[step]).join(' or ')}`,
    { field, articleNumber: state.articleNumber, status: state.status },
  );
}

/** The first problem of a one-article event as BAD_USER_INPUT, with the state machine's details. */
function singleArticleProblem(problems: readonly ItemProblem[]): GraphQLError {
  const [{ index: _index, field: _field, message, ...details }] = problems as [ItemProblem];
  return apiError('BAD_USER_INPUT', message, { field: 'input.articleNumber', ...details });
}

/** The articles a mutation changed, fresh from the database (the request's loaders forget what they held). */
export async function reloadArticles(ctx: ArticlesContext, articleNumbers: readonly string[]): Promise<ArticleRow[]> {
  for (const articleNumber of articleNumbers) {
    ctx.loaders.articleByNumber.clear(articleNumber);
    ctx.loaders.eventsByArticle.clear(articleNumber);
    ctx.loaders.deliveryByArticle.clear(articleNumber);
  }
  const rows = await ctx.loaders.articleByNumber.loadMany(articleNumbers);
  return rows.map((row, i) => {
    if (row instanceof Error) throw row;
    if (!row) throw new Error(`Article ${articleNumbers[i]} vanished after its delivery was recorded`);
    return row;
  });
}

/** An article the caller names, before any lock: NOT_FOUND when there is none. */
export async function existingArticle(ctx: ArticlesContext, articleNumber: string): Promise<ArticleRow> {
  const article = await ctx.loaders.articleByNumber.load(articleNumber);
  if (!article) throw notFound(`No article has the number ${articleNumber}`);
  return article;
}

/** The office an article is at, with its division, for the supervisor rules. */
export async function officeScopeOf(ctx: ArticlesContext, article: ArticleRow): Promise<{ officeId: string; divisionId: string }> {
  const officeId = article.currentOfficeId ?? article.bookingOfficeId;
  const office = await ctx.loaders.officeRefById.load(officeId);
  return { officeId, divisionId: office?.divisionId ?? '' };
}

export async function currentAssignment(tx: ArticlesTx, articleNumber: string): Promise<CurrentAssignment | null> {
  const [assignment] = await tx.$queryRawUnsafe<CurrentAssignment[]>(
    `SELECT article_number AS "articleNumber", attempt, postman_id AS "postmanId",
            to_char(delivery_date, 'YYYY-MM-DD') AS "deliveryDate", office_id AS "officeId",
            otp_required AS "otpRequired", otp_nonce AS "otpNonce", otp_failures AS "otpFailures", otp_used_at AS "otpUsedAt"
       FROM articles.delivery_assignment WHERE article_number = $1::bpchar ORDER BY attempt DESC LIMIT 1`,
    articleNumber,
  );
  return assignment ?? null;
}

/** The cash collected, checked against the article's COD amount: exactly that amount, or none for a non-COD article. */
function checkCod(article: ArticleRow, given: CodCollectedInput | null | undefined): CodCollectedInput | null {
  const due = article.codAmountPaise ?? 0;
  if (given == null) {
    if (due > 0) throw badInput(`Article ${article.articleNumber} is cash on delivery: give codCollected with the ${due} paise collected`, 'input.codCollected');
    return null;
  }
  const { amountPaise, mode, ...unhandled } = given;
  allFieldsHandled(unhandled);
  if (due === 0) throw badInput(`Article ${article.articleNumber} is not cash on delivery; leave codCollected out`, 'input.codCollected');
  if (amountPaise !== due) {
    throw badInput(`Article ${article.articleNumber} is cash on delivery for ${due} paise; ${amountPaise} paise were given. Collect exactly the amount due`, 'input.codCollected.amountPaise');
  }
  return { amountPaise, mode };
}

// ---------------------------------------------------------------------------------------------------
// assignForDelivery

/**
 * Gives articles to a postman for today: OUT_FOR_DELIVERY through the tracking machinery (same state
 * machine, same outbox events) and an assignment per article, with an OTP issue (a nonce) for those
 * that need one. A constant number of statements whatever the count: one lock, one lookup of earlier
 * assignments, one count of the beat, one tracking insert (with its outbox CTE), one article UPDATE,
 * one assignment insert.
 */
export async function assignForDelivery(ctx: ArticlesContext, input: AssignForDeliveryInput, idempotencyKey: string): Promise<AssignmentOutcome> {
  enforce(canAssignForDelivery(ctx.viewer));
  const { postmanId: givenPostman, articleNumbers: givenNumbers, date, ...unhandled } = input;
  allFieldsHandled(unhandled);
  const postmanId = givenPostman.trim();
  if (!STAFF_ID.test(postmanId)) {
    throw badInput('postmanId must be a staff id: "stf_" and 26 characters (the postman\'s id in the customers service)', 'input.postmanId');
  }
  const today = todayOf(ctx);
  if (!isIsoDate(date)) throw badInput('date must be an IST date written YYYY-MM-DD', 'input.date');
  if (date !== today) {
    throw badInput(`Articles go out for delivery on the day they are assigned: date must be today (${today} IST); got ${date}`, 'input.date');
  }
  if (givenNumbers.length === 0) throw badInput(`articleNumbers is empty; give 1 to ${MAX_ASSIGNED_PER_REQUEST}`, 'input.articleNumbers');
  if (givenNumbers.length > MAX_ASSIGNED_PER_REQUEST) {
    throw badInput(`Assign at most ${MAX_ASSIGNED_PER_REQUEST} articles per request; got ${givenNumbers.length}. Nothing was assigned`, 'input.articleNumbers');
  }
  const problems: ItemProblem[] = [];
  const seen = new Set<string>();
  const numbers: string[] = [];
  givenNumbers.forEach((given, index) => {
    const field = `input.articleNumbers[${index}]`;
    try {
      const articleNumber = parseArticleNumber(given, field);
      if (seen.has(articleNumber)) problems.push({ index, field, message: `Article ${articleNumber} is listed more than once` });
      seen.add(articleNumber);
      numbers.push(articleNumber);
    } catch (error) {
      if (!(error instanceof InputProblem)) throw error;
      problems.push({ index, field: error.field, message: error.message });
    }
  });
  if (problems.length) throw invalidItemsError(problems, givenNumbers.length, 'articles', 'nothing was assigned');

  const principal = principalOf(ctx.viewer)!;
  const claim = ctx.idempotency.claim(ctx.viewer, idempotencyKey, 'assignForDelivery', { postmanId, articleNumbers: numbers, date });
  return ctx.idempotency.run(claim, {
    prepare: () => checkAssignable(ctx, numbers),
    write: async (tx, officeOf) => ({ articleNumbers: await writeAssignments(ctx, tx, { numbers, officeOf, postmanId, date, principal }) }),
    answer: async (stored: { articleNumbers: string[] }, replayed) => {
      if (!replayed) ctx.deps.eventsRecorded();
      return { articles: await reloadArticles(ctx, stored.articleNumbers), replayed };
    },
  });
}

/**
 * What needs no lock: the articles exist, and the caller may give them out where they are (FORBIDDEN
 * listing the others). Returns each article's office, which the lock then confirms is unchanged.
 */
async function checkAssignable(ctx: ArticlesContext, numbers: readonly string[]): Promise<Map<string, string>> {
  const problems: ItemProblem[] = [];
  const articles = await ctx.loaders.articleByNumber.loadMany(numbers);
  const officeOf = new Map<string, string>();
  articles.forEach((article, index) => {
    if (article instanceof Error) throw article;
    const field = `input.articleNumbers[${index}]`;
    if (!article) problems.push({ index, field, message: `No article has the number ${numbers[index]}` });
    else if (!article.currentOfficeId) problems.push({ index, field, message: `Article ${article.articleNumber} has not reached a delivery office` });
    else officeOf.set(article.articleNumber, article.currentOfficeId);
  });
  if (problems.length) throw invalidItemsError(problems, numbers.length, 'articles', 'nothing was assigned');
  const offices = new Map<string, string>();
  for (const office of await ctx.loaders.officeRefById.loadMany([...new Set(officeOf.values())])) {
    if (office instanceof Error) throw office;
    if (office) offices.set(office.id, office.divisionId);
  }
  const refused: { index: number; message: string }[] = [];
  numbers.forEach((articleNumber, index) => {
    const officeId = officeOf.get(articleNumber)!;
    const decision = canAssignAt(ctx.viewer, { officeId, divisionId: offices.get(officeId) ?? '' });
    if (!decision.allowed) refused.push({ index, message: decision.reason });
  });
  if (refused.length) {
    throw apiError('FORBIDDEN', `You may not give out ${refused.length} of these articles: ${refused[0]!.message}${refused.length > 1 ? ' (and more)' : ''}; nothing was assigned`, {
      forbiddenItems: refused,
    });
  }
  return officeOf;
}

async function writeAssignments(
  ctx: ArticlesContext,
  tx: ArticlesTx,
  request: { numbers: readonly string[]; officeOf: Map<string, string>; postmanId: string; date: string; principal: string },
): Promise<string[]> {
  const { numbers, officeOf, postmanId, date, principal } = request;
  const now = ctx.deps.now();
  const locked = await lockArticles(tx, numbers);
  const lastTypes = await lastEventTypes(tx, numbers);
  const problems: ItemProblem[] = [];
  numbers.forEach((articleNumber, index) => {
    const field = `input.articleNumbers[${index}]`;
    const article = locked.get(articleNumber);
    if (!article) problems.push({ index, field, message: `No article has the number ${articleNumber}` });
    else if (!deliveryStage(article.status, lastTypes.get(articleNumber) ?? null).awaitingDelivery) {
      problems.push({
        index,
        field,
        message: `Article ${articleNumber} is ${article.status}; only articles ${STAGE_WORDING.awaitingDelivery} go out for delivery`,
        articleNumber,
        status: article.status,
      });
    } else if (article.currentOfficeId !== officeOf.get(articleNumber)) {
      // Moved between the access check and the lock: the check no longer covers where it is.
      problems.push({ index, field, message: `Article ${articleNumber} moved to another office while it was being assigned; try again` });
    }
  });
  if (problems.length) throw invalidItemsError(problems, numbers.length, 'articles', 'nothing was assigned');
  if ([...locked.values()].some((article) => article.otpRequired)) otpSecretOf(ctx);

  const [previous, [beat]] = await Promise.all([
    tx.$queryRawUnsafe<{ articleNumber: string; attempt: number }[]>(
      `SELECT article_number AS "articleNumber", max(attempt)::int AS attempt FROM articles.delivery_assignment
        WHERE article_number = ANY($1::bpchar[]) GROUP BY article_number`,
      numbers,
    ),
    tx.$queryRawUnsafe<{ carried: number }[]>(
      `SELECT count(DISTINCT article_number)::int AS carried FROM articles.delivery_assignment
        WHERE postman_id = $1 AND delivery_date = $2::date AND article_number <> ALL($3::bpchar[])`,
      postmanId,
      date,
      numbers,
    ),
  ]);
  if (beat!.carried + numbers.length > MAX_BEAT_SIZE) {
    throw badInput(
      `A postman carries at most ${MAX_BEAT_SIZE} articles a day; ${postmanId} already has ${beat!.carried} for ${date}, so ${numbers.length} more are too many`,
      'input.articleNumbers',
    );
  }
  const lastAttempt = new Map(previous.map((row) => [row.articleNumber, row.attempt]));

  const events: CheckedEvent[] = numbers.map((articleNumber, index) => ({
    index,
    articleNumber,
    type: 'OUT_FOR_DELIVERY',
    officeId: locked.get(articleNumber)!.currentOfficeId,
    nextOfficeId: null,
    reason: null,
    occurredAt: now,
  }));
  const rows = applyEvents(locked, events, principal, problems, { deliveryProved: false });
  if (problems.length) throw invalidItemsError(problems, numbers.length, 'articles', 'nothing was assigned');
  await writeEvents(tx, locked, rows);

  const assignments: NewAssignment[] = numbers.map((articleNumber) => {
    const article = locked.get(articleNumber)!;
    return {
      articleNumber,
      attempt: (lastAttempt.get(articleNumber) ?? 0) + 1,
      postmanId,
      deliveryDate: date,
      officeId: article.currentOfficeId!,
      assignedBy: principal,
      assignedAt: now,
      otpRequired: article.otpRequired,
      // A fresh nonce per issue: the OTP follows from it and the secret, and is stored nowhere.
      otpNonce: article.otpRequired ? newOtpNonce() : null,
    };
  });
  const insert = insertRowsStatement('articles.delivery_assignment', ASSIGNMENT_COLUMNS, assignments);
  await tx.$executeRawUnsafe(insert.sql, ...insert.params);
  return [...numbers];
}

// ---------------------------------------------------------------------------------------------------
// deliverArticle and deliverWithoutOtp

/** What a delivery's write stored: the article delivered, or (not recorded as an answer) a wrong OTP. */
type DeliveryWrite = { kind: 'DELIVERED'; articleNumber: string } | { kind: 'OTP_REJECTED'; attemptsLeft: number };

/** The proof a delivery is recorded with. */
type DeliveryProof =
  | { kind: 'OTP'; assignment: CurrentAssignment | null }
  | { kind: 'SUPERVISOR_APPROVAL'; assignment: CurrentAssignment | null; approvedBy: string; reason: string };

/**
 * deliverArticle: the assigned postman, today, with the addressee's OTP when the article needs one.
 * A wrong OTP must count although the mutation fails, and the count must hold against concurrent
 * guesses: the check runs under the article's row lock, and a wrong OTP commits that transaction with
 * only the incremented count in it (no idempotency record: write records its own only on success), so
 * the next guess, waiting on the lock, sees it.
 */
export async function deliverArticle(ctx: ArticlesContext, input: DeliverArticleInput, idempotencyKey: string): Promise<DeliveryOutcome> {
  enforce(canWorkBeat(ctx.viewer));
  const { articleNumber: givenNumber, otp: givenOtp, receivedBy: givenReceiver, codCollected, ...unhandled } = input;
  allFieldsHandled(unhandled);
  const articleNumber = asBadInput(() => parseArticleNumber(givenNumber, 'input.articleNumber'));
  const receivedBy = asBadInput(() => checkText(givenReceiver, 'input.receivedBy', MAX_RECEIVER, 'receivedBy'));
  const otp = givenOtp?.trim() || null;
  // Never echo what was given: it may be an OTP with a typo.
  if (otp !== null && !isOtpFormat(otp)) throw badInput('otp must be the six digits the addressee received', 'input.otp');

  const claim = ctx.idempotency.claim(ctx.viewer, idempotencyKey, 'deliverArticle', { articleNumber, otp, receivedBy, codCollected });
  return ctx.idempotency.run(claim, {
    writesRecord: true,
    prepare: async () => {
      const article = await existingArticle(ctx, articleNumber);
      return { article, cod: checkCod(article, codCollected) };
    },
    write: async (tx, { cod }, writeClaim): Promise<DeliveryWrite> => {
      const locked = await lockArticles(tx, [articleNumber]);
      const state = locked.get(articleNumber)!;
      const assignment = await currentAssignment(tx, articleNumber);
      const today = todayOf(ctx);
      enforce(canDeliverAssigned(ctx.viewer, assignment, today));
      await requireStage(tx, state, ['withPostman'], 'a postman delivers');
      if (state.otpRequired) {
        const rejected = await verifyOtp(ctx, tx, assignment!, otp);
        if (rejected) return rejected;
      }
      await recordDelivery(ctx, tx, { locked, state, cod, receivedBy, proof: { kind: 'OTP', assignment } });
      return recorded(ctx, tx, writeClaim, articleNumber);
    },
    answer: (stored: DeliveryWrite, replayed) => deliveryAnswer(ctx, stored, replayed),
  });
}

/**
 * Checks the OTP of the current issue; on a wrong one records the failure and answers how many tries
 * are left (the caller returns it, so the transaction commits with only that). Locked issues and a
 * missing OTP are errors.
 */
async function verifyOtp(ctx: ArticlesContext, tx: ArticlesTx, assignment: CurrentAssignment, otp: string | null): Promise<DeliveryWrite | null> {
  const secret = otpSecretOf(ctx);
  if (!assignment.otpNonce) throw new Error(`Article ${assignment.articleNumber} needs an OTP but its assignment ${assignment.attempt} has no OTP issue`);
  if (assignment.otpFailures >= MAX_OTP_FAILURES) {
    throw apiError('OTP_LOCKED', `Article ${assignment.articleNumber}: ${MAX_OTP_FAILURES} wrong OTPs were given; a supervisor must issue a new OTP (reissueDeliveryOtp) before it can be delivered`, {
      articleNumber: assignment.articleNumber,
    });
  }
  if (otp === null) {
    throw badInput(
      `Article ${assignment.articleNumber} is delivered only against the OTP sent to the addressee: give otp, or record OTP_NOT_PROVIDED with recordDeliveryAttempt, or ask a supervisor for deliverWithoutOtp`,
      'input.otp',
    );
  }
  const valid = otpStillValid(assignment.deliveryDate, ctx.deps.now()) && otpMatches(otp, deliveryOtpFor(assignment.articleNumber, assignment.deliveryDate, assignment.otpNonce, secret));
  if (valid) return null;
  const [counted] = await tx.$queryRawUnsafe<{ otpFailures: number }[]>(
    `UPDATE articles.delivery_assignment SET otp_failures = otp_failures + 1
      WHERE article_number = $1::bpchar AND attempt = $2 RETURNING otp_failures AS "otpFailures"`,
    assignment.articleNumber,
    assignment.attempt,
  );
  return { kind: 'OTP_REJECTED', attemptsLeft: Math.max(0, MAX_OTP_FAILURES - counted!.otpFailures) };
}

/** deliverWithoutOtp: a supervisor of the article's division (or an admin) approves, giving the reason. */
export async function deliverWithoutOtp(ctx: ArticlesContext, input: DeliverWithoutOtpInput, idempotencyKey: string): Promise<DeliveryOutcome> {
  enforce(canOverrideDelivery(ctx.viewer, null));
  const { articleNumber: givenNumber, receivedBy: givenReceiver, reason: givenReason, codCollected, ...unhandled } = input;
  allFieldsHandled(unhandled);
  const articleNumber = asBadInput(() => parseArticleNumber(givenNumber, 'input.articleNumber'));
  const receivedBy = asBadInput(() => checkText(givenReceiver, 'input.receivedBy', MAX_RECEIVER, 'receivedBy'));
  const reason = asBadInput(() => checkText(givenReason, 'input.reason', MAX_REASON, 'reason'));
  const principal = principalOf(ctx.viewer)!;

  const claim = ctx.idempotency.claim(ctx.viewer, idempotencyKey, 'deliverWithoutOtp', { articleNumber, receivedBy, reason, codCollected });
  return ctx.idempotency.run(claim, {
    writesRecord: true,
    prepare: async () => {
      const article = await existingArticle(ctx, articleNumber);
      enforce(canOverrideDelivery(ctx.viewer, await officeScopeOf(ctx, article)));
      return { article, cod: checkCod(article, codCollected) };
    },
    write: async (tx, { article, cod }, writeClaim): Promise<DeliveryWrite> => {
      const locked = await lockArticles(tx, [articleNumber]);
      const state = locked.get(articleNumber)!;
      if (state.currentOfficeId !== article.currentOfficeId) throw badInput(`Article ${articleNumber} moved while its delivery was being approved; try again`, 'input.articleNumber');
      await requireStage(tx, state, ['awaitingDelivery', 'withPostman'], 'a supervisor approves the delivery of');
      const assignment = await currentAssignment(tx, articleNumber);
      await recordDelivery(ctx, tx, { locked, state, cod, receivedBy, proof: { kind: 'SUPERVISOR_APPROVAL', assignment, approvedBy: principal, reason } });
      return recorded(ctx, tx, writeClaim, articleNumber);
    },
    answer: (stored: DeliveryWrite, replayed) => deliveryAnswer(ctx, stored, replayed),
  });
}

/** DELIVERED through the tracking machinery, the proof beside it, and the OTP marked used. */
async function recordDelivery(
  ctx: ArticlesContext,
  tx: ArticlesTx,
  delivery: { locked: Map<string, ArticleState>; state: ArticleState; cod: CodCollectedInput | null; receivedBy: string; proof: DeliveryProof },
): Promise<void> {
  const { locked, state, cod, receivedBy, proof } = delivery;
  const now = ctx.deps.now();
  const principal = principalOf(ctx.viewer)!;
  const problems: ItemProblem[] = [];
  const officeId = proof.assignment?.officeId ?? state.currentOfficeId;
  if (!officeId) throw badInput(`Article ${state.articleNumber} has not reached a delivery office`, 'input.articleNumber');
  const [row] = applyEvents(
    locked,
    [{ index: 0, articleNumber: state.articleNumber, type: 'DELIVERED', officeId, nextOfficeId: null, reason: null, occurredAt: now }],
    principal,
    problems,
    { deliveryProved: true },
  );
  if (problems.length) throw singleArticleProblem(problems);
  locked.get(state.articleNumber)!.codMode = cod?.mode ?? null;
  await writeEvents(tx, locked, [row!]);
  await tx.articleDelivery.create({
    data: {
      articleNumber: state.articleNumber,
      sequence: row!.sequence,
      proofKind: proof.kind,
      attempt: proof.assignment?.attempt ?? null,
      receivedBy,
      approvedBy: proof.kind === 'SUPERVISOR_APPROVAL' ? proof.approvedBy : null,
      approvalReason: proof.kind === 'SUPERVISOR_APPROVAL' ? proof.reason : null,
      codCollectedPaise: cod?.amountPaise ?? null,
      codMode: cod?.mode ?? null,
      deliveredBy: principal,
      deliveredAt: now,
    },
  });
  // Single use: an OTP (or its issue, when a supervisor approved instead) proves one delivery only.
  if (proof.assignment?.otpNonce) {
    await tx.$executeRawUnsafe(
      `UPDATE articles.delivery_assignment SET otp_used_at = $3::timestamptz WHERE article_number = $1::bpchar AND attempt = $2`,
      state.articleNumber,
      proof.assignment.attempt,
      now.toISOString(),
    );
  }
}

/** Records a successful delivery's idempotency answer in its transaction (write records its own). */
async function recorded(ctx: ArticlesContext, tx: ArticlesTx, claim: IdempotencyClaim, articleNumber: string): Promise<DeliveryWrite> {
  const stored: DeliveryWrite = { kind: 'DELIVERED', articleNumber };
  const record = ctx.idempotency.recordStatement(claim, stored);
  await tx.$executeRawUnsafe(record.sql, ...record.params);
  return stored;
}

async function deliveryAnswer(ctx: ArticlesContext, stored: DeliveryWrite, replayed: boolean): Promise<DeliveryOutcome> {
  if (stored.kind === 'OTP_REJECTED') {
    throw apiError(
      'OTP_INVALID',
      stored.attemptsLeft > 0
        ? `That is not the OTP for this delivery; ${stored.attemptsLeft} ${stored.attemptsLeft === 1 ? 'try is' : 'tries are'} left`
        : `That is not the OTP for this delivery; no tries are left, so a supervisor must issue a new OTP (reissueDeliveryOtp)`,
      { attemptsLeft: stored.attemptsLeft },
    );
  }
  if (!replayed) ctx.deps.eventsRecorded();
  const [article] = await reloadArticles(ctx, [stored.articleNumber]);
  return { article: article!, replayed };
}

// ---------------------------------------------------------------------------------------------------
// recordDeliveryAttempt

/**
 * A failed attempt by the assigned postman: DELIVERY_ATTEMPTED through the machinery and, when the
 * domain's policy says so (the deployment's maximum of attempts, or a reason no visit cures), the
 * return to the sender as one more tracking event in the same transaction.
 */
export async function recordDeliveryAttempt(ctx: ArticlesContext, input: DeliveryAttemptInput, idempotencyKey: string): Promise<DeliveryAttemptOutcome> {
  enforce(canWorkBeat(ctx.viewer));
  const { articleNumber: givenNumber, reason, ...unhandled } = input;
  allFieldsHandled(unhandled);
  const articleNumber = asBadInput(() => parseArticleNumber(givenNumber, 'input.articleNumber'));
  const principal = principalOf(ctx.viewer)!;

  const claim = ctx.idempotency.claim(ctx.viewer, idempotencyKey, 'recordDeliveryAttempt', { articleNumber, reason });
  return ctx.idempotency.run(claim, {
    prepare: () => existingArticle(ctx, articleNumber),
    write: async (tx) => {
      const locked = await lockArticles(tx, [articleNumber]);
      const assignment = await currentAssignment(tx, articleNumber);
      enforce(canDeliverAssigned(ctx.viewer, assignment, todayOf(ctx)));
      const stage = await requireStage(tx, locked.get(articleNumber)!, ['withPostman'], 'a postman records an attempt for');
      // Attempts on the way out only: those on a return leg leave the article RETURNED_TO_SENDER.
      const earlier = await tx.$queryRawUnsafe<{ reason: NonDeliveryReason }[]>(
        `SELECT reason::text AS reason FROM articles.tracking_event
          WHERE article_number = $1::bpchar AND type = 'DELIVERY_ATTEMPTED' AND status_after = 'DELIVERY_ATTEMPTED' ORDER BY sequence`,
        articleNumber,
      );
      const now = ctx.deps.now();
      const event = (type: CheckedEvent['type'], index: number): CheckedEvent => ({
        index,
        articleNumber,
        type,
        officeId: assignment!.officeId,
        nextOfficeId: null,
        reason,
        occurredAt: now,
      });
      const problems: ItemProblem[] = [];
      const attempted = applyEvents(locked, [event('DELIVERY_ATTEMPTED', 0)], principal, problems, { deliveryProved: false });
      if (problems.length) throw singleArticleProblem(problems);
      // A return leg has nowhere further back to go: its failed attempts keep it RETURNED_TO_SENDER at
      // the sender's office (what happens to an article nobody takes is the returned-letter office's).
      const returns =
        stage.leg === 'OUTWARD' && nextStepAfterAttempt([...earlier.map((row) => row.reason), reason], ctx.deps.maxDeliveryAttempts) === 'RETURN_TO_SENDER';
      const returned = returns ? applyEvents(locked, [event('RETURNED_TO_SENDER', 0)], principal, problems, { deliveryProved: false }) : [];
      if (problems.length) throw singleArticleProblem(problems);
      await writeEvents(tx, locked, [...attempted, ...returned]);
      return { articleNumber, returnedToSender: returns };
    },
    answer: async (stored: { articleNumber: string; returnedToSender: boolean }, replayed) => {
      if (!replayed) ctx.deps.eventsRecorded();
      const [article] = await reloadArticles(ctx, [stored.articleNumber]);
      return { article: article!, returnedToSender: stored.returnedToSender, replayed };
    },
  });
}

// ---------------------------------------------------------------------------------------------------
// reissueDeliveryOtp

/** A new nonce for the current issue (so a new OTP) with its failures forgotten; the old OTP stops working. */
export async function reissueDeliveryOtp(ctx: ArticlesContext, givenNumber: string, idempotencyKey: string): Promise<DeliveryOutcome> {
  enforce(canOverrideDelivery(ctx.viewer, null));
  const articleNumber = asBadInput(() => parseArticleNumber(givenNumber, 'articleNumber'));
  const claim = ctx.idempotency.claim(ctx.viewer, idempotencyKey, 'reissueDeliveryOtp', { articleNumber });
  return ctx.idempotency.run(claim, {
    prepare: async () => {
      const article = await existingArticle(ctx, articleNumber);
      enforce(canOverrideDelivery(ctx.viewer, await officeScopeOf(ctx, article)));
    },
    write: async (tx) => {
      const state = (await lockArticles(tx, [articleNumber])).get(articleNumber)!;
      const assignment = await currentAssignment(tx, articleNumber);
      await requireStage(tx, state, ['withPostman'], 'a supervisor reissues the OTP of', 'articleNumber');
      if (!assignment?.otpRequired) {
        throw badInput(`Article ${articleNumber} (${state.status}) has no OTP to reissue: only an article that needs an OTP has one`, 'articleNumber');
      }
      otpSecretOf(ctx);
      await tx.$executeRawUnsafe(
        `UPDATE articles.delivery_assignment SET otp_nonce = $3, otp_failures = 0, otp_issued_at = $4::timestamptz
          WHERE article_number = $1::bpchar AND attempt = $2`,
        articleNumber,
        assignment.attempt,
        newOtpNonce(),
        ctx.deps.now().toISOString(),
      );
      // The SMS with the new OTP goes through the outbox, so a crash after this commit still sends it.
      await recordOtpSent(tx, { state, attempt: assignment.attempt, why: 'REISSUED', at: ctx.deps.now() });
      return { articleNumber };
    },
    answer: async (stored: { articleNumber: string }, replayed) => {
      if (!replayed) ctx.deps.eventsRecorded();
      const [article] = await reloadArticles(ctx, [stored.articleNumber]);
      return { article: article!, replayed };
    },
  });
}
