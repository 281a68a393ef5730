import { randomBytes } from 'node:crypto';
import { AuthError } from './errors.js';
import { constantTimeEqual, decodeBase64Url, decodeJsonObject, formatInstant, hmacSha256, requireStrongSecret } from './encoding.js';

/** The `iss` of every token dakgraph issues; tokens from anyone else are refused. */
export const TOKEN_ISSUER = 'dakgraph';

/** Claims of a verified token: the registered ones dakgraph always sets, plus the application's own. */
export interface TokenClaims {
  /** Who the token speaks for (a staff, customer or partner id). */
  sub: string;
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Expires at, seconds since the epoch. */
  exp: number;
  iss: typeof TOKEN_ISSUER;
  /** Random token id, so a single token can be revoked. */
  jti: string;
  /** Not before, seconds since the epoch; honoured when present, never set by signToken. */
  nbf?: number;
  [claim: string]: unknown;
}

/** What the caller of signToken provides: the subject and any application claims. */
export type TokenInput = { sub: string } & Record<string, unknown>;

/** Options for signToken. */
export interface SignTokenOptions {
  /** Lifetime in whole seconds. */
  ttlSeconds: number;
  /** Current time in milliseconds since the epoch (as Date.now()); injectable for tests. */
  now?: number;
}

/** Options for verifyToken. */
export interface VerifyTokenOptions {
  /** Current time in milliseconds since the epoch (as Date.now()); injectable for tests. */
  now?: number;
  /** Tolerance for clocks that disagree between issuer and verifier; 30 s by default. */
  clockSkewSeconds?: number;
}

// Claims signToken owns: letting a caller pass `exp` or `iss` would bypass ttlSeconds and the issuer check.
const RESERVED_CLAIMS = ['iss', 'iat', 'exp', 'nbf', 'jti'] as const;
// HS256 only: accepting whatever `alg` a token names is how "none" and RS256-with-HMAC-key attacks work.
const ALGORITHM = 'HS256';
const ENCODED_HEADER = Buffer.from(JSON.stringify({ alg: ALGORITHM, typ: 'JWT' })).toString('base64url');
// Far above any token we issue; stops an attacker making us decode and HMAC megabytes.
const MAX_TOKEN_LENGTH = 8192;

/**
 * Issues a compact JWS (HS256) for `claims`, adding iss, iat, exp and a random jti. Throws a plain
 * Error for a secret under 32 bytes, a missing subject, a reserved claim or a bad ttl: all
 * programming or configuration faults.
 */
export function signToken(claims: TokenInput, secret: string, options: SignTokenOptions): string {
  requireStrongSecret(secret);
  if (typeof claims?.sub !== 'string' || claims.sub === '') throw new Error('signToken needs a non-empty string `sub`');
  for (const name of RESERVED_CLAIMS) {
    if (name in claims) throw new Error(`signToken sets the "${name}" claim itself; remove it (use ttlSeconds for the lifetime)`);
  }
  const { ttlSeconds } = options;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new Error(`ttlSeconds must be a positive whole number; got ${ttlSeconds}`);

  const issuedAt = Math.floor((options.now ?? Date.now()) / 1000);
  const payload: TokenClaims = {
    ...claims,
    iss: TOKEN_ISSUER,
    iat: issuedAt,
    exp: issuedAt + ttlSeconds,
    jti: randomBytes(16).toString('base64url'),
  };
  const signingInput = `${ENCODED_HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${signingInput}.${hmacSha256(secret, signingInput).toString('base64url')}`;
}

/**
 * Verifies a token from signToken and returns its claims. Application claims are returned as they
 * were signed but not type-checked: validate the ones you use. Throws AuthError (MALFORMED,
 * UNSUPPORTED_ALGORITHM, BAD_SIGNATURE, WRONG_ISSUER, EXPIRED, NOT_YET_VALID) for a token that cannot
 * be trusted, and a plain Error for a secret under 32 bytes.
 */
export function verifyToken(token: string, secret: string, options: VerifyTokenOptions = {}): TokenClaims {
  requireStrongSecret(secret);
  const clockSkewSeconds = options.clockSkewSeconds ?? 30;
  if (!Number.isFinite(clockSkewSeconds) || clockSkewSeconds < 0) {
    throw new Error(`clockSkewSeconds must be a non-negative number; got ${clockSkewSeconds}`);
  }

  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    throw new AuthError('MALFORMED', 'The token is empty or too long to be a dakgraph token; log in again to get a new one');
  }
  const parts = token.split('.');
  if (parts.length !== 3) {
    throw new AuthError('MALFORMED', 'The token is not a signed JWT (three dot-separated parts); send it exactly as issued, as "Authorization: Bearer <token>"');
  }
  const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];

  // The algorithm is checked before the signature so that "alg: none" is reported as what it is.
  const header = decodeJsonObject(encodedHeader);
  if (!header) throw new AuthError('MALFORMED', 'The token header is not valid base64url JSON; send the token exactly as issued');
  if (header.alg !== ALGORITHM) {
    throw new AuthError('UNSUPPORTED_ALGORITHM', `The token is signed with ${JSON.stringify(header.alg ?? null)}; only ${ALGORITHM} tokens issued by dakgraph are accepted`);
  }
  // RFC 7515: a verifier must reject critical extensions it does not understand, and we understand none.
  if ('crit' in header) throw new AuthError('MALFORMED', 'The token header names critical extensions, which dakgraph does not support');

  const signature = decodeBase64Url(encodedSignature);
  const expected = hmacSha256(secret, `${encodedHeader}.${encodedPayload}`);
  if (!signature || !constantTimeEqual(signature, expected)) {
    throw new AuthError('BAD_SIGNATURE', 'The token signature does not match: it was altered or signed with another key; log in again');
  }

  const claims = decodeJsonObject(encodedPayload);
  if (!claims) throw new AuthError('MALFORMED', 'The token payload is not valid base64url JSON; log in again');
  if (claims.iss !== TOKEN_ISSUER) {
    throw new AuthError('WRONG_ISSUER', `The token was issued by ${JSON.stringify(claims.iss ?? null)}, not ${TOKEN_ISSUER}; use a token from dakgraph's login`);
  }
  const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
  if (typeof claims.sub !== 'string' || claims.sub === '' || !isTime(claims.iat) || !isTime(claims.exp) || typeof claims.jti !== 'string' || (claims.nbf !== undefined && !isTime(claims.nbf))) {
    throw new AuthError('MALFORMED', 'The token lacks a subject, issue time, expiry or id; log in again');
  }

  const nowSeconds = (options.now ?? Date.now()) / 1000;
  if (nowSeconds >= claims.exp + clockSkewSeconds) {
    throw new AuthError('EXPIRED', `The token expired at ${formatInstant(claims.exp)}; log in again`);
  }
  const validFrom = Math.max(claims.iat, isTime(claims.nbf) ? claims.nbf : -Infinity);
  if (nowSeconds + clockSkewSeconds < validFrom) {
    throw new AuthError('NOT_YET_VALID', `The token is not valid until ${formatInstant(validFrom)}; check that this device's clock is right, then try again`);
  }
  return claims as TokenClaims;
}
