import { serveInternalRoute, type HttpRoute, type InternalReply } from '@dakgraph/graphql-kit';
import { sessionVerifyRoute } from '@dakgraph/internal-api';
import type { CustomersPrisma } from '../db';
import { verifySession, type SessionRefusal } from '../services/sessions';

const REFUSALS: Record<SessionRefusal, string> = {
  UNKNOWN: 'The account behind this token no longer exists; log in again',
  DISABLED: 'This staff account is disabled; ask an administrator',
  SIGNED_OUT: 'This session has ended (the password was changed or every session was signed out); log in again',
};

/**
 * The gateway's session check, after it has checked a login token's signature and expiry (declared in
 * @dakgraph/internal-api): 200 while the session is open, 401 once the account is gone, disabled or
 * signed out.
 */
export function sessionVerifyHandler(prisma: CustomersPrisma, identitySecret: string): HttpRoute {
  // Annotated: without it, TypeScript widens the empty 200 body to the 401's optional keys.
  return serveInternalRoute(sessionVerifyRoute, identitySecret, async (session): Promise<InternalReply<typeof sessionVerifyRoute>> => {
    const verdict = await verifySession(prisma, session);
    if (!verdict.ok) return { status: 401, body: { error: REFUSALS[verdict.reason], reason: verdict.reason } };
    return { status: 200, body: {} };
  });
}
