import type { StaffRole, Viewer } from '@dakgraph/auth';

/**
 * Who may see and do what in the customers subgraph: pure yes/no rules over the viewer and the
 * ownership facts of a record, with no I/O, so every rule is tested as a table (test/access.test.ts).
 * Resolvers and services ask these and decide between null, FORBIDDEN and going ahead.
 *
 * - PUBLIC sees no personal data at all.
 * - A CUSTOMER sees only themselves (and their addresses).
 * - A PARTNER sees its own partner record and only the customers it created.
 * - STAFF: counter clerks, supervisors and admins read customers (needed at the counter); postmen and
 *   analysts do not. Staff records: admins all, supervisors their division, everyone else themselves
 *   (plus the names and roles of colleagues at their own office). Partners: admins and the partner itself.
 * - Webhook endpoints: the partner manages its own; admins read every partner's.
 */

/** What the rules need to know about a customer. */
export interface CustomerOwnership {
  id: string;
  partnerId: string | null;
}

/** What the rules need to know about a member of staff. */
export interface StaffPlacement {
  id: string;
  officeId: string;
  divisionId: string;
}

/** What the rules need to know about an office. */
export interface OfficePlacement {
  id: string;
  divisionId: string;
}

/** Which customers a viewer may read: all of them, a partner's, one, or none (null). */
export type CustomerScope =
  | { kind: 'ALL' }
  | { kind: 'PARTNER'; partnerId: string }
  | { kind: 'SELF'; customerId: string };

const CUSTOMER_READING_ROLES: readonly StaffRole[] = ['COUNTER_CLERK', 'SUPERVISOR', 'ADMIN'];
const ROLES_A_SUPERVISOR_MAY_CREATE: readonly StaffRole[] = ['COUNTER_CLERK', 'POSTMAN'];

const isAdmin = (viewer: Viewer): boolean => viewer.kind === 'STAFF' && viewer.role === 'ADMIN';

const isSupervisorOf = (viewer: Viewer, divisionId: string): boolean =>
  viewer.kind === 'STAFF' && viewer.role === 'SUPERVISOR' && viewer.divisionId !== null && viewer.divisionId === divisionId;

/** Staff whose work needs customer records: counter clerks, supervisors, admins. */
export function readsEveryCustomer(viewer: Viewer): boolean {
  return viewer.kind === 'STAFF' && viewer.role !== null && CUSTOMER_READING_ROLES.includes(viewer.role);
}

/** The customers a viewer may read (lists are filtered to it); null means none at all. */
export function customerScope(viewer: Viewer): CustomerScope | null {
  if (readsEveryCustomer(viewer)) return { kind: 'ALL' };
  if (viewer.kind === 'PARTNER' && viewer.partnerId) return { kind: 'PARTNER', partnerId: viewer.partnerId };
  if (viewer.kind === 'CUSTOMER' && viewer.customerId) return { kind: 'SELF', customerId: viewer.customerId };
  return null;
}

/** Whether a viewer may see a customer's personal data (name, contact details, addresses). */
export function canSeePersonalData(viewer: Viewer, customer: CustomerOwnership): boolean {
  const scope = customerScope(viewer);
  switch (scope?.kind) {
    case 'ALL':
      return true;
    case 'PARTNER':
      return customer.partnerId !== null && customer.partnerId === scope.partnerId;
    case 'SELF':
      return customer.id === scope.customerId;
    default:
      return false;
  }
}

/** Adding and removing addresses: whoever may read the customer (the customer, its partner, the counter). */
export function canManageAddresses(viewer: Viewer, customer: CustomerOwnership): boolean {
  return canSeePersonalData(viewer, customer);
}

/** Creating customers who do not log in: partners (for themselves) and the counter roles. */
export function canCreateCustomer(viewer: Viewer): boolean {
  return viewer.kind === 'PARTNER' || readsEveryCustomer(viewer);
}

/** Reading a partner's business record (contract, API keys, customers): admins and the partner itself. */
export function canReadPartner(viewer: Viewer, partnerId: string): boolean {
  return isAdmin(viewer) || (viewer.kind === 'PARTNER' && viewer.partnerId === partnerId);
}

/** Creating and revoking a partner's API keys: the same people who read its record. */
export function canManageApiKeys(viewer: Viewer, partnerId: string): boolean {
  return canReadPartner(viewer, partnerId);
}

/**
 * Reading a partner's webhook endpoints and delivery log: the partner itself, and admins (who support
 * partners whose deliveries fail).
 */
export function canReadWebhooks(viewer: Viewer, partnerId: string): boolean {
  return canReadPartner(viewer, partnerId);
}

/**
 * Registering, changing, rotating, replaying and testing webhooks: the partner itself only. The URL and
 * the secret are the partner's systems; admins read them to help, never act for the partner.
 */
export function canManageWebhooks(viewer: Viewer, partnerId: string): boolean {
  return viewer.kind === 'PARTNER' && viewer.partnerId !== null && viewer.partnerId === partnerId;
}

/** Creating partners and changing their status: admins only. */
export function canAdministerPartners(viewer: Viewer): boolean {
  return isAdmin(viewer);
}

/** Reading a whole staff record: admins all, supervisors their division, everyone themselves. */
export function canReadStaff(viewer: Viewer, staff: StaffPlacement): boolean {
  if (viewer.kind !== 'STAFF') return false;
  return isAdmin(viewer) || isSupervisorOf(viewer, staff.divisionId) || viewer.id === staff.id;
}

/**
 * Seeing a colleague's name, role and office (not their email): whoever reads the whole record, and
 * staff of the same office, who see each other in `Office.staff`.
 */
export function canSeeColleague(viewer: Viewer, staff: StaffPlacement): boolean {
  return canReadStaff(viewer, staff) || (viewer.kind === 'STAFF' && viewer.officeId !== null && viewer.officeId === staff.officeId);
}

/** Listing an office's staff: admins, supervisors of its division, and the office's own staff. */
export function canSeeOfficeStaff(viewer: Viewer, office: OfficePlacement): boolean {
  if (viewer.kind !== 'STAFF') return false;
  return isAdmin(viewer) || isSupervisorOf(viewer, office.divisionId) || (viewer.officeId !== null && viewer.officeId === office.id);
}

/** Whether a viewer may create staff at all (before knowing the role and office asked for). */
export function mayCreateSomeStaff(viewer: Viewer): boolean {
  return isAdmin(viewer) || (viewer.kind === 'STAFF' && viewer.role === 'SUPERVISOR');
}

/** Creating a staff account: admins any role anywhere; supervisors clerks and postmen in their own division. */
export function canCreateStaff(viewer: Viewer, role: StaffRole, office: OfficePlacement): boolean {
  return isAdmin(viewer) || (isSupervisorOf(viewer, office.divisionId) && ROLES_A_SUPERVISOR_MAY_CREATE.includes(role));
}

/**
 * Managing a staff account (disabling, enabling, resetting its password): whoever could have created it
 * (admins any; supervisors the clerks and postmen of their division), never one's own account (an admin
 * must not lock themself out; one's own password is changed with the current one).
 */
export function canManageStaffAccount(viewer: Viewer, staff: StaffPlacement & { role: StaffRole }): boolean {
  return viewer.id !== staff.id && canCreateStaff(viewer, staff.role, { id: staff.officeId, divisionId: staff.divisionId });
}
