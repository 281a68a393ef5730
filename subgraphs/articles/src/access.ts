/**
 * Who may do what with articles: every access rule of this subgraph, and nothing else. Pure (no I/O):
 * callers pass what the rule needs to know about the article or office, so the rules are tested as a
 * table (test/access.test.ts) and the resolvers only turn a refusal into an error.
 *
 * The rules in one place:
 *  - Tracking (status, events, offices, expected delivery) is public: anyone holding the number sees it.
 *  - Details (sender, charges, services, values, payment) are for the sender (a CUSTOMER whose id the
 *    article names), the PARTNER that booked it, and counter staff (COUNTER_CLERK, SUPERVISOR, ADMIN).
 *    The recipient is also shown to a POSTMAN while the article is at the postman's office (to deliver it).
 *    ANALYSTs see no personal data.
 *  - Counter booking: COUNTER_CLERK, SUPERVISOR or ADMIN with an office, at that office.
 *  - Bulk booking: PARTNERs.
 *  - Tracking events: staff at their own office; a SUPERVISOR at any office of their division; an ADMIN
 *    anywhere. POSTMEN only OUT_FOR_DELIVERY, DELIVERY_ATTEMPTED and DELIVERED; ANALYSTs nothing.
 *  - Customer.articles: the customer, counter staff (all of them), a partner (only those it booked).
 *  - Office.bookedArticles: the office's staff (any role), SUPERVISORs of its division, ADMINs; the
 *    articles' personal fields still follow the details rule above.
 *  - Delivery: assigning articles to a postman is for COUNTER_CLERKs of the office where they are,
 *    SUPERVISORs of its division and ADMINs. Delivering and recording attempts is for the POSTMAN the
 *    article is assigned to that day (his login's id is the assignment's). Delivering without the OTP
 *    and reissuing an OTP are for SUPERVISORs of the division and ADMINs. A beat is seen by its postman,
 *    SUPERVISORs of the division (their articles only) and ADMINs. Resending the current OTP by SMS
 *    (resendDeliveryOtp, 3 a day) is for the POSTMAN carrying the article today (the addressee asks him at
 *    the door), SUPERVISORs of the division and ADMINs; counter clerks cannot, so an OTP cannot be pushed
 *    to a phone from any counter. Who took an article and the cash
 *    collected follow the details rule; the postman's id is shown to staff and to those who see details.
 */
import type { StaffRole, Viewer } from '@dakgraph/auth';
import { ALLOW, deny, idempotencyPrincipal, logInFirst, type Decision } from '@dakgraph/graphql-kit';
import type { TrackingEventType } from './domain';

/** An office as the rules need it: which it is and its division. */
export interface OfficeScope {
  officeId: string;
  divisionId: string;
}

/** What the rules need to know about an article to decide who sees its details. */
export interface ArticleOwnership {
  senderCustomerId: string | null;
  partnerId: string | null;
  currentOfficeId: string | null;
}

export type { Decision };

const LOG_IN: Decision = Object.freeze(logInFirst('Log in (staff) or send an API key (partners) to do this'));

/** Roles that work a booking counter and may read any article's details. */
export const COUNTER_ROLES: readonly StaffRole[] = Object.freeze(['COUNTER_CLERK', 'SUPERVISOR', 'ADMIN']);
/** The events a postman records on the beat. */
export const POSTMAN_EVENTS: readonly TrackingEventType[] = Object.freeze(['OUT_FOR_DELIVERY', 'DELIVERY_ATTEMPTED', 'DELIVERED']);

const isCounterStaff = (viewer: Viewer): boolean => viewer.kind === 'STAFF' && COUNTER_ROLES.includes(viewer.role!);

/**
 * Who is asking, for idempotency keys and audit columns ("staff:<id>", "partner:<id>", "customer:<id>",
 * the rule shared by every subgraph); null for the public, who may not write here.
 */
export function principalOf(viewer: Viewer): string | null {
  return viewer.kind === 'PUBLIC' ? null : idempotencyPrincipal(viewer);
}

/** bookArticle: counter staff with an office; the article is booked at that office. */
export function canBookAtCounter(viewer: Viewer): Decision {
  if (viewer.kind === 'PUBLIC') return LOG_IN;
  if (!isCounterStaff(viewer)) {
    return deny(
      viewer.kind === 'PARTNER'
        ? 'Partners book with bookArticles; bookArticle is for post office counters'
        : 'Only counter clerks, supervisors and admins book articles at a counter',
    );
  }
  if (!viewer.officeId) return deny('Your staff account has no office, and a counter booking is made at one');
  return ALLOW;
}

