import { allFieldsHandled, badInput, enforce, forbidden, newId, notFound } from '@dakgraph/graphql-kit';
import type { CodCollectionMode, DeliverySyncEventInput, NonDeliveryReason } from '../__generated__/resolvers-types';
import { canWorkBeat, principalOf } from '../access';
import type { ArticlesContext } from '../context';
import { insertRowsStatement, type ArticleRow, type ArticlesTx, type BulkColumn } from '../db';
import {
  CLIENT_EVENT_ID,
  DEVICE_CLOCK_SKEW_MS,
  DEVICE_ID,
  MAX_OTP_FAILURES,
  MAX_SYNC_EVENTS,
  TransitionError,
  applyEvent,
  compareSyncEvents,
  deliveryOtpFor,
  deliveryStage,
  isOtpFormat,
  nextStepAfterAttempt,
  otpMatches,
  otpStillValid,
  syncFingerprint,
  type ArticleStatus,
  type DeliverySyncKind,
  type DeliverySyncRejection,
  type TrackingEventType,
} from '../domain';
import { toIst } from '../domain/ist';
import { parseArticleNumber } from './articleNumbers';
import { otpSecretOf, type CurrentAssignment as LatestAssignment } from './delivery';
import type { NewTrackingEvent } from './events';
import { checkText } from './parties';
import { InputProblem, invalidItemsError, type ItemProblem } from './problems';
import { applyEvents, lockArticles, writeEvents, type ArticleState, type CheckedEvent } from './tracking';

/**
 * Offline delivery for postmen out of signal: a handheld records deliveries and attempts, and syncs them
 * hours later, maybe twice, maybe out of order.
 *
 * Each event is kept (articles.delivery_sync_event) by the device and the device's id for it, so a second
 * sync finds it and changes nothing. Checks that depend on the event alone (its form, its article and
 * assignment, its time, its OTP, its cash) decide once whether it is a *candidate*. Whether a candidate is
 * in the timeline depends on the others (nothing follows a delivery or a return), so the trailing part of
 * an article's timeline that syncs made is derived again, from all its candidates in the order things
 * happened, whenever a sync brings it a new one: the same set of events gives the same timeline, state and
 * counts whatever order they came in. Events recorded online after a synced one freeze what is before
 * them. Every write is one statement for the whole batch.
 */

/** What a sync reports for one event. */
export interface SyncEventResult {
  clientEventId: string;
  outcome: 'APPLIED' | 'DUPLICATE' | 'REJECTED';
  standing: 'APPLIED' | 'REJECTED';
  code: DeliverySyncRejection | null;
  message: string | null;
  otpAttemptsLeft: number | null;
  article: ArticleRow | null;
}

export interface SyncOutcome {
  results: SyncEventResult[];
  applied: number;
  duplicates: number;
  rejected: number;
}

export interface DeliveryDeviceRow {
  id: string;
  postmanId: string;
  label: string;
  registeredAt: string;
}

/** An article's latest assignment, with when it went out (no synced event happened before that). */
type CurrentAssignment = LatestAssignment & { assignedAt: Date };

/** A synced event as kept: the stored ones, and this sync's new ones once checked. */
interface SyncEvent {
  deviceId: string;
  clientEventId: string;
  articleNumber: string;
  kind: DeliverySyncKind;
  occurredAt: Date | null;
  reason: NonDeliveryReason | null;
  receivedBy: string | null;
  codCollectedPaise: number | null;
  codMode: CodCollectionMode | null;
  latitude: number | null;
  longitude: number | null;
  fingerprint: string;
  attempt: number | null;
  candidate: boolean;
  standing: 'APPLIED' | 'REJECTED';
  code: DeliverySyncRejection | null;
  message: string | null;
  sequence: number | null;
  produced: number;
  syncedAt: Date;
}

/** A candidate's verdict in a derivation, compared with what was stored to write only what changed. */
type Verdict = Pick<SyncEvent, 'standing' | 'code' | 'message' | 'sequence' | 'produced'>;

interface TrackingRow {
  articleNumber: string;
  sequence: number;
  type: TrackingEventType;
  occurredAt: Date;
  statusAfter: ArticleStatus;
  reason: NonDeliveryReason | null;
  officeId: string | null;
}

const MAX_LABEL = 100;
const MAX_RECEIVER = 100;

const SYNC_EVENT_COLUMNS: readonly BulkColumn<SyncEvent>[] = [
  { column: 'device_id', type: 'text', value: (e) => e.deviceId },
  { column: 'client_event_id', type: 'text', value: (e) => e.clientEventId },
  { column: 'article_number', type: 'text', value: (e) => e.articleNumber },
  { column: 'kind', type: 'articles."DeliverySyncKind"', value: (e) => e.kind },
  { column: 'occurred_at', type: 'timestamptz', value: (e) => e.occurredAt },
  { column: 'reason', type: 'articles."NonDeliveryReason"', value: (e) => e.reason },
  { column: 'received_by', type: 'text', value: (e) => e.receivedBy },
  { column: 'cod_collected_paise', type: 'int', value: (e) => e.codCollectedPaise },
  { column: 'cod_mode', type: 'articles."CodCollectionMode"', value: (e) => e.codMode },
  { column: 'latitude', type: 'float8', value: (e) => e.latitude },
  { column: 'longitude', type: 'float8', value: (e) => e.longitude },
  { column: 'fingerprint', type: 'bpchar', value: (e) => e.fingerprint },
  { column: 'attempt', type: 'int', value: (e) => e.attempt },
  { column: 'candidate', type: 'boolean', value: (e) => e.candidate },
  { column: 'standing', type: 'articles."DeliverySyncStanding"', value: (e) => e.standing },
  { column: 'code', type: 'text', value: (e) => e.code },
  { column: 'message', type: 'text', value: (e) => e.message },
  { column: 'sequence', type: 'int', value: (e) => e.sequence },
  { column: 'produced', type: 'int', value: (e) => e.produced },
  { column: 'synced_at', type: 'timestamptz', value: (e) => e.syncedAt },
];

