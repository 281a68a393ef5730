import { AuthError } from './errors.js';
import { STAFF_ROLES, type StaffRole, type Viewer } from './identity.js';
import { signToken, verifyToken } from './jwt.js';

/** How long a login lasts: a counter or postman shift for staff, a day for customers. */
export const TOKEN_TTL_SECONDS = { STAFF: 10 * 3600, CUSTOMER: 24 * 3600 } as const;

/**
 * Issues the bearer token for a logged-in member of staff or customer (partners use API keys). The
 * customers subgraph issues it at login; the gateway turns it back into a Viewer on every request.
 */
export function issueViewerToken(viewer: Viewer, secret: string, now = Date.now()): { token: string; expiresAt: Date } {
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
    },
    secret,
    { ttlSeconds, now },
  );
  return { token, expiresAt: new Date(now + ttlSeconds * 1000) };
}

const optionalString = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

/** Verifies a bearer token and reads the Viewer it stands for; throws AuthError when it does not verify. */
export function viewerFromToken(token: string, secret: string, now = Date.now()): Viewer {
  const claims = verifyToken(token, secret, { now });
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
