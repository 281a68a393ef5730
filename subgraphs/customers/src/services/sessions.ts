import { hashPassword, issueViewerToken, MAX_PASSWORD_LENGTH, verifyPassword, type Viewer } from '@dakgraph/auth';
import { badInput, forbidden, notFound, unauthenticated, refuse } from '@dakgraph/graphql-kit';
import { canManageStaffAccount } from '../access';
import type { CustomersContext } from '../context';
import type { CustomersPrisma, StaffUserRow } from '../db';
import { STAFF_RULE, refusal } from './authorize';
import { customerViewer } from './customers';
import type { LoginOutcome } from './login';
import { recordLoginFailure, refuseThrottledLogin } from './loginThrottle';
import * as check from './validation';

// A login token names its account and the account's session version when it was issued. Raising the
// version (a password change, "sign out everywhere", disabling a staff account) ends every older token:
// the gateway asks verifySession before it trusts a token, and caches a good answer only briefly.

export type SessionRefusal = 'UNKNOWN' | 'DISABLED' | 'SIGNED_OUT';

export type SessionVerdict = { ok: true } | { ok: false; reason: SessionRefusal };

/** Whether a token for this account and session version may still be used. */
export async function verifySession(
  prisma: CustomersPrisma,
  session: { kind: 'STAFF' | 'CUSTOMER'; id: string; sessionVersion: number },
): Promise<SessionVerdict> {
  if (session.kind === 'STAFF') {
    const staff = await prisma.staffUser.findUnique({ where: { id: session.id }, select: { disabledAt: true, sessionVersion: true } });
    if (!staff) return { ok: false, reason: 'UNKNOWN' };
    if (staff.disabledAt) return { ok: false, reason: 'DISABLED' };
    return staff.sessionVersion === session.sessionVersion ? { ok: true } : { ok: false, reason: 'SIGNED_OUT' };
  }
  const customer = await prisma.customer.findUnique({ where: { id: session.id }, select: { passwordHash: true, sessionVersion: true } });
  if (!customer?.passwordHash) return { ok: false, reason: 'UNKNOWN' };
  return customer.sessionVersion === session.sessionVersion ? { ok: true } : { ok: false, reason: 'SIGNED_OUT' };
}

/** The logged-in account behind the viewer: only staff and customers have passwords and sessions. */
function ownAccount(viewer: Viewer, what: string): { kind: 'STAFF' | 'CUSTOMER'; id: string } {
  if (viewer.kind === 'STAFF' && viewer.id) return { kind: 'STAFF', id: viewer.id };
  if (viewer.kind === 'CUSTOMER' && viewer.customerId) return { kind: 'CUSTOMER', id: viewer.customerId };
  if (viewer.kind === 'PUBLIC') throw unauthenticated(`${what} needs you to be logged in`);
  throw forbidden(`${what} is for staff and customers who log in; partners revoke and create API keys instead`);
}

/** Raises an account's session version and returns the new one. */
async function raiseSessionVersion(
  prisma: CustomersPrisma,
  account: { kind: 'STAFF' | 'CUSTOMER'; id: string },
  passwordHash?: string,
): Promise<number> {
  const data = { sessionVersion: { increment: 1 }, ...(passwordHash ? { passwordHash } : {}) };
  const row =
    account.kind === 'STAFF'
      ? await prisma.staffUser.update({ where: { id: account.id }, data, select: { sessionVersion: true } })
      : await prisma.customer.update({ where: { id: account.id }, data, select: { sessionVersion: true } });
  return row.sessionVersion;
}

/**
 * `Mutation.changePassword`: the caller's own password, after proving the current one. Every other
 * session of the account ends; the answer carries a new token for this one.
 */
