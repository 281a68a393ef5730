/**
 * Who may do what with payments: every access rule of this subgraph, and nothing else. Pure (no I/O):
 * callers pass what the rule needs to know, so the rules are tested as a table (test/access.test.ts).
 *
 * The rules in one place:
 *  - Asking for a booking's payment (createPayment): counter clerks of the booking office, supervisors of
 *    its division, admins; the sender (a CUSTOMER the article names) and the PARTNER that booked it, by
 *    UPI only. CASH is taken by counter staff with an office: it goes into that office's till.
 *  - Seeing a payment: counter staff (clerks, supervisors, admins), the partner whose article it is, and
 *    the customer who asked for it. It carries the payer's VPA, so analysts and postmen do not.
 *  - An article's COD collection: counter staff, analysts, and the partner that booked it.
 *  - A partner's COD balance and remittances: the partner itself, analysts and admins.
 *  - Making and paying remittances: admins.
 *  - Reconciliation: supervisors (offices of their own division only: they must name one), analysts, admins.
 *  - The ledger's balances: analysts and admins.
 */
import type { Viewer } from '@dakgraph/auth';
import { ALLOW, deny, idempotencyPrincipal, logInFirst, type Decision } from '@dakgraph/graphql-kit';

export type { Decision };

const LOG_IN: Decision = Object.freeze(logInFirst('Log in (staff or customer) or send an API key (partners) to do this'));
const COUNTER_ROLES = ['COUNTER_CLERK', 'SUPERVISOR', 'ADMIN'];

const isCounterStaff = (viewer: Viewer): boolean => viewer.kind === 'STAFF' && COUNTER_ROLES.includes(viewer.role ?? '');
const isStaff = (viewer: Viewer, ...roles: string[]): boolean => viewer.kind === 'STAFF' && roles.includes(viewer.role ?? '');

/** Who is asking, for idempotency keys and created_by columns ("staff:<id>", ...). */
export const principalOf = (viewer: Viewer): string => idempotencyPrincipal(viewer);

/** What createPayment's rule needs to know about the article. */
export interface PayableArticle {
  bookingOfficeId: string;
  bookingDivisionId: string | null;
  partnerId: string | null;
  senderCustomerId: string | null;
}

/** Before the article is looked up: whether the caller could pay for any article (so no one else learns which exist). */
export function canAskForPayments(viewer: Viewer): Decision {
  if (viewer.kind === 'PUBLIC') return LOG_IN;
  if (viewer.kind === 'STAFF' && !isCounterStaff(viewer)) return deny('Only counter clerks, supervisors and admins take payments');
  return ALLOW;
}

export function canCreatePayment(viewer: Viewer, article: PayableArticle, method: 'UPI_QR' | 'CASH'): Decision {
  if (viewer.kind === 'PUBLIC') return LOG_IN;
  if (viewer.kind === 'STAFF') {
    if (!isCounterStaff(viewer)) return deny('Only counter clerks, supervisors and admins take payments');
    if (viewer.role === 'COUNTER_CLERK' && viewer.officeId !== article.bookingOfficeId) {
      return deny(`Counter clerks take payments for their own office's bookings; this article was booked at ${article.bookingOfficeId}`);
    }
    if (viewer.role === 'SUPERVISOR' && (!article.bookingDivisionId || viewer.divisionId !== article.bookingDivisionId)) {
      return deny("Supervisors take payments for their own division's bookings");
    }
    if (method === 'CASH' && !viewer.officeId) return deny('Your staff account has no office, and cash goes into an office\'s till');
    return ALLOW;
  }
  if (method === 'CASH') return deny('Cash is paid at a post office counter; pay by UPI_QR, or ask the clerk');
  if (viewer.kind === 'CUSTOMER' && viewer.customerId && viewer.customerId === article.senderCustomerId) return ALLOW;
  if (viewer.kind === 'PARTNER' && viewer.partnerId && viewer.partnerId === article.partnerId) return ALLOW;
  return deny('Only the sender of an article, the partner that booked it, or counter staff may pay for it');
}

/** What the visibility rule needs to know about a payment. */
export interface PaymentOwnership {
  partnerId: string | null;
  createdBy: string;
}

export function canSeePayment(viewer: Viewer, payment: PaymentOwnership): boolean {
  if (isCounterStaff(viewer)) return true;
  if (viewer.kind === 'PARTNER') return viewer.partnerId !== null && viewer.partnerId === payment.partnerId;
  if (viewer.kind === 'CUSTOMER') return viewer.customerId !== null && payment.createdBy === `customer:${viewer.customerId}`;
  return false;
}

export function canSeeCodCollection(viewer: Viewer, partnerId: string | null): boolean {
  if (isCounterStaff(viewer) || isStaff(viewer, 'ANALYST')) return true;
  return viewer.kind === 'PARTNER' && viewer.partnerId !== null && viewer.partnerId === partnerId;
}

export function canReadPartnerCod(viewer: Viewer, partnerId: string): Decision {
  if (viewer.kind === 'PUBLIC') return LOG_IN;
  if (isStaff(viewer, 'ANALYST', 'ADMIN')) return ALLOW;
  if (viewer.kind === 'PARTNER' && viewer.partnerId === partnerId) return ALLOW;
  return deny("A partner's cash on delivery is seen by the partner itself, analysts and admins");
}

export function canRemit(viewer: Viewer): Decision {
  if (viewer.kind === 'PUBLIC') return LOG_IN;
  if (isStaff(viewer, 'ADMIN')) return ALLOW;
  return deny('Only admins make and pay remittances');
}

/** Reconciliation; `officeDivisionId` is the division of the office asked for (null when none was named or it is unknown). */
export function canReconcile(viewer: Viewer, office: { named: boolean; divisionId: string | null }): Decision {
  if (viewer.kind === 'PUBLIC') return LOG_IN;
  if (isStaff(viewer, 'ANALYST', 'ADMIN')) return ALLOW;
  if (isStaff(viewer, 'SUPERVISOR')) {
    if (!office.named) return deny('Supervisors reconcile one office of their division at a time: give officeId');
    if (!office.divisionId || office.divisionId !== viewer.divisionId) return deny("Supervisors reconcile their own division's offices");
    return ALLOW;
  }
  return deny('Reconciliation is for supervisors, analysts and admins');
}

export function canReadLedger(viewer: Viewer): Decision {
  if (viewer.kind === 'PUBLIC') return LOG_IN;
  if (isStaff(viewer, 'ANALYST', 'ADMIN')) return ALLOW;
  return deny('The ledger is read by analysts and admins');
}
