import { randomBytes } from 'node:crypto';
import { hashPassword, issueViewerToken, MAX_PASSWORD_LENGTH, needsRehash, verifyPassword, type Viewer } from '@dakgraph/auth';
import { unauthenticated } from '@dakgraph/graphql-kit';
import type { CustomersContext } from '../context';
import type { CustomerRow } from '../db';
import type { RegisterCustomerInput } from '../__generated__/resolvers-types';
import { customerViewer, registerCustomer } from './customers';
import { clearLoginFailures, recordLoginFailure, refuseThrottledLogin } from './loginThrottle';
import { staffByEmail, staffViewer } from './staff';

/** What `Mutation.login` answers. */
export interface LoginOutcome {
  token: string;
  expiresAt: Date;
  viewer: Viewer;
}

/** What `Mutation.registerCustomer` answers. */
export interface RegisteredCustomerOutcome {
  customer: CustomerRow;
  token: string;
  expiresAt: Date;
}

// One message for an unknown email and a wrong password, so the answer does not reveal who has an account.
const WRONG_CREDENTIALS = 'The email or password is wrong';

// Verifying against a throwaway hash when no account matches makes "no such email" take as long as
// "wrong password", so timing does not reveal who has an account either.
let decoyHash: Promise<string> | null = null;
const decoy = () => (decoyHash ??= hashPassword(randomBytes(16).toString('base64url')));

/** The account behind an email: staff first (the index is unique per table), then customers who log in. */
async function accountOf(ctx: CustomersContext, email: string) {
  const staff = await staffByEmail(ctx.prisma, email);
  if (staff) return { kind: 'STAFF' as const, row: staff, passwordHash: staff.passwordHash };
  const ids = await ctx.prisma.$queryRaw<{ id: string }[]>`
    SELECT id FROM customers.customer WHERE lower(email) = lower(${email}) AND password_hash IS NOT NULL LIMIT 1`;
  const customer = ids[0] ? await ctx.prisma.customer.findUnique({ where: { id: ids[0].id } }) : null;
  return customer?.passwordHash ? { kind: 'CUSTOMER' as const, row: customer, passwordHash: customer.passwordHash } : null;
}

/** `Mutation.login`: staff and self-registered customers. */
export async function login(ctx: CustomersContext, email: string, password: string): Promise<LoginOutcome> {
  const trimmed = email.trim();
  // Far longer than any policy allows: refuse before doing any work for it.
  if (trimmed.length === 0 || trimmed.length > 254 || password.length > MAX_PASSWORD_LENGTH * 4) {
    throw unauthenticated(WRONG_CREDENTIALS);
  }
  // Before any password work: a throttled email costs the server no scrypt either.
  const hadFailures = await refuseThrottledLogin(ctx.prisma, trimmed);
  const account = await accountOf(ctx, trimmed);
  const matches = await verifyPassword(password, account?.passwordHash ?? (await decoy()));
  if (!account || !matches) {
    await recordLoginFailure(ctx.prisma, trimmed);
    throw unauthenticated(WRONG_CREDENTIALS);
  }
  if (hadFailures) await clearLoginFailures(ctx.prisma, trimmed);
  if (account.kind === 'STAFF' && account.row.disabledAt) {
    throw unauthenticated('This staff account is disabled; ask an administrator');
  }
  // Hashes made with weaker parameters are upgraded while the password is at hand.
  if (needsRehash(account.passwordHash)) {
    const passwordHash = await hashPassword(password);
    if (account.kind === 'STAFF') await ctx.prisma.staffUser.update({ where: { id: account.row.id }, data: { passwordHash } });
    else await ctx.prisma.customer.update({ where: { id: account.row.id }, data: { passwordHash } });
  }
  const viewer = account.kind === 'STAFF' ? staffViewer(account.row) : customerViewer(account.row.id);
  const { token, expiresAt } = issueViewerToken(viewer, ctx.secrets.jwtSecret, Date.now(), account.row.sessionVersion);
  ctx.sessionViewer = viewer;
  return { token, expiresAt, viewer };
}

/** `Mutation.registerCustomer`: the sign-up, then a login token for the new customer. */
export async function registerAndLogIn(
  ctx: CustomersContext,
  input: RegisterCustomerInput,
  key: string,
): Promise<RegisteredCustomerOutcome> {
  const customer = await registerCustomer(ctx, input, key);
  const viewer = customerViewer(customer.id);
  const { token, expiresAt } = issueViewerToken(viewer, ctx.secrets.jwtSecret, Date.now(), customer.sessionVersion);
  ctx.sessionViewer = viewer;
  return { customer, token, expiresAt };
}