/** bookArticles: partners only (billed to their account). */
export function canBookInBulk(viewer: Viewer): Decision {
  if (viewer.kind === 'PUBLIC') return LOG_IN;
  if (viewer.kind !== 'PARTNER') return deny('Only partners (with an API key) book articles in bulk; counters use bookArticle');
  return ALLOW;
}

/** recordTrackingEvents at all: staff other than analysts. */
export function canRecordEvents(viewer: Viewer): Decision {
  if (viewer.kind === 'PUBLIC') return LOG_IN;
  if (viewer.kind !== 'STAFF') return deny('Only post office staff record tracking events');
  if (viewer.role === 'ANALYST') return deny('Analysts read reports; they do not record tracking events');
  return ALLOW;
}

/** Whether a member of staff works at `office`, or oversees it (supervisors: their division; admins: all). */
function staffCovers(viewer: Viewer, office: OfficeScope): boolean {
  if (viewer.kind !== 'STAFF') return false;
  if (viewer.role === 'ADMIN') return true;
  if (viewer.officeId !== null && viewer.officeId === office.officeId) return true;
  return viewer.role === 'SUPERVISOR' && viewer.divisionId !== null && viewer.divisionId === office.divisionId;
}

/** One event of recordTrackingEvents: the event type for the role, and the office for the viewer's scope. */
export function canRecordEventAt(viewer: Viewer, type: TrackingEventType, office: OfficeScope): Decision {
  const overall = canRecordEvents(viewer);
  if (!overall.allowed) return overall;
  if (viewer.role === 'POSTMAN' && !POSTMAN_EVENTS.includes(type)) {
    return deny(`Postmen record only ${POSTMAN_EVENTS.join(', ')}; not ${type}`);
  }
  if (!staffCovers(viewer, office)) {
    return deny(
      viewer.role === 'SUPERVISOR'
        ? `Office ${office.officeId} is not in your division`
        : `Office ${office.officeId} is not your office; events are recorded where they happen, by that office's staff`,
    );
  }
  return ALLOW;
}

/** Which of an article's guarded fields the viewer sees. Tracking fields are always visible. */
export function articleVisibility(viewer: Viewer, article: ArticleOwnership): { details: boolean; recipient: boolean } {
  const details =
    isCounterStaff(viewer) ||
    (viewer.kind === 'CUSTOMER' && viewer.customerId !== null && viewer.customerId === article.senderCustomerId) ||
    (viewer.kind === 'PARTNER' && viewer.partnerId !== null && viewer.partnerId === article.partnerId);
  const deliversIt =
    viewer.kind === 'STAFF' && viewer.role === 'POSTMAN' && viewer.officeId !== null && viewer.officeId === article.currentOfficeId;
  return { details, recipient: details || deliversIt };
}

/** Which of a customer's articles the viewer may list. */
export type CustomerArticlesScope =
  | { kind: 'ALL' }
  | { kind: 'BOOKED_BY_PARTNER'; partnerId: string }
  | { kind: 'NONE'; decision: Decision };

export function customerArticlesScope(viewer: Viewer, customerId: string): CustomerArticlesScope {
  if (isCounterStaff(viewer)) return { kind: 'ALL' };
  if (viewer.kind === 'CUSTOMER' && viewer.customerId === customerId) return { kind: 'ALL' };
  if (viewer.kind === 'PARTNER' && viewer.partnerId) return { kind: 'BOOKED_BY_PARTNER', partnerId: viewer.partnerId };
  if (viewer.kind === 'PUBLIC') return { kind: 'NONE', decision: LOG_IN };
  return { kind: 'NONE', decision: deny("Only the customer, counter staff and the partners who booked them see a customer's articles") };
}

/** Office.bookedArticles. */
export function canListOfficeArticles(viewer: Viewer, office: OfficeScope): Decision {
  if (viewer.kind === 'PUBLIC') return LOG_IN;
  // Any role of the office may list them; each article's personal fields stay guarded by articleVisibility.
  if (!staffCovers(viewer, office)) {
    return deny(`Only the staff of office ${office.officeId}, supervisors of its division and admins see the articles booked there`);
  }
  return ALLOW;
}

/** assignForDelivery at all: counter clerks, supervisors and admins (postmen carry the beat, analysts read). */
export function canAssignForDelivery(viewer: Viewer): Decision {
  if (viewer.kind === 'PUBLIC') return LOG_IN;
  if (!isCounterStaff(viewer)) return deny('Only counter clerks, supervisors and admins give articles to postmen for delivery');
  return ALLOW;
}