interface NewProof {
  articleNumber: string;
  sequence: number;
  attempt: number;
  receivedBy: string;
  codCollectedPaise: number | null;
  codMode: CodCollectionMode | null;
  deliveredBy: string;
  deliveredAt: Date;
}

const PROOF_COLUMNS: readonly BulkColumn<NewProof>[] = [
  { column: 'article_number', type: 'bpchar', value: (p) => p.articleNumber },
  { column: 'sequence', type: 'int', value: (p) => p.sequence },
  { column: 'proof_kind', type: 'articles."DeliveryProofKind"', value: () => 'OTP' },
  { column: 'attempt', type: 'int', value: (p) => p.attempt },
  { column: 'received_by', type: 'text', value: (p) => p.receivedBy },
  { column: 'cod_collected_paise', type: 'int', value: (p) => p.codCollectedPaise },
  { column: 'cod_mode', type: 'articles."CodCollectionMode"', value: (p) => p.codMode },
  { column: 'delivered_by', type: 'text', value: (p) => p.deliveredBy },
  { column: 'delivered_at', type: 'timestamptz', value: (p) => p.deliveredAt },
];

const SYNC_EVENT_SELECT = `SELECT device_id AS "deviceId", client_event_id AS "clientEventId", article_number AS "articleNumber",
        kind::text AS kind, occurred_at AS "occurredAt", reason::text AS reason, received_by AS "receivedBy",
        cod_collected_paise AS "codCollectedPaise", cod_mode::text AS "codMode", latitude, longitude, fingerprint,
        attempt, candidate, standing::text AS standing, code, message, sequence, produced, synced_at AS "syncedAt"
   FROM articles.delivery_sync_event`;

// ---------------------------------------------------------------------------------------------------
// registerDeliveryDevice

/** A handheld for the calling postman; the id is the device's from now on. */
export async function registerDeliveryDevice(ctx: ArticlesContext, givenLabel: string, idempotencyKey: string): Promise<{ device: DeliveryDeviceRow; replayed: boolean }> {
  enforce(canWorkBeat(ctx.viewer));
  let label: string;
  try {
    label = checkText(givenLabel, 'label', MAX_LABEL, 'label');
  } catch (error) {
    if (error instanceof InputProblem) throw badInput(error.message, error.field);
    throw error;
  }
  const postmanId = ctx.viewer.id!;
  const claim = ctx.idempotency.claim(ctx.viewer, idempotencyKey, 'registerDeliveryDevice', { label });
  return ctx.idempotency.run(claim, {
    write: async (tx) => {
      const id = newId('dev');
      await tx.$executeRawUnsafe(
        `INSERT INTO articles.delivery_device (id, postman_id, label, registered_at) VALUES ($1, $2, $3, $4::timestamptz)`,
        id,
        postmanId,
        label,
        ctx.deps.now().toISOString(),
      );
      return { id };
    },
    answer: async (stored: { id: string }, replayed) => {
      const [device] = await ctx.prisma.$queryRawUnsafe<DeliveryDeviceRow[]>(
        `SELECT id, postman_id AS "postmanId", label, to_char(registered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "registeredAt"
           FROM articles.delivery_device WHERE id = $1`,
        stored.id,
      );
      if (!device) throw new Error(`Device ${stored.id} vanished after it was registered`);
      return { device, replayed };
    },
  });
}

// ---------------------------------------------------------------------------------------------------
// syncDeliveryEvents

