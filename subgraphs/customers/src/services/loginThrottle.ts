import { createHash } from 'node:crypto';
import { apiError } from '@dakgraph/graphql-kit';
import type { CustomersPrisma } from '../db';

/**
 * Failed logins are counted per email: after LOGIN_FAILURES_ALLOWED failures within LOGIN_WINDOW_SECONDS
 * of the first, that email's logins are refused (RATE_LIMITED, even with the right password) until the
 * window ends. The gateway's per-IP limit alone would allow 600 guesses a minute from each address.
 * Unknown emails count the same way, so the answers do not reveal who has an account. The price is
 * that someone who knows an email can hold its owner out for a window; a short window keeps that small.
 */
export const LOGIN_FAILURES_ALLOWED = 10;
export const LOGIN_WINDOW_SECONDS = 15 * 60;

/** Rows are keyed by a hash: guesses at made-up emails store nothing readable and nothing long. */
function emailHash(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}

/**
 * Refuses the login when the email's failures have reached the limit within the current window.
 * Returns whether the email has a failure record (a successful login then clears it).
 */
export async function refuseThrottledLogin(prisma: CustomersPrisma, email: string): Promise<boolean> {
  // Times come from the database alone, so the subgraph's and the database's clocks cannot disagree.
  const [row] = await prisma.$queryRaw<{ failures: number; retryAfterSeconds: number }[]>`
    SELECT failures,
           ceil(extract(epoch FROM window_started_at + ${LOGIN_WINDOW_SECONDS}::int * interval '1 second' - now()))::int AS "retryAfterSeconds"
      FROM customers.login_throttle WHERE email_hash = ${emailHash(email)}`;
  if (!row) return false;
  if (row.failures >= LOGIN_FAILURES_ALLOWED && row.retryAfterSeconds > 0) {
    const minutes = Math.ceil(row.retryAfterSeconds / 60);
    throw apiError(
      'RATE_LIMITED',
      `Too many failed logins for this email; try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an administrator`,
      { retryAfterSeconds: row.retryAfterSeconds },
    );
  }
  return true;
}

/** Counts a failed login: a new window when there is none or the last one ended, else one more failure. */
export async function recordLoginFailure(prisma: CustomersPrisma, email: string): Promise<void> {
  await prisma.$executeRaw`
    INSERT INTO customers.login_throttle AS t (email_hash, failures, window_started_at)
    VALUES (${emailHash(email)}, 1, now())
    ON CONFLICT (email_hash) DO UPDATE SET
      failures = CASE WHEN t.window_started_at <= now() - ${LOGIN_WINDOW_SECONDS}::int * interval '1 second' THEN 1 ELSE t.failures + 1 END,
      window_started_at = CASE WHEN t.window_started_at <= now() - ${LOGIN_WINDOW_SECONDS}::int * interval '1 second' THEN now() ELSE t.window_started_at END`;
}

/** A successful login forgets the email's earlier failures. */
export async function clearLoginFailures(prisma: CustomersPrisma, email: string): Promise<void> {
  await prisma.loginThrottle.deleteMany({ where: { emailHash: emailHash(email) } });
}