/** One article of assignForDelivery, at the office where it is. */
export function canAssignAt(viewer: Viewer, office: OfficeScope): Decision {
  const overall = canAssignForDelivery(viewer);
  if (!overall.allowed) return overall;
  if (!staffCovers(viewer, office)) {
    return deny(
      viewer.role === 'SUPERVISOR'
        ? `Office ${office.officeId} is not in your division`
        : `The article is at office ${office.officeId}, not yours; that office's staff give it out for delivery`,
    );
  }
  return ALLOW;
}

/** deliverArticle and recordDeliveryAttempt at all: postmen. */
export function canWorkBeat(viewer: Viewer): Decision {
  if (viewer.kind === 'PUBLIC') return LOG_IN;
  if (viewer.kind !== 'STAFF' || viewer.role !== 'POSTMAN') {
    return deny('Only the postman an article is assigned to records its delivery or a delivery attempt; supervisors approve deliveries without the OTP with deliverWithoutOtp');
  }
  return ALLOW;
}

/** An article's current delivery assignment, as the rules need it. */
export interface AssignmentScope {
  postmanId: string;
  /** IST date, YYYY-MM-DD. */
  deliveryDate: string;
}

/** Whether the viewer (a postman) carries this article today: assigned to him, for `today` (IST). */
export function canDeliverAssigned(viewer: Viewer, assignment: AssignmentScope | null, today: string): Decision {
  const overall = canWorkBeat(viewer);
  if (!overall.allowed) return overall;
  if (!assignment || assignment.postmanId !== viewer.id) return deny('This article is not assigned to you for delivery');
  if (assignment.deliveryDate !== today) {
    return deny(`This article was assigned to you for ${assignment.deliveryDate}, not today (${today}); ask for it to be assigned again`);
  }
  return ALLOW;
}

/** deliverWithoutOtp and reissueDeliveryOtp: supervisors of the article's division, and admins. */
export function canOverrideDelivery(viewer: Viewer, office: OfficeScope | null): Decision {
  if (viewer.kind === 'PUBLIC') return LOG_IN;
  if (viewer.kind !== 'STAFF' || (viewer.role !== 'SUPERVISOR' && viewer.role !== 'ADMIN')) {
    return deny("Only supervisors (of the delivery office's division) and admins approve deliveries without the OTP or issue a new OTP");
  }
  // Without an office, only whether the role may ever do it (checked before the article is looked up).
  if (office === null) return ALLOW;
  if (viewer.role === 'SUPERVISOR' && (viewer.divisionId === null || viewer.divisionId !== office.divisionId)) {
    return deny(`Office ${office.officeId} is not in your division`);
  }
  return ALLOW;
}

/** Which of a postman's beat the viewer sees. */
export type BeatScope = { kind: 'ALL' } | { kind: 'DIVISION'; divisionId: string } | { kind: 'NONE'; decision: Decision };

export function deliveryBeatScope(viewer: Viewer, postmanId: string): BeatScope {
  if (viewer.kind === 'PUBLIC') return { kind: 'NONE', decision: LOG_IN };
  if (viewer.kind === 'STAFF' && viewer.role === 'ADMIN') return { kind: 'ALL' };
  if (viewer.kind === 'STAFF' && viewer.role === 'POSTMAN' && viewer.id === postmanId) return { kind: 'ALL' };
  if (viewer.kind === 'STAFF' && viewer.role === 'SUPERVISOR' && viewer.divisionId) return { kind: 'DIVISION', divisionId: viewer.divisionId };
  return { kind: 'NONE', decision: deny("Only the postman himself, supervisors of his division and admins see a postman's beat") };
}

/** Which of an article's delivery fields the viewer sees (who took it and the cash follow the details rule). */
export function deliveryVisibility(viewer: Viewer, article: ArticleOwnership): { postman: boolean; receipt: boolean } {
  const { details } = articleVisibility(viewer, article);
  return { postman: details || viewer.kind === 'STAFF', receipt: details };
}

/**
 * resendDeliveryOtp: the postman carrying the article today, supervisors of its division, and admins.
 * Without `scope`, only whether the role may ever do it (checked before the article is looked up).
 */
export function canResendDeliveryOtp(
  viewer: Viewer,
  scope: { office: OfficeScope; assignment: AssignmentScope | null; today: string } | null,
): Decision {
  if (viewer.kind === 'PUBLIC') return LOG_IN;
  if (viewer.kind !== 'STAFF' || (viewer.role !== 'POSTMAN' && viewer.role !== 'SUPERVISOR' && viewer.role !== 'ADMIN')) {
    return deny('Only the postman carrying the article today, supervisors of its division and admins resend a delivery OTP');
  }
  if (scope === null) return ALLOW;
  if (viewer.role === 'POSTMAN') return canDeliverAssigned(viewer, scope.assignment, scope.today);
  return canOverrideDelivery(viewer, scope.office);
}