export async function syncDeliveryEvents(ctx: ArticlesContext, givenDeviceId: string, inputs: readonly DeliverySyncEventInput[]): Promise<SyncOutcome> {
  enforce(canWorkBeat(ctx.viewer));
  const deviceId = givenDeviceId.trim();
  if (!DEVICE_ID.test(deviceId)) throw badInput('deviceId must be the id registerDeliveryDevice gave: "dev_" and 26 characters', 'deviceId');
  if (inputs.length === 0) throw badInput(`events is empty; send 1 to ${MAX_SYNC_EVENTS} events`, 'events');
  if (inputs.length > MAX_SYNC_EVENTS) {
    throw badInput(`Sync at most ${MAX_SYNC_EVENTS} events at a time; got ${inputs.length}. Split the batch; nothing was synced`, 'events');
  }
  const problems: ItemProblem[] = [];
  const ids = new Set<string>();
  inputs.forEach((input, index) => {
    const field = `events[${index}].clientEventId`;
    if (!CLIENT_EVENT_ID.test(input.clientEventId)) {
      problems.push({ index, field, message: 'clientEventId must be 1 to 64 letters, digits and . _ : -' });
    } else if (ids.has(input.clientEventId)) {
      problems.push({ index, field, message: `clientEventId ${input.clientEventId} is given to more than one event of this batch` });
    }
    ids.add(input.clientEventId);
  });
  if (problems.length) throw invalidItemsError(problems, inputs.length, 'events', 'nothing was synced');

  const principal = principalOf(ctx.viewer)!;
  const now = ctx.deps.now();
  const outcome = await ctx.prisma.$transaction(
    async (tx) => {
      await lockDevice(tx, deviceId, ctx.viewer.id!);
      const stored = await storedEvents(tx, deviceId, inputs.map((input) => input.clientEventId));
      const fresh: { input: DeliverySyncEventInput; event: SyncEvent }[] = [];
      const reused = new Set<string>();
      for (const input of inputs) {
        const event = readEvent(input, deviceId, now);
        const earlier = stored.get(input.clientEventId);
        if (!earlier) fresh.push({ input, event });
        else if (earlier.fingerprint !== event.fingerprint) reused.add(input.clientEventId);
      }
      const sync = new Sync(ctx, tx, principal);
      await sync.run(fresh);
      return { stored, reused, verdicts: sync.verdicts, otpAttemptsLeft: sync.otpAttemptsLeft, freshEvents: new Map(fresh.map(({ event }) => [event.clientEventId, event])), changed: sync.changedArticles };
    },
    { timeout: 60_000 },
  );
  if (outcome.changed.size) ctx.deps.eventsRecorded();
  for (const articleNumber of outcome.changed) {
    ctx.loaders.articleByNumber.clear(articleNumber);
    ctx.loaders.eventsByArticle.clear(articleNumber);
    ctx.loaders.deliveryByArticle.clear(articleNumber);
  }

  const results: SyncEventResult[] = [];
  const articleNumbers: (string | null)[] = [];
  for (const input of inputs) {
    const key = input.clientEventId;
    const fresh = outcome.freshEvents.get(key);
    const earlier = outcome.stored.get(key);
    if (outcome.reused.has(key)) {
      results.push({
        clientEventId: key,
        outcome: 'REJECTED',
        standing: 'REJECTED',
        code: 'CLIENT_EVENT_ID_REUSED',
        message: `clientEventId ${key} was synced from this device before for a different event; give each event its own id`,
        otpAttemptsLeft: null,
        article: null,
      });
      articleNumbers.push(null);
      continue;
    }
    const event = fresh ?? earlier!;
    const verdict = outcome.verdicts.get(keyOf({ deviceId, clientEventId: key })) ?? event;
    results.push({
      clientEventId: key,
      outcome: fresh ? verdict.standing : 'DUPLICATE',
      standing: verdict.standing,
      code: verdict.code,
      message: verdict.message,
      otpAttemptsLeft: fresh ? (outcome.otpAttemptsLeft.get(key) ?? null) : null,
      article: null,
    });
    articleNumbers.push(event.articleNumber);
  }
  const wanted = [...new Set(articleNumbers.filter((n): n is string => n !== null && n.length === 13))];
  const articles = new Map<string, ArticleRow>();
  for (const row of await ctx.loaders.articleByNumber.loadMany(wanted)) {
    if (row instanceof Error) throw row;
    if (row) articles.set(row.articleNumber, row);
  }
  results.forEach((result, i) => {
    const articleNumber = articleNumbers[i];
    result.article = articleNumber ? (articles.get(articleNumber) ?? null) : null;
  });
  return {
    results,
    applied: results.filter((r) => r.outcome === 'APPLIED').length,
    duplicates: results.filter((r) => r.outcome === 'DUPLICATE').length,
    rejected: results.filter((r) => r.outcome === 'REJECTED').length,
  };
}

/** The device, locked so that two syncs from it run one after the other; NOT_FOUND or FORBIDDEN. */
async function lockDevice(tx: ArticlesTx, deviceId: string, postmanId: string): Promise<void> {
  const [device] = await tx.$queryRawUnsafe<{ postmanId: string }[]>(
    `SELECT postman_id AS "postmanId" FROM articles.delivery_device WHERE id = $1 FOR UPDATE`,
    deviceId,
  );
  if (!device) throw notFound(`No delivery device has the id ${deviceId}; register the handheld with registerDeliveryDevice`);
  if (device.postmanId !== postmanId) throw forbidden(`Device ${deviceId} is registered to another postman; sync only from your own handheld`);
}

async function storedEvents(tx: ArticlesTx, deviceId: string, clientEventIds: readonly string[]): Promise<Map<string, SyncEvent>> {
  const rows = await tx.$queryRawUnsafe<SyncEvent[]>(`${SYNC_EVENT_SELECT} WHERE device_id = $1 AND client_event_id = ANY($2::text[])`, deviceId, clientEventIds);
  return new Map(rows.map((row) => [row.clientEventId, normalise(row)]));
}

