import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { checkEventType, type DomainEvent } from './event';
import { checkDurableName, redeliveryDelayMs, type ConsumeOptions, type ConsumerHandle, type EventHandler, type EventLogger, type EventTransport } from './transport';

export interface JetStreamTransportOptions {
  /** NATS servers, e.g. 'nats://127.0.0.1:4222' or several. */
  servers: string | string[];
  /** The stream holding every domain event. */
  stream?: string;
  /** Events go to `<subjectPrefix>.<type>`; the stream takes `<subjectPrefix>.>`. */
  subjectPrefix?: string;
  /**
   * How long JetStream remembers event ids to drop a republished one: it should cover a relay's restart
   * after a crash between publishing and marking. 15 minutes by default (JetStream's own is 2).
   */
  duplicateWindowMs?: number;
  /** How long the stream keeps events, i.e. how far back a new durable starts. 7 days by default. */
  maxAgeMs?: number;
  /** How long a delivered, unacknowledged event waits before JetStream delivers it again. 30 s by default. */
  ackWaitMs?: number;
  /** Called for each event JetStream already had (a republish): logs and tests can see it was dropped. */
  onDuplicate?: (event: DomainEvent) => void;
  /** For the server's connection list. */
  name?: string;
  log?: EventLogger;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Domain events over NATS JetStream, for more than one process. The stream is created (or updated) at
 * connect. Each event is published to `<prefix>.<type>` with its id as the message id, so a republish
 * within the duplicate window is dropped by JetStream. Consumers are durable pull consumers with
 * explicit acknowledgement and no delivery limit: a failed event is delivered again after a growing
 * pause, and a stopped durable resumes where it left off. Fails if no server answers at start-up (a
 * subgraph that was told to use NATS should not start without it); later outages are retried.
 */
export async function createJetStreamTransport(options: JetStreamTransportOptions): Promise<EventTransport> {
  const stream = options.stream ?? 'DAKGRAPH_EVENTS';
  const prefix = options.subjectPrefix ?? 'dakgraph.events';
  const log = options.log ?? console;
  const ackWaitMs = options.ackWaitMs ?? 30_000;
  const nc = await connect({ servers: options.servers, name: options.name ?? 'dakgraph-events', maxReconnectAttempts: -1 });
  try {
    const jsm = await jetstreamManager(nc);
    await ensureStream(jsm, stream, prefix, options.duplicateWindowMs ?? 15 * 60 * 1000, options.maxAgeMs ?? 7 * DAY_MS);
    return jetStreamTransport(nc, jsm, { stream, prefix, log, ackWaitMs, onDuplicate: options.onDuplicate });
  } catch (error) {
    await nc.close();
    throw error;
  }
}

async function ensureStream(jsm: JetStreamManager, name: string, prefix: string, duplicateWindowMs: number, maxAgeMs: number): Promise<void> {
  const config = { subjects: [`${prefix}.>`], duplicate_window: nanos(duplicateWindowMs), max_age: nanos(maxAgeMs) };
  try {
    await jsm.streams.info(name);
  } catch (error) {
    if (!isApiError(error, JetStreamApiCodes.StreamNotFound)) throw error;
    await jsm.streams.add({ name, ...config, storage: StorageType.File, retention: RetentionPolicy.Limits });
    return;
  }
  await jsm.streams.update(name, config);
}

function isApiError(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}

/** Whether the server can filter one consumer by several subjects (NATS 2.10 and later). */
function hasMultiFilter(nc: NatsConnection): boolean {
  const [major = 0, minor = 0] = (nc.info?.version ?? '0.0').split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 10);
}

