import { createHmac } from 'node:crypto';
import type { Viewer } from '@dakgraph/auth';
import { badInput } from './errors';

// The parts of idempotent mutations that every subgraph shares: whose key it is, what a valid key
// looks like, and a fingerprint of the request. Storing and replaying stays in each subgraph (its
// own tables, its own transaction).

/**
 * Keys belong to a caller, so two partners may both use "order-1". Anonymous callers (self-sign-up)
 * share one namespace.
 */
export function idempotencyPrincipal(viewer: Viewer): string {
  switch (viewer.kind) {
    case 'STAFF':
      return `staff:${viewer.id}`;
    case 'PARTNER':
      return `partner:${viewer.partnerId}`;
    case 'CUSTOMER':
      return `customer:${viewer.customerId}`;
    default:
      return 'public';
  }
}

/** 8 to 128 printable characters without spaces (a UUID is ideal); returned unchanged. */
export function checkIdempotencyKey(key: string): string {
  if (!/^[\x21-\x7e]{8,128}$/.test(key)) {
    throw badInput('idempotencyKey must be 8 to 128 printable characters without spaces, e.g. a UUID', 'idempotencyKey');
  }
  return key;
}

/**
 * JSON with object keys sorted and null or absent fields dropped: GraphQL clients may send `null` or
 * leave a field out, and both mean the same request.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The stored fingerprint of a request. Keyed (HMAC), because the arguments may hold a password: a plain
 * hash would let anyone with the table guess it offline.
 */
export function requestFingerprint(secret: string, operation: string, args: unknown): string {
  return createHmac('sha256', `idempotency:${secret}`).update(`${operation}\n${canonicalJson(args)}`).digest('hex');
}