export async function changePassword(ctx: CustomersContext, currentPassword: string, newPassword: string): Promise<LoginOutcome> {
  const account = ownAccount(ctx.viewer, 'Changing a password');
  const row =
    account.kind === 'STAFF'
      ? await ctx.prisma.staffUser.findUnique({ where: { id: account.id }, select: { passwordHash: true, email: true } })
      : await ctx.prisma.customer.findUnique({ where: { id: account.id }, select: { passwordHash: true, email: true } });
  if (!row?.passwordHash || !row.email) throw unauthenticated('This account no longer exists or cannot log in; log in again');
  // A stolen token must not become a way to guess the password: wrong current passwords count as failed
  // logins of the account's email, under the same limit.
  await refuseThrottledLogin(ctx.prisma, row.email);
  if (currentPassword.length > MAX_PASSWORD_LENGTH * 4 || !(await verifyPassword(currentPassword, row.passwordHash))) {
    await recordLoginFailure(ctx.prisma, row.email);
    throw badInput('currentPassword is wrong', 'currentPassword');
  }
  const password = check.newPassword(newPassword, 'newPassword');
  if (password === currentPassword) throw badInput('newPassword must differ from the current password', 'newPassword');
  const sessionVersion = await raiseSessionVersion(ctx.prisma, account, await hashPassword(password));
  const viewer = account.kind === 'STAFF' ? ctx.viewer : customerViewer(account.id);
  const { token, expiresAt } = issueViewerToken(viewer, ctx.secrets.jwtSecret, Date.now(), sessionVersion);
  return { token, expiresAt, viewer };
}

/** `Mutation.signOutEverywhere`: ends every token of the caller's account, this one included. */
export async function signOutEverywhere(ctx: CustomersContext): Promise<boolean> {
  await raiseSessionVersion(ctx.prisma, ownAccount(ctx.viewer, 'Signing out'));
  return true;
}

/** The staff account `id`, if the caller may manage it (disable, enable, reset its password). */
async function manageableStaff(ctx: CustomersContext, id: string, action: string): Promise<StaffUserRow> {
  if (ctx.viewer.kind !== 'STAFF') refuse(refusal(ctx.viewer, 'Staff accounts', STAFF_RULE));
  const staffId = check.text(id, 'id', 200);
  const staff = await ctx.loaders.staffById.load(staffId);
  if (!staff) throw notFound(`No staff account has id ${staffId}`);
  if (!canManageStaffAccount(ctx.viewer, staff)) {
    throw forbidden(
      staff.id === ctx.viewer.id
        ? `You cannot ${action} your own account this way; ask another administrator${action.includes('password') ? ', or use changePassword' : ''}`
        : `Admins may ${action} any staff account; supervisors only the counter clerks and postmen of their division`,
    );
  }
  return staff;
}

/**
 * `Mutation.resetStaffUserPassword`: a member of staff who forgot their password gets a new one from
 * whoever manages their account, who hands it over in person. Every session of the account ends.
 */
export async function resetStaffUserPassword(ctx: CustomersContext, id: string, newPassword: string): Promise<StaffUserRow> {
  const staff = await manageableStaff(ctx, id, 'reset the password of');
  const password = check.newPassword(newPassword, 'newPassword');
  return ctx.prisma.staffUser.update({
    where: { id: staff.id },
    data: { passwordHash: await hashPassword(password), sessionVersion: { increment: 1 } },
  });
}

/**
 * `Mutation.setStaffUserActive`: disables a staff account (login refused, every token refused by the
 * gateway within seconds) or enables it again (old tokens stay ended; they log in afresh).
 */
export async function setStaffUserActive(ctx: CustomersContext, id: string, active: boolean): Promise<StaffUserRow> {
  const staff = await manageableStaff(ctx, id, active ? 'enable' : 'disable');
  if (active === (staff.disabledAt === null)) return staff;
  return ctx.prisma.staffUser.update({
    where: { id: staff.id },
    data: active ? { disabledAt: null } : { disabledAt: new Date(), sessionVersion: { increment: 1 } },
  });
}

