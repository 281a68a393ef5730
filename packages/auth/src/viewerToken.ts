import { AuthError } from './errors.js';
import { STAFF_ROLES, type StaffRole, type Viewer } from './identity.js';
import { signToken, verifyToken, type TokenClaims } from './jwt.js';

/** How long a login lasts: a counter or postman shift for staff, a day for customers. */
export const TOKEN_TTL_SECONDS = { STAFF: 10 * 3600, CUSTOMER: 24 * 3600 } as const;

/**
 * Issues the bearer token for a logged-in member of staff or customer (partners use API keys). The
 * customers subgraph issues it at login; the gateway turns it back into a Viewer on every request.
 * `sessionVersion` is the account's count of "sign out everywhere" events (a password change, a
 * disabled account): the gateway asks the customers subgraph whether it is still current, so those
 * events end every older token without a deny-list.
 */
export function issueViewerToken(
  viewer: Viewer,
  secret: string,
  now = Date.now(),
  sessionVersion = 0,
): { token: string; expiresAt: Date } {
  if (viewer.kind !== 'STAFF' && viewer.kind !== 'CUSTOMER') {
    throw new Error(`Only staff and customers log in with tokens, not ${viewer.kind}`);
  }
  const ttlSeconds = TOKEN_TTL_SECONDS[viewer.kind];
  const token = signToken(
    {
      sub: viewer.id!,
      kind: viewer.kind,
      role: viewer.role,
      officeId: viewer.officeId,
      divisionId: viewer.divisionId,
      sv: sessionVersion,
    },
    secret,
    { ttlSeconds, now },
  );
  return { token, expiresAt: new Date(now + ttlSeconds * 1000) };
}

const optionalString = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

/** A verified login token: who it speaks for, and the account's session version when it was issued. */
export interface ViewerSession {
  viewer: Viewer;
  sessionVersion: number;
}

/** Verifies a bearer token and reads the Viewer it stands for; throws AuthError when it does not verify. */
export function viewerFromToken(token: string, secret: string, now = Date.now()): Viewer {
  return sessionFromToken(token, secret, now).viewer;
}

/** Verifies a bearer token and reads its viewer and session version (0 for tokens from before versions). */
export function sessionFromToken(token: string, secret: string, now = Date.now()): ViewerSession {
  const claims = verifyToken(token, secret, { now });
  const sv = claims.sv ?? 0;
  if (!Number.isSafeInteger(sv) || (sv as number) < 0) throw new AuthError('MALFORMED', 'The token has a malformed session version; log in again');
  return { viewer: viewerOfClaims(claims), sessionVersion: sv as number };
}

function viewerOfClaims(claims: TokenClaims): Viewer {
  if (claims.kind === 'STAFF') {
    if (!STAFF_ROLES.includes(claims.role as StaffRole)) throw new AuthError('MALFORMED', 'The token names no staff role; log in again');
    return {
      kind: 'STAFF',
      id: claims.sub,
      role: claims.role as StaffRole,
      officeId: optionalString(claims.officeId),
      divisionId: optionalString(claims.divisionId),
      partnerId: null,
      customerId: null,
    };
  }
  if (claims.kind === 'CUSTOMER') {
    return { kind: 'CUSTOMER', id: claims.sub, role: null, officeId: null, divisionId: null, partnerId: null, customerId: claims.sub };
  }
  throw new AuthError('MALFORMED', 'The token is not a dakgraph login token; log in again');
}