function normalise(row: SyncEvent): SyncEvent {
  return { ...row, occurredAt: row.occurredAt ? new Date(row.occurredAt) : null, syncedAt: new Date(row.syncedAt) };
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The event as given, fingerprinted; REJECTED INVALID_EVENT or FUTURE_TIME already when its form says so. */
function readEvent(input: DeliverySyncEventInput, deviceId: string, now: Date): SyncEvent {
  const { clientEventId, articleNumber: givenNumber, kind, occurredAt: givenTime, otp: _otp, reason, receivedBy, codCollected, location, ...unhandled } = input;
  allFieldsHandled(unhandled);
  const event: SyncEvent = {
    deviceId,
    clientEventId,
    articleNumber: givenNumber.trim().slice(0, 40),
    kind,
    occurredAt: null,
    reason: reason ?? null,
    receivedBy: null,
    codCollectedPaise: codCollected?.amountPaise ?? null,
    codMode: codCollected?.mode ?? null,
    latitude: location?.latitude ?? null,
    longitude: location?.longitude ?? null,
    fingerprint: syncFingerprint({ articleNumber: givenNumber, kind, occurredAt: givenTime, reason, receivedBy, codCollected, location }),
    attempt: null,
    candidate: false,
    standing: 'REJECTED',
    code: null,
    message: null,
    sequence: null,
    produced: 0,
    syncedAt: now,
  };
  const refuse = (code: DeliverySyncRejection, message: string): SyncEvent => Object.assign(event, { code, message });
  try {
    event.articleNumber = parseArticleNumber(givenNumber, 'articleNumber');
  } catch (error) {
    if (!(error instanceof InputProblem)) throw error;
    return refuse('INVALID_EVENT', error.message);
  }
  const occurredAt = new Date(givenTime);
  if (!ISO_INSTANT.test(givenTime) || !Number.isFinite(occurredAt.getTime())) {
    return refuse('INVALID_EVENT', `occurredAt must be an ISO 8601 time with a zone, like "2026-11-25T10:42:00+05:30"; got "${givenTime.slice(0, 40)}"`);
  }
  event.occurredAt = occurredAt;
  if (occurredAt.getTime() > now.getTime() + DEVICE_CLOCK_SKEW_MS) {
    return refuse('FUTURE_TIME', `occurredAt ${occurredAt.toISOString()} is more than 10 minutes ahead of the server's clock (${now.toISOString()}): set the device's clock and record it again`);
  }
  if (location && !(Math.abs(location.latitude) <= 90 && Math.abs(location.longitude) <= 180)) {
    return refuse('INVALID_EVENT', 'location must have a latitude from -90 to 90 and a longitude from -180 to 180 (degrees, WGS 84)');
  }
  if (kind === 'ATTEMPTED') {
    if (receivedBy != null || codCollected != null || input.otp != null) return refuse('INVALID_EVENT', 'An attempt has no otp, receivedBy or codCollected; give its reason');
    if (!reason) return refuse('INVALID_EVENT', 'An attempt needs its reason (why it was not delivered)');
    try {
      applyEvent('OUT_FOR_DELIVERY', { type: 'DELIVERY_ATTEMPTED', reason, nextOfficeId: null });
    } catch (error) {
      if (!(error instanceof TransitionError)) throw error;
      return refuse('INVALID_EVENT', `reason ${reason}: ${error.message}`);
    }
  } else {
    if (reason != null) return refuse('INVALID_EVENT', 'A delivery has no reason; leave it out');
    try {
      event.receivedBy = checkText(receivedBy ?? '', 'receivedBy', MAX_RECEIVER, 'receivedBy');
    } catch (error) {
      if (!(error instanceof InputProblem)) throw error;
      return refuse('INVALID_EVENT', `A delivery needs who took the article: ${error.message}`);
    }
    // Never echo what was given: it may be an OTP with a typo.
    if (input.otp != null && !isOtpFormat(input.otp.trim())) return refuse('INVALID_EVENT', 'otp must be the six digits the addressee received');
  }
  event.standing = 'APPLIED';
  return event;
}

/** Everything a sync does inside its transaction. */
class Sync {
  /** The verdict of every event this sync decided, by device and client id. */
  readonly verdicts = new Map<string, Verdict>();
  readonly changedArticles = new Set<string>();
  /** For this sync's wrong OTPs, by client id: the tries left after each. */
  readonly otpAttemptsLeft = new Map<string, number>();

  constructor(
    private readonly ctx: ArticlesContext,
    private readonly tx: ArticlesTx,
    private readonly principal: string,
  ) {}

  async run(fresh: readonly { input: DeliverySyncEventInput; event: SyncEvent }[]): Promise<void> {
    const { tx } = this;
    const formed = fresh.filter(({ event }) => event.code === null);
    const numbers = [...new Set(formed.map(({ event }) => event.articleNumber))];
    const locked = await lockArticles(tx, numbers);
    const assignments = await currentAssignments(tx, [...locked.keys()]);

    // The checks that need the article but no other event: they make the event a candidate, or not.
    const failures = new Map<string, number>();
    const wrongOtps: SyncEvent[] = [];
    const rightOtps: SyncEvent[] = [];
    for (const { input, event } of [...formed].sort((a, b) => compareSyncEvents(a.event as Ordered, b.event as Ordered))) {
      const refusal = this.checkAgainstArticle(input, event, locked.get(event.articleNumber), assignments.get(event.articleNumber));
      if (refusal === 'WRONG_OTP') wrongOtps.push(event);
      else if (refusal === 'RIGHT_OTP') rightOtps.push(event);
      else if (refusal) Object.assign(event, refusal);
      else event.candidate = true;
    }
    // Five wrong OTPs lock the issue whatever else the batch holds; the batch's wrong ones count first.
    for (const event of wrongOtps) {
      const assignment = assignments.get(event.articleNumber)!;
      const counted = (failures.get(event.articleNumber) ?? assignment.otpFailures) + 1;
      failures.set(event.articleNumber, counted);
      const left = Math.max(0, MAX_OTP_FAILURES - counted);
      this.otpAttemptsLeft.set(event.clientEventId, left);
      Object.assign(event, {
        code: 'OTP_INVALID',
        message: left > 0 ? `That is not the OTP for this delivery; ${left} ${left === 1 ? 'try is' : 'tries are'} left` : 'That is not the OTP for this delivery; no tries are left, so a supervisor must issue a new OTP (reissueDeliveryOtp)',
      });
    }
    for (const event of rightOtps) {
      const assignment = assignments.get(event.articleNumber)!;
      if ((failures.get(event.articleNumber) ?? assignment.otpFailures) >= MAX_OTP_FAILURES) {
        Object.assign(event, { code: 'OTP_LOCKED', message: `${MAX_OTP_FAILURES} wrong OTPs were given for article ${event.articleNumber}; a supervisor must issue a new OTP (reissueDeliveryOtp)` });
      } else {
        event.candidate = true;
      }
    }
    for (const { event } of fresh) {
      if (!event.candidate) Object.assign(event, { standing: 'REJECTED' });
      this.verdicts.set(keyOf(event), event);
    }

    // The timelines of the articles given a new candidate, derived again from all their candidates.
    const derived = [...new Set(formed.filter(({ event }) => event.candidate).map(({ event }) => event.articleNumber))];
    const candidates = await storedCandidates(tx, derived.map((n) => [n, assignments.get(n)!.attempt]));
    for (const { event } of formed) if (event.candidate) candidates.push(event);
    const history = await trackingHistory(tx, derived);
    const rewrites: { articleNumber: string; from: number }[] = [];
    const rows: NewTrackingEvent[] = [];
    const announced = new Set<NewTrackingEvent>();
    const proofs: NewProof[] = [];
    const otpUse: { articleNumber: string; attempt: number; usedAt: Date | null }[] = [];
    for (const articleNumber of derived) {
      const article = locked.get(articleNumber)!;
      const assignment = assignments.get(articleNumber)!;
      const own = candidates.filter((c) => c.articleNumber === articleNumber);
      const timeline = this.derive(article, assignment, own, history.get(articleNumber) ?? []);
      if (!timeline) continue;
      rewrites.push({ articleNumber, from: timeline.from });
      rows.push(...timeline.rows);
      for (const row of timeline.announced) announced.add(row);
      if (timeline.proof) proofs.push(timeline.proof);
      if (timeline.otpUsedAt !== undefined) otpUse.push({ articleNumber, attempt: assignment.attempt, usedAt: timeline.otpUsedAt });
      this.changedArticles.add(articleNumber);
    }

    const freshEvents = new Set(fresh.map(({ event }) => event));
    await this.write({ fresh: [...freshEvents], stored: candidates.filter((c) => !freshEvents.has(c)), locked, rewrites, rows, announced, proofs, otpUse, failures, assignments });
  }

  /**
   * The checks of one new event against its article and assignment. Null when it is a candidate;
   * WRONG_OTP / RIGHT_OTP for an OTP to count; otherwise why not.
   */
  private checkAgainstArticle(
    input: DeliverySyncEventInput,
    event: SyncEvent,
    article: ArticleState | undefined,
    assignment: CurrentAssignment | undefined,
  ): Pick<SyncEvent, 'code' | 'message'> | 'WRONG_OTP' | 'RIGHT_OTP' | null {
    const refuse = (code: DeliverySyncRejection, message: string) => ({ code, message });
    const n = event.articleNumber;
    if (!article) return refuse('UNKNOWN_ARTICLE', `No article has the number ${n}`);
    const occurredAt = event.occurredAt!;
    if (occurredAt < article.bookedAt) return refuse('BEFORE_BOOKING', `occurredAt ${occurredAt.toISOString()} is before article ${n} was booked (${article.bookedAt.toISOString()})`);
    if (!assignment || assignment.postmanId !== this.ctx.viewer.id) return refuse('NOT_ASSIGNED', `Article ${n} is not assigned to you for delivery`);
    event.attempt = assignment.attempt;
    const day = toIst(occurredAt).date;
    if (day !== assignment.deliveryDate) {
      return refuse('NOT_ASSIGNED', `Article ${n} was assigned to you for ${assignment.deliveryDate}; this event happened on ${day} (IST)`);
    }
    if (occurredAt < assignment.assignedAt) {
      return refuse('BEFORE_ASSIGNMENT', `occurredAt ${occurredAt.toISOString()} is before article ${n} went out for delivery (${assignment.assignedAt.toISOString()})`);
    }
    if (event.kind === 'ATTEMPTED') return null;
    const due = article.codAmountPaise ?? 0;
    if (due > 0 && event.codCollectedPaise !== due) {
      return refuse('COD_MISMATCH', `Article ${n} is cash on delivery for ${due} paise; give codCollected with exactly that amount`);
    }
    if (due === 0 && event.codCollectedPaise !== null) return refuse('COD_MISMATCH', `Article ${n} is not cash on delivery; leave codCollected out`);
    if (!assignment.otpRequired) return null;
    const otp = input.otp?.trim();
    if (!otp) return refuse('OTP_REQUIRED', `Article ${n} is delivered only against the OTP sent to the addressee; record the OTP, or an attempt with OTP_NOT_PROVIDED`);
    if (!otpStillValid(assignment.deliveryDate, occurredAt)) return refuse('OTP_EXPIRED', `The OTP for article ${n} was valid until the end of ${assignment.deliveryDate} (IST)`);
    if (!assignment.otpNonce) throw new Error(`Article ${n} needs an OTP but its assignment ${assignment.attempt} has no OTP issue`);
    const expected = deliveryOtpFor(n, assignment.deliveryDate, assignment.otpNonce, otpSecretOf(this.ctx));
    return otpMatches(otp, expected) ? 'RIGHT_OTP' : 'WRONG_OTP';
  }

  /**
   * The article's timeline from the first event a sync made (after the last one recorded otherwise),
   * derived from its candidates in the order they happened. Null when nothing changes.
   */
  private derive(article: ArticleState, assignment: CurrentAssignment, candidates: SyncEvent[], history: readonly TrackingRow[]) {
    // Which tracking events syncs made, and from which event: the trailing run of those is rewritable.
    const origin = new Map<number, SyncEvent>();
    for (const c of candidates) {
      if (c.sequence === null) continue;
      for (let s = c.sequence; s < c.sequence + c.produced; s++) origin.set(s, c);
    }
    let from = article.eventCount + 1;
    while (from > 1 && origin.has(from - 1)) from -= 1;
    const base = history.find((row) => row.sequence === from - 1);
    if (!base) throw new Error(`Article ${article.articleNumber} has no tracking event ${from - 1}`);
    const frozen = (c: SyncEvent) => c.sequence !== null && c.sequence < from;
    const open = candidates.filter((c) => !frozen(c)).sort((a, b) => compareSyncEvents(a as Ordered, b as Ordered));

    const state: ArticleState = { ...article, status: base.statusAfter, eventCount: from - 1, lastEventAt: base.occurredAt, touched: true, paid: false };
    const stage = deliveryStage(base.statusAfter, base.type);
    const attempts = history.filter((row) => row.sequence < from && row.type === 'DELIVERY_ATTEMPTED' && row.statusAfter === 'DELIVERY_ATTEMPTED').map((row) => row.reason!);
    const rows: NewTrackingEvent[] = [];
    const rowOrigin = new Map<NewTrackingEvent, SyncEvent>();
    let ended: { code: DeliverySyncRejection; at: Date } | null = null;
    // One attempt each time out: the state machine takes no attempt after an attempt.
    let attemptedAt: Date | null = base.type === 'DELIVERY_ATTEMPTED' ? base.occurredAt : null;
    let delivered: SyncEvent | null = null;
    const states = new Map([[article.articleNumber, state]]);
    for (const c of open) {
      const occurredAt = c.occurredAt!;
      let verdict: Verdict;
      if (!stage.withPostman) {
        const code: DeliverySyncRejection =
          base.statusAfter === 'DELIVERED' || base.statusAfter === 'RETURN_DELIVERED' ? 'ALREADY_DELIVERED' : base.type === 'RETURNED_TO_SENDER' ? 'ALREADY_RETURNED' : 'NOT_WITH_POSTMAN';
        verdict = rejected(code, `Article ${article.articleNumber} is ${base.statusAfter}, no longer out with you`);
      } else if (ended) {
        verdict = rejected(
          ended.code,
          `Article ${article.articleNumber} was ${ended.code === 'ALREADY_DELIVERED' ? 'delivered' : 'sent back to its sender'} at ${ended.at.toISOString()}, before this event`,
        );
      } else if (c.kind === 'ATTEMPTED' && attemptedAt) {
        verdict = rejected('ALREADY_ATTEMPTED', `An attempt was already recorded for article ${article.articleNumber} at ${attemptedAt.toISOString()}; the next attempt needs it given out again`);
      } else {
        const event = (type: CheckedEvent['type']): CheckedEvent => ({
          index: 0,
          articleNumber: article.articleNumber,
          type,
          officeId: assignment.officeId,
          nextOfficeId: null,
          reason: c.kind === 'ATTEMPTED' ? c.reason : null,
          occurredAt,
        });
        const problems: ItemProblem[] = [];
        const made = applyEvents(states, [event(c.kind === 'DELIVERED' ? 'DELIVERED' : 'DELIVERY_ATTEMPTED')], this.principal, problems, { deliveryProved: true });
        if (problems.length) {
          const [problem] = problems as [ItemProblem];
          verdict = rejected(problem.field.endsWith('occurredAt') ? 'BEFORE_ASSIGNMENT' : 'NOT_WITH_POSTMAN', problem.message);
        } else {
          if (c.kind === 'ATTEMPTED') {
            attemptedAt = occurredAt;
            attempts.push(c.reason!);
            if (stage.leg === 'OUTWARD' && nextStepAfterAttempt(attempts, this.ctx.deps.maxDeliveryAttempts) === 'RETURN_TO_SENDER') {
              made.push(...applyEvents(states, [{ ...event('RETURNED_TO_SENDER'), reason: c.reason }], this.principal, problems, { deliveryProved: false }));
              if (problems.length) throw new Error(`Article ${article.articleNumber} could not be returned after its last attempt: ${problems[0]!.message}`);
              ended = { code: 'ALREADY_RETURNED', at: occurredAt };
            }
          } else {
            delivered = c;
            ended = { code: 'ALREADY_DELIVERED', at: occurredAt };
          }
          for (const row of made) rowOrigin.set(row, c);
          rows.push(...made);
          verdict = { standing: 'APPLIED', code: null, message: null, sequence: made[0]!.sequence, produced: made.length };
        }
      }
      this.verdicts.set(keyOf(c), verdict);
    }

    // Keep what is already written as it would be written again; rewrite from the first difference.
    const existing = history.filter((row) => row.sequence >= from);
    let keep = 0;
    while (
      keep < existing.length &&
      keep < rows.length &&
      origin.get(existing[keep]!.sequence) === rowOrigin.get(rows[keep]!) &&
      existing[keep]!.type === rows[keep]!.type &&
      existing[keep]!.occurredAt.getTime() === rows[keep]!.occurredAt.getTime()
    ) {
      keep += 1;
    }
    if (keep === existing.length && keep === rows.length) return null;
    const written = rows.slice(keep);
    // Announce only what was not announced before: a candidate's event of that type already written.
    const before = new Map<SyncEvent, Set<TrackingEventType>>();
    for (const row of existing) {
      const c = origin.get(row.sequence)!;
      if (!before.has(c)) before.set(c, new Set());
      before.get(c)!.add(row.type);
    }
    const announced = written.filter((row) => !before.get(rowOrigin.get(row)!)?.has(row.type));
    const deliveredRow = delivered ? written.find((row) => row.type === 'DELIVERED') : undefined;
    const removedDelivery = existing.slice(keep).some((row) => row.type === 'DELIVERED');
    Object.assign(article, { status: state.status, eventCount: state.eventCount, lastEventAt: state.lastEventAt, touched: true });
    return {
      from: from + keep,
      rows: written,
      announced,
      proof: deliveredRow
        ? {
            articleNumber: article.articleNumber,
            sequence: deliveredRow.sequence,
            attempt: assignment.attempt,
            receivedBy: delivered!.receivedBy!,
            codCollectedPaise: delivered!.codCollectedPaise,
            codMode: delivered!.codMode,
            deliveredBy: this.principal,
            deliveredAt: deliveredRow.occurredAt,
          }
        : null,
      // The OTP is used once: by the delivery now in the timeline, or by none when it left it.
      otpUsedAt: deliveredRow ? deliveredRow.occurredAt : removedDelivery ? null : undefined,
    };
  }

  /** Every write of the sync, one statement each, whatever the batch holds. */
  private async write(plan: {
    fresh: SyncEvent[];
    stored: SyncEvent[];
    locked: Map<string, ArticleState>;
    rewrites: { articleNumber: string; from: number }[];
    rows: NewTrackingEvent[];
    announced: Set<NewTrackingEvent>;
    proofs: NewProof[];
    otpUse: { articleNumber: string; attempt: number; usedAt: Date | null }[];
    failures: Map<string, number>;
    assignments: Map<string, CurrentAssignment>;
  }): Promise<void> {
    const { tx } = this;
    if (plan.rewrites.length) {
      const numbers = plan.rewrites.map((r) => r.articleNumber);
      const froms = plan.rewrites.map((r) => r.from);
      await tx.$executeRawUnsafe(
        `DELETE FROM articles.article_delivery d USING unnest($1::bpchar[], $2::int[]) AS v(article_number, from_sequence)
          WHERE d.article_number = v.article_number AND d.sequence >= v.from_sequence`,
        numbers,
        froms,
      );
      await tx.$executeRawUnsafe(
        `DELETE FROM articles.tracking_event t USING unnest($1::bpchar[], $2::int[]) AS v(article_number, from_sequence)
          WHERE t.article_number = v.article_number AND t.sequence >= v.from_sequence`,
        numbers,
        froms,
      );
      const rewritten = new Map([...plan.locked].filter(([n]) => numbers.includes(n)));
      // A delivery's article.delivered event says how its COD was collected (the payments ledger posts it).
      for (const proof of plan.proofs) {
        const state = rewritten.get(proof.articleNumber);
        if (state) state.codMode = proof.codMode;
      }
      await writeEvents(tx, rewritten, plan.rows, (row) => plan.announced.has(row));
    }
    if (plan.proofs.length) {
      const insert = insertRowsStatement('articles.article_delivery', PROOF_COLUMNS, plan.proofs);
      await tx.$executeRawUnsafe(insert.sql, ...insert.params);
    }
    const assignmentChanges = [...new Set([...plan.failures.keys(), ...plan.otpUse.map((u) => u.articleNumber)])].map((articleNumber) => {
      const use = plan.otpUse.find((u) => u.articleNumber === articleNumber);
      const assignment = plan.assignments.get(articleNumber)!;
      return {
        articleNumber,
        attempt: assignment.attempt,
        failures: plan.failures.has(articleNumber) ? plan.failures.get(articleNumber)! - assignment.otpFailures : 0,
        setUsed: use !== undefined,
        usedAt: use?.usedAt?.toISOString() ?? null,
      };
    });
    if (assignmentChanges.length) {
      await tx.$executeRawUnsafe(
        `UPDATE articles.delivery_assignment d
            SET otp_failures = d.otp_failures + v.failures,
                otp_used_at = CASE WHEN v.set_used THEN v.used_at ELSE d.otp_used_at END
           FROM unnest($1::bpchar[], $2::int[], $3::int[], $4::boolean[], $5::timestamptz[]) AS v(article_number, attempt, failures, set_used, used_at)
          WHERE d.article_number = v.article_number AND d.attempt = v.attempt`,
        assignmentChanges.map((c) => c.articleNumber),
        assignmentChanges.map((c) => c.attempt),
        assignmentChanges.map((c) => c.failures),
        assignmentChanges.map((c) => c.setUsed),
        assignmentChanges.map((c) => c.usedAt),
      );
    }
    if (plan.fresh.length) {
      const insert = insertRowsStatement('articles.delivery_sync_event', SYNC_EVENT_COLUMNS, plan.fresh.map((e) => ({ ...e, ...this.verdicts.get(keyOf(e)) })));
      await tx.$executeRawUnsafe(insert.sql, ...insert.params);
    }
    const changed = plan.stored.flatMap((e) => {
      const v = this.verdicts.get(keyOf(e));
      if (!v || (v.standing === e.standing && v.code === e.code && v.message === e.message && v.sequence === e.sequence && v.produced === e.produced)) return [];
      return [{ ...e, ...v }];
    });
    if (changed.length) {
      await tx.$executeRawUnsafe(
        `UPDATE articles.delivery_sync_event e
            SET standing = v.standing::articles."DeliverySyncStanding", code = v.code, message = v.message, sequence = v.sequence, produced = v.produced
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[]) AS v(device_id, client_event_id, standing, code, message, sequence, produced)
          WHERE e.device_id = v.device_id AND e.client_event_id = v.client_event_id`,
        changed.map((e) => e.deviceId),
        changed.map((e) => e.clientEventId),
        changed.map((e) => e.standing),
        changed.map((e) => e.code),
        changed.map((e) => e.message),
        changed.map((e) => e.sequence),
        changed.map((e) => e.produced),
      );
    }
  }
}

type Ordered = Parameters<typeof compareSyncEvents>[0];

const keyOf = (event: Pick<SyncEvent, 'deviceId' | 'clientEventId'>) => `${event.deviceId}\u0000${event.clientEventId}`;

const rejected = (code: DeliverySyncRejection, message: string): Verdict => ({ standing: 'REJECTED', code, message, sequence: null, produced: 0 });

/** Each article's latest assignment, in one statement. */
async function currentAssignments(tx: ArticlesTx, articleNumbers: readonly string[]): Promise<Map<string, CurrentAssignment>> {
  const rows = await tx.$queryRawUnsafe<CurrentAssignment[]>(
    `SELECT DISTINCT ON (article_number) article_number AS "articleNumber", attempt, postman_id AS "postmanId",
            to_char(delivery_date, 'YYYY-MM-DD') AS "deliveryDate", office_id AS "officeId", assigned_at AS "assignedAt",
            otp_required AS "otpRequired", otp_nonce AS "otpNonce", otp_failures AS "otpFailures", otp_used_at AS "otpUsedAt"
       FROM articles.delivery_assignment WHERE article_number = ANY($1::bpchar[]) ORDER BY article_number, attempt DESC`,
    articleNumbers,
  );
  return new Map(rows.map((row) => [row.articleNumber, { ...row, assignedAt: new Date(row.assignedAt) }]));
}

/** The stored candidates of these (article, assignment) pairs, from any of the postman's devices. */
async function storedCandidates(tx: ArticlesTx, pairs: readonly [string, number][]): Promise<SyncEvent[]> {
  if (!pairs.length) return [];
  const rows = await tx.$queryRawUnsafe<SyncEvent[]>(
    `${SYNC_EVENT_SELECT} e WHERE e.candidate AND (e.article_number, e.attempt) IN (SELECT * FROM unnest($1::text[], $2::int[]))`,
    pairs.map(([n]) => n),
    pairs.map(([, attempt]) => attempt),
  );
  return rows.map(normalise);
}

/** The articles' whole tracking histories, in one statement. */
async function trackingHistory(tx: ArticlesTx, articleNumbers: readonly string[]): Promise<Map<string, TrackingRow[]>> {
  const history = new Map<string, TrackingRow[]>();
  if (!articleNumbers.length) return history;
  const rows = await tx.$queryRawUnsafe<TrackingRow[]>(
    `SELECT article_number AS "articleNumber", sequence, type::text AS type, occurred_at AS "occurredAt",
            status_after::text AS "statusAfter", reason::text AS reason, office_id AS "officeId"
       FROM articles.tracking_event WHERE article_number = ANY($1::bpchar[]) ORDER BY article_number, sequence`,
    articleNumbers,
  );
  for (const row of rows) {
    if (!history.has(row.articleNumber)) history.set(row.articleNumber, []);
    history.get(row.articleNumber)!.push({ ...row, occurredAt: new Date(row.occurredAt) });
  }
  return history;
}
