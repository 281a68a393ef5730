import { signedInternalRoute, type HttpRoute } from '@dakgraph/graphql-kit';
import type { CustomersPrisma } from '../db';
import { verifySession, type SessionRefusal } from '../services/sessions';

/** Where the gateway asks whether a login token's session is still open (it has no database of its own). */
export const SESSION_VERIFY_PATH = '/internal/sessions/verify';

const REFUSALS: Record<SessionRefusal, string> = {
  UNKNOWN: 'The account behind this token no longer exists; log in again',
  DISABLED: 'This staff account is disabled; ask an administrator',
  SIGNED_OUT: 'This session has ended (the password was changed or every session was signed out); log in again',
};

/**
 * `POST /internal/sessions/verify` with `{"kind": "STAFF"|"CUSTOMER", "id", "sessionVersion"}`, signed by
 * the gateway after it has checked the token's signature and expiry. 200 `{}` while the session is open;
 * 401 `{"error","reason"}` once the account is gone, disabled or signed out; 400 for another body.
 */
export function sessionVerifyRoute(prisma: CustomersPrisma, identitySecret: string): HttpRoute {
  return signedInternalRoute({
    path: SESSION_VERIFY_PATH,
    identitySecret,
    async handle(body) {
      const { kind, id, sessionVersion } = (body ?? {}) as { kind?: unknown; id?: unknown; sessionVersion?: unknown };
      if ((kind !== 'STAFF' && kind !== 'CUSTOMER') || typeof id !== 'string' || id.length === 0 || id.length > 100 || !Number.isSafeInteger(sessionVersion)) {
        return { status: 400, body: { error: 'The body must be JSON {"kind": "STAFF"|"CUSTOMER", "id": "<account id>", "sessionVersion": <integer>}' } };
      }
      const verdict = await verifySession(prisma, { kind, id, sessionVersion: sessionVersion as number });
      if (!verdict.ok) return { status: 401, body: { error: REFUSALS[verdict.reason], reason: verdict.reason } };
      return { status: 200, body: {} };
    },
  });
}
