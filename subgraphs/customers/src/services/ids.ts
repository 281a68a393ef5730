import { randomBytes } from 'node:crypto';
import { newId as newPrefixedId } from '@dakgraph/graphql-kit';

/** The kinds of record that get ids, and their prefixes (so an id says what it names). */
export type IdPrefix = 'cus' | 'adr' | 'ptn' | 'key' | 'stf' | 'whe' | 'whd';

/** A new id of one of the customers subgraph's kinds (the form is graphql-kit's newId). */
export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  return newPrefixedId(prefix, now);
}

/**
 * A UUIDv7 (RFC 9562): 48 bits of milliseconds, then random bits. The events dakgraph publishes are
 * identified so; a test webhook, which no event stands behind, gets one of its own.
 */
export function newUuidV7(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Math.floor(now), 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
