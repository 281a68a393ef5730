import type { DomainEvent } from './event';

/** Handles one event; resolving acknowledges it, throwing asks for it again later (with backoff). */
export type EventHandler = (event: DomainEvent) => Promise<void>;

/** What a consumer wants delivered. */
export interface ConsumeOptions {
  /** Event types ('article.delivered'); every type when absent. */
  types?: readonly string[];
}

/** A running consumer. */
export interface ConsumerHandle {
  /**
   * Stops after the event in hand is handled and acknowledged; nothing is lost: whatever was not
   * acknowledged is delivered again when a consumer of the same durable name starts.
   */
  stop(): Promise<void>;
}

/** Logs of the event machinery; console fits, so does a subgraph's logger. */
export interface EventLogger {
  info(message: string): void;
  error(message: string): void;
}

/**
 * How events travel from the outbox relay to consumers: JetStream between processes, or memory in the
 * embedded single-process mode. Both keep the same contract, so a subgraph never knows which it has.
 */
export interface EventTransport {
  /** For logs: which transport this is. */
  readonly description: string;
  /**
   * Resolves only when the transport has durably accepted every event (JetStream: stored in the stream;
   * in process: handled by the consumers, since memory survives no crash). A rejection means some may
   * have gone and some not: publish again, consumers and JetStream de-duplicate by event id.
   */
  publish(events: readonly DomainEvent[]): Promise<void>;
  /**
   * Delivers events to `handler` under the durable name `durable`, at least once each: a durable
   * remembers what it acknowledged, so stopping and starting it again resumes where it left off.
   */
  consume(durable: string, options: ConsumeOptions, handler: EventHandler): Promise<ConsumerHandle>;
  /** Stops every consumer and lets go of the connection. */
  close(): Promise<void>;
}

/** How long to wait before delivering a failed event again: 100 ms doubling up to 30 s. */
export function redeliveryDelayMs(failures: number): number {
  return Math.min(100 * 2 ** Math.max(0, failures - 1), 30_000);
}

// Durable names end up in JetStream API subjects: no dots, spaces or wildcards.
const DURABLE = /^[A-Za-z0-9_-]{1,64}$/;

/** Returns `durable` when it can name a JetStream consumer; throws otherwise. */
export function checkDurableName(durable: string): string {
  if (!DURABLE.test(durable)) throw new Error(`durable name must be 1 to 64 letters, digits, _ or -, not "${durable}"`);
  return durable;
}
