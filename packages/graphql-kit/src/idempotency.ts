import { createHmac } from 'node:crypto';
import type { Viewer } from '@dakgraph/auth';
import { badInput } from './errors';
import type { HousekeepingTask } from './housekeeping';

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

/** How often a subgraph purges idempotency records older than the retention. */
export const IDEMPOTENCY_PURGE_EVERY_MS = 3600 * 1000;
const DEFAULT_RETENTION_HOURS = 7 * 24;

/**
 * How long an idempotency key is remembered: IDEMPOTENCY_RETENTION_HOURS, 7 days by default. A retry
 * within it creates nothing new; after it (and the next hourly purge) the key is free again. A week,
 * not Stripe's day, because a rural counter that lost its link may resend its day's bookings days later.
 */
export function idempotencyRetentionMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.IDEMPOTENCY_RETENTION_HOURS?.trim();
  if (raw === undefined || raw === '') return DEFAULT_RETENTION_HOURS * 3600 * 1000;
  const hours = Number(raw);
  if (!/^\d+$/.test(raw) || hours < 1 || hours > 8760) {
    throw new Error(`IDEMPOTENCY_RETENTION_HOURS must be a whole number of hours from 1 to 8760 (a year), not "${raw}"`);
  }
  return hours * 3600 * 1000;
}

/**
 * The hourly task that forgets keys older than `retentionMs`, so a subgraph's record table holds days
 * of keys rather than every key ever sent. `purgeBefore` deletes the subgraph's records created before
 * the cut-off (its own table, its own database).
 */
export function idempotencyPurgeTask(
  subgraph: string,
  retentionMs: number,
  purgeBefore: (cutoff: Date) => Promise<unknown>,
  now: () => number = Date.now,
): HousekeepingTask {
  return {
    name: `${subgraph} idempotency purge`,
    everyMs: IDEMPOTENCY_PURGE_EVERY_MS,
    run: () => purgeBefore(new Date(now() - retentionMs)),
  };
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
