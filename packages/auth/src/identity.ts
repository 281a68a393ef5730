import { AuthError } from './errors.js';
import { constantTimeEqual, decodeBase64Url, decodeJsonObject, formatInstant, hmacSha256, requireStrongSecret } from './encoding.js';

/** What kind of caller a request comes from. */
export type ViewerKind = 'PUBLIC' | 'STAFF' | 'CUSTOMER' | 'PARTNER';
/** A member of staff's role, which decides what they may see and do. */
export type StaffRole = 'COUNTER_CLERK' | 'POSTMAN' | 'SUPERVISOR' | 'ANALYST' | 'ADMIN';

/** Every ViewerKind, for validation and for mapping to GraphQL enums. */
export const VIEWER_KINDS: readonly ViewerKind[] = Object.freeze(['PUBLIC', 'STAFF', 'CUSTOMER', 'PARTNER']);
/** Every StaffRole, for validation and for mapping to GraphQL enums. */
export const STAFF_ROLES: readonly StaffRole[] = Object.freeze(['COUNTER_CLERK', 'POSTMAN', 'SUPERVISOR', 'ANALYST', 'ADMIN']);

/**
 * Who is calling, as established by the gateway. Invariants (checked when signing and verifying):
 * PUBLIC has every field null; STAFF has `id` and `role`; CUSTOMER has `customerId`; PARTNER has
 * `partnerId`; only STAFF has a `role`.
 */
export interface Viewer {
  kind: ViewerKind;
  /** The authenticated principal (staff id, customer id or partner id); null for PUBLIC. */
  id: string | null;
  role: StaffRole | null;
  /** The post office a member of staff works at. */
  officeId: string | null;
  /** The postal division a member of staff belongs to. */
  divisionId: string | null;
  partnerId: string | null;
  customerId: string | null;
}

/** The anonymous caller. */
export const PUBLIC_VIEWER: Readonly<Viewer> = Object.freeze({
  kind: 'PUBLIC',
  id: null,
  role: null,
  officeId: null,
  divisionId: null,
  partnerId: null,
  customerId: null,
});

/** The HTTP header carrying the signed viewer from the gateway to subgraphs. */
export const IDENTITY_HEADER = 'x-dakgraph-identity';

/** Options for verifyIdentity. */
export interface VerifyIdentityOptions {
  /** Current time in milliseconds since the epoch (as Date.now()); injectable for tests. */
  now?: number;
  /** How old a header may be; 300 s by default. Short, since one is made per request. */
  maxAgeSeconds?: number;
}

const VERSION = 'v1';
const VIEWER_FIELDS = ['kind', 'id', 'role', 'officeId', 'divisionId', 'partnerId', 'customerId'] as const;
const ID_FIELDS = ['id', 'officeId', 'divisionId', 'partnerId', 'customerId'] as const;
const MAX_ID_LENGTH = 256;
// Well above any real viewer; keeps a hostile header from costing more than a small HMAC.
const MAX_HEADER_LENGTH = 4096;
// Gateway and subgraph clocks are never exactly equal; a header stamped slightly ahead is still fresh.
const CLOCK_SKEW_SECONDS = 30;

/** Why `value` is not a valid Viewer, or null when it is. Extra fields are faults too. */
function viewerProblem(value: Record<string, unknown>): string | null {
  for (const field of VIEWER_FIELDS) if (!(field in value)) return `"${field}" is missing`;
  if (!VIEWER_KINDS.includes(value.kind as ViewerKind)) return `kind ${JSON.stringify(value.kind)} is not one of ${VIEWER_KINDS.join(', ')}`;
  if (value.role !== null && !STAFF_ROLES.includes(value.role as StaffRole)) return `role ${JSON.stringify(value.role)} is not one of ${STAFF_ROLES.join(', ')}`;
  for (const field of ID_FIELDS) {
    const id = value[field];
    if (id !== null && (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH)) return `"${field}" must be null or a non-empty string`;
  }
  switch (value.kind as ViewerKind) {
    case 'PUBLIC':
      if (ID_FIELDS.some((field) => value[field] !== null) || value.role !== null) return 'a PUBLIC viewer carries no ids or role';
      break;
    case 'STAFF':
      if (value.id === null || value.role === null) return 'a STAFF viewer needs an id and a role';
      break;
    case 'CUSTOMER':
      if (value.customerId === null) return 'a CUSTOMER viewer needs a customerId';
      break;
    case 'PARTNER':
      if (value.partnerId === null) return 'a PARTNER viewer needs a partnerId';
      break;
  }
  if (value.kind !== 'STAFF' && value.role !== null) return `only STAFF viewers have a role, not ${String(value.kind)}`;
  return null;
}

