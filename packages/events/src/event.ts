import { randomBytes } from 'node:crypto';

/**
 * A fact one subgraph tells the others, e.g. that an article was delivered. Recorded in the outbox in
 * the same transaction as the change, so an event exists exactly when its change was committed.
 */
export interface DomainEvent<Payload = unknown> {
  /** UUIDv7: time-ordered, so the relay can publish in id order and JetStream de-duplicates on it. */
  id: string;
  /** What happened, `<entity>.<verb>` ('article.delivered'); also the last tokens of the NATS subject. */
  type: string;
  /** The subgraph that recorded it ('articles'). */
  source: string;
  /** What it is about, e.g. the article number: consumers order and group by it. */
  subject: string;
  /** 1, 2, 3, ... per subject, so a consumer can see a gap or an old event arriving late. */
  sequence: number;
  /** When the change happened, ISO 8601 (read back from the outbox in UTC, millisecond precision). */
  occurredAt: string;
  /** The payload's schema version: consumers can accept old shapes while producers move on. */
  version: number;
  payload: Payload;
}

/**
 * Event types become NATS subject tokens: dot-separated tokens of letters, digits, '_' and '-', so that
 * no type can carry a wildcard ('*', '>') or an empty token into a subject.
 */
const EVENT_TYPE = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** Refuses a type that could not be a NATS subject; returned unchanged. */
export function checkEventType(type: string): string {
  if (!EVENT_TYPE.test(type)) throw new Error(`event type must be dot-separated tokens of letters, digits, _ and -, not "${type}"`);
  return type;
}

// The last id made with the clock, so ids made within one millisecond still sort in the order they were
// made (RFC 9562 section 6.2, method 1: rand_a is a counter that starts at a random value each millisecond).
let lastMs = -1;
let counter = 0;

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, version 7, a 12-bit counter, variant 10, 62 random
 * bits. Without `at`, ids from this process are strictly increasing even within one millisecond (two
 * events recorded by one transaction keep their order); with `at`, the id carries that time (for
 * back-dated events and tests) and random counter bits.
 */
export function newEventId(at?: Date): string {
  let ms: number;
  let sequence: number;
  if (at) {
    ms = at.getTime();
    if (!Number.isInteger(ms) || ms < 0 || ms > 2 ** 48 - 1) throw new Error(`newEventId: a time from 1970 to year 10889, not ${at.toString()}`);
    sequence = randomBytes(2).readUInt16BE(0) & 0xfff;
  } else {
    ms = Date.now();
    if (ms > lastMs) {
      lastMs = ms;
      // Start low in the 12-bit space so that many ids fit in one millisecond before it runs out.
      counter = randomBytes(2).readUInt16BE(0) & 0x7ff;
    } else {
      // The clock stood still or stepped back: keep counting from the last id's time.
      counter += 1;
      if (counter > 0xfff) {
        lastMs += 1;
        counter = 0;
      }
      ms = lastMs;
    }
    sequence = counter;
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