function jetStreamTransport(
  nc: NatsConnection,
  jsm: JetStreamManager,
  settings: { stream: string; prefix: string; log: EventLogger; ackWaitMs: number; onDuplicate: ((event: DomainEvent) => void) | undefined },
): EventTransport {
  const { stream, prefix, log } = settings;
  const js = jetstream(nc);
  const handles = new Set<ConsumerHandle>();

  /** The filter part of a durable's config, and the types left for this client to filter. */
  function filterFor(types: readonly string[] | undefined): { config: Partial<ConsumerConfig>; clientTypes: ReadonlySet<string> | undefined } {
    if (!types || types.length === 0) return { config: { filter_subject: `${prefix}.>` }, clientTypes: undefined };
    const subjects = [...new Set(types.map((type) => `${prefix}.${checkEventType(type)}`))];
    if (subjects.length === 1) return { config: { filter_subject: subjects[0] as string }, clientTypes: undefined };
    if (hasMultiFilter(nc)) return { config: { filter_subjects: subjects }, clientTypes: undefined };
    // NATS before 2.10 filters by one subject only: take all and acknowledge the other types unhandled.
    return { config: { filter_subject: `${prefix}.>` }, clientTypes: new Set(types) };
  }

  async function ensureConsumer(durable: string, filter: Partial<ConsumerConfig>): Promise<void> {
    const mutable: Partial<ConsumerConfig> = { ...filter, ack_wait: nanos(settings.ackWaitMs), max_deliver: -1 };
    try {
      await jsm.consumers.info(stream, durable);
    } catch (error) {
      if (!isApiError(error, JetStreamApiCodes.ConsumerNotFound)) throw error;
      await jsm.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, ...mutable });
      return;
    }
    await jsm.consumers.update(stream, durable, mutable);
  }

  async function handle(durable: string, message: JsMsg, handler: EventHandler, clientTypes: ReadonlySet<string> | undefined): Promise<void> {
    let event: DomainEvent;
    try {
      event = JSON.parse(message.string()) as DomainEvent;
    } catch {
      // It can never parse: delivering it again would only repeat this forever.
      log.error(`[events] ${durable}: message ${message.seq} on ${message.subject} is not JSON; terminated`);
      message.term();
      return;
    }
    if (clientTypes && !clientTypes.has(event.type)) {
      message.ack();
      return;
    }
    try {
      await handler(event);
      message.ack();
    } catch (error) {
      const failures = message.info.deliveryCount;
      const pause = redeliveryDelayMs(failures);
      log.error(`[events] ${durable} failed on ${event.type} ${event.id} (attempt ${failures}, again in ${pause} ms): ${(error as Error).message}`);
      message.nak(pause);
    }
  }

  return {
    description: `NATS JetStream stream ${stream} (${prefix}.>)`,
    async publish(events) {
      // One at a time, in order: if one fails, none after it is stored ahead of it, so a retry keeps the
      // order per subject (those before it are dropped as duplicates).
      for (const event of events) {
        const ack = await js.publish(`${prefix}.${checkEventType(event.type)}`, JSON.stringify(event), { msgID: event.id, expect: { streamName: stream } });
        if (ack.duplicate) settings.onDuplicate?.(event);
      }
    },

    async consume(durable: string, options: ConsumeOptions, handler: EventHandler): Promise<ConsumerHandle> {
      checkDurableName(durable);
      const { config, clientTypes } = filterFor(options.types);
      await ensureConsumer(durable, config);
      const consumer = await js.consumers.get(stream, durable);
      // A small buffer: what was pulled but not handled when a consumer stops waits for ack_wait.
      const messages = await consumer.consume({ max_messages: 16 });
      let stopping = false;
      const loop = (async () => {
        for await (const message of messages) {
          if (stopping) {
            // Pulled after the stop: hand it straight back rather than let it wait for ack_wait.
            message.nak();
            continue;
          }
          await handle(durable, message, handler, clientTypes);
        }
      })();
      let stopped: Promise<void> | undefined;
      const handle_: ConsumerHandle = {
        stop() {
          stopped ??= (async () => {
            stopping = true;
            await messages.close();
            await loop;
            handles.delete(handle_);
            // Acknowledgements are sent without waiting; make sure the server has them.
            if (!nc.isClosed()) await nc.flush();
          })();
          return stopped;
        },
      };
      handles.add(handle_);
      return handle_;
    },

    async close() {
      await Promise.all([...handles].map((h) => h.stop()));
      if (!nc.isClosed()) await nc.drain();
    },
  };
}