/**
 * The header value for `viewer`: `v1.<base64url(JSON with iat)>.<base64url(HMAC-SHA256)>`, the MAC
 * covering the version too. Throws a plain Error for a secret under 32 bytes or a viewer breaking the
 * Viewer invariants: both are faults in the gateway, and signing them would only fail later.
 */
export function signIdentity(viewer: Viewer, secret: string, now: number = Date.now()): string {
  requireStrongSecret(secret);
  const fields: Record<string, unknown> = {};
  // Copy only the known fields, so a Viewer-shaped object carrying extras (a database row) still signs.
  for (const field of VIEWER_FIELDS) fields[field] = viewer?.[field];
  const problem = viewerProblem(fields);
  if (problem) throw new Error(`signIdentity was given an invalid viewer: ${problem}`);
  const encodedPayload = Buffer.from(JSON.stringify({ ...fields, iat: Math.floor(now / 1000) })).toString('base64url');
  const signingInput = `${VERSION}.${encodedPayload}`;
  return `${signingInput}.${hmacSha256(secret, signingInput).toString('base64url')}`;
}

/**
 * The viewer in an identity header, after checking its signature, age and shape. Throws AuthError:
 * MISSING (no header: the request did not come through the gateway), MALFORMED, BAD_SIGNATURE,
 * EXPIRED, or NOT_YET_VALID (stamped in the future: the clocks disagree); a plain Error for a secret
 * under 32 bytes. A correctly signed header with a bad shape is still MALFORMED.
 */
export function verifyIdentity(header: string | undefined, secret: string, options: VerifyIdentityOptions = {}): Viewer {
  requireStrongSecret(secret);
  const maxAgeSeconds = options.maxAgeSeconds ?? 300;
  if (!Number.isFinite(maxAgeSeconds) || maxAgeSeconds <= 0) throw new Error(`maxAgeSeconds must be a positive number; got ${maxAgeSeconds}`);

  if (header === undefined || header === '') {
    throw new AuthError('MISSING', `The request has no ${IDENTITY_HEADER} header; subgraphs are only reachable through the dakgraph gateway`);
  }
  if (typeof header !== 'string' || header.length > MAX_HEADER_LENGTH) {
    throw new AuthError('MALFORMED', `The ${IDENTITY_HEADER} header is not a single value of a sane length`);
  }
  const parts = header.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) {
    throw new AuthError('MALFORMED', `The ${IDENTITY_HEADER} header is not in the ${VERSION}.<payload>.<signature> format; is the gateway a different version from this subgraph?`);
  }
  const [, encodedPayload, encodedSignature] = parts as [string, string, string];

  const signature = decodeBase64Url(encodedSignature);
  if (!signature || !constantTimeEqual(signature, hmacSha256(secret, `${VERSION}.${encodedPayload}`))) {
    throw new AuthError('BAD_SIGNATURE', `The ${IDENTITY_HEADER} signature does not match: the header was altered, or the gateway and this subgraph have different identity secrets`);
  }

  const payload = decodeJsonObject(encodedPayload);
  if (!payload) throw new AuthError('MALFORMED', `The ${IDENTITY_HEADER} payload is not base64url JSON`);
  const { iat, ...fields } = payload;
  if (typeof iat !== 'number' || !Number.isInteger(iat)) throw new AuthError('MALFORMED', `The ${IDENTITY_HEADER} payload has no issue time`);
  const extra = Object.keys(fields).find((field) => !(VIEWER_FIELDS as readonly string[]).includes(field));
  const problem = extra !== undefined ? `unexpected field "${extra}"` : viewerProblem(fields);
  if (problem) throw new AuthError('MALFORMED', `The ${IDENTITY_HEADER} payload is not a valid viewer: ${problem}`);

  const nowSeconds = (options.now ?? Date.now()) / 1000;
  if (nowSeconds > iat + maxAgeSeconds) {
    throw new AuthError('EXPIRED', `The ${IDENTITY_HEADER} header expired at ${formatInstant(iat + maxAgeSeconds)}; it is made per request, so a replayed or long-queued request must be sent again through the gateway`);
  }
  if (iat > nowSeconds + CLOCK_SKEW_SECONDS) {
    throw new AuthError('NOT_YET_VALID', `The ${IDENTITY_HEADER} header was issued at ${formatInstant(iat)}, in the future; synchronise the gateway's and this subgraph's clocks`);
  }

  const viewer: Viewer = {
    kind: fields.kind as ViewerKind,
    id: fields.id as string | null,
    role: fields.role as StaffRole | null,
    officeId: fields.officeId as string | null,
    divisionId: fields.divisionId as string | null,
    partnerId: fields.partnerId as string | null,
    customerId: fields.customerId as string | null,
  };
  return viewer;
}
