import { createHash } from 'node:crypto';

/**
 * Offline delivery: the rules that make a postman's synced events end in the same state whatever order
 * they arrive in. What a sync does with them is src/services/deliverySync.ts.
 */

/** What a handheld records. */
export type DeliverySyncKind = 'DELIVERED' | 'ATTEMPTED';

/** Why a synced event is not in its article's timeline (the API's DeliverySyncRejection). */
export type DeliverySyncRejection =
  | 'INVALID_EVENT'
  | 'UNKNOWN_ARTICLE'
  | 'NOT_ASSIGNED'
  | 'FUTURE_TIME'
  | 'BEFORE_BOOKING'
  | 'BEFORE_ASSIGNMENT'
  | 'OTP_REQUIRED'
  | 'OTP_INVALID'
  | 'OTP_LOCKED'
  | 'OTP_EXPIRED'
  | 'COD_MISMATCH'
  | 'ALREADY_DELIVERED'
  | 'ALREADY_RETURNED'
  | 'ALREADY_ATTEMPTED'
  | 'NOT_WITH_POSTMAN'
  | 'CLIENT_EVENT_ID_REUSED';

/** Events one sync takes: a day's beat for one postman, and one statement per kind of write. */
export const MAX_SYNC_EVENTS = 500;
/** How far ahead of the server's clock a device's clock may run before its times are not believed. */
export const DEVICE_CLOCK_SKEW_MS = 10 * 60_000;
/** A device's id for an event: short, printable, safe in logs. */
export const CLIENT_EVENT_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** Device ids: "dev_" and 26 characters of Crockford's base32 in lower case, like the customers subgraph's ids. */
export const DEVICE_ID = /^dev_[0-9a-hjkmnp-tv-z]{26}$/;

/** A synced event as the timeline orders it. */
export interface OrderedSyncEvent {
  occurredAt: Date;
  kind: DeliverySyncKind;
  deviceId: string;
  clientEventId: string;
}

/**
 * The timeline's order: by when it happened; at the same instant an attempt before a delivery (a
 * knock, then the door opens); then by device and the device's id, so that even events at the same
 * millisecond have one order, the same at every sync.
 */
export function compareSyncEvents(a: OrderedSyncEvent, b: OrderedSyncEvent): number {
  return (
    a.occurredAt.getTime() - b.occurredAt.getTime() ||
    (a.kind === b.kind ? 0 : a.kind === 'ATTEMPTED' ? -1 : 1) ||
    (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0) ||
    (a.clientEventId < b.clientEventId ? -1 : a.clientEventId > b.clientEventId ? 1 : 0)
  );
}

/** What of an event its fingerprint covers: everything given but the OTP. */
export interface FingerprintedEvent {
  articleNumber: string;
  kind: DeliverySyncKind;
  occurredAt: string;
  reason?: string | null;
  receivedBy?: string | null;
  codCollected?: { amountPaise: number; mode: string } | null;
  location?: { latitude: number; longitude: number } | null;
}

/**
 * SHA-256 of the event as given, without its OTP: a retry of the same event matches, another event
 * sent under the same clientEventId does not. The OTP is left out because six digits hashed beside
 * fields anyone holding the row knows would be the OTP again after a million guesses.
 */
export function syncFingerprint(event: FingerprintedEvent): string {
  const canonical = JSON.stringify([
    event.articleNumber,
    event.kind,
    event.occurredAt,
    event.reason ?? null,
    event.receivedBy ?? null,
    event.codCollected ? [event.codCollected.amountPaise, event.codCollected.mode] : null,
    event.location ? [event.location.latitude, event.location.longitude] : null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
