import { checkEventType, type DomainEvent } from './event';
import type { EventHistory } from './history';
import { checkDurableName, redeliveryDelayMs, type ConsumeOptions, type ConsumerHandle, type EventHandler, type EventLogger, type EventTransport } from './transport';

export interface InProcessTransportOptions {
  log?: EventLogger;
  /**
   * After this many failed attempts at one event, `publish` stops waiting for that durable to take it
   * (the event stays queued and is retried in the background), so one poisonous event cannot hold the
   * relay, and every event behind it, forever. 3 by default.
   */
  waitAttempts?: number;
  /** The pause before a failed event is delivered again; redeliveryDelayMs by default. */
  redeliveryDelayMs?: (failures: number) => number;
  /**
   * What was published before this process (its memory) existed: the outbox's recent events. Each
   * durable's first run in the process is given them first, so what the previous process had marked
   * published but its consumers had not yet handled when it stopped or crashed still reaches them
   * (consumers de-duplicate the rest by event id). Without it, memory is all there is.
   */
  history?: EventHistory;
}

/** A queued delivery of one event to one durable. */
interface Delivery {
  event: DomainEvent;
  failures: number;
  /** Not before this time (ms since epoch): the backoff after a failure. */
  readyAt: number;
  /** Publishes waiting for this delivery; called once when it is handled (or given up waiting for). */
  waiters: (() => void)[];
}

/** One durable consumer's state, which outlives its runs so a restarted consumer resumes. */
interface Durable {
  name: string;
  types: ReadonlySet<string> | undefined;
  queue: Delivery[];
  running: { handler: EventHandler; stopping: boolean; loop: Promise<void>; wake: () => void } | undefined;
}

/**
 * The embedded, single-process transport: the same contract as JetStream, in memory. Each durable gets
 * a queue at its first `consume`, kept while it is stopped, so a restarted consumer receives what was
 * published meanwhile. Because memory does not survive a crash, `publish` resolves only when every
 * running durable has handled the events: the relay then marks an event published only once it was
 * processed, and a crash before that re-sends it at the next start (consumers de-duplicate). A stopped
 * durable is not waited for (its queue keeps the events), nor one that keeps failing beyond
 * `waitAttempts`. Events published before any consumer exists reach nobody: there is no history, so
 * consumers are started before the relay.
 *
 * Each durable handles one event at a time in publication order; after a failure, later events of the
 * same subject wait for it (order per subject holds), other subjects go on.
 *
 * Giving up waiting (a stopped durable, or `waitAttempts`) lets the relay mark an event published that
 * only this memory holds. `history` closes that gap across a restart: a durable's first run replays the
 * outbox's recent events, so nothing a consumer had not handled dies with the process.
 */
export function createInProcessTransport(options: InProcessTransportOptions = {}): EventTransport {
  const log = options.log ?? console;
  const waitAttempts = options.waitAttempts ?? 3;
  const delay = options.redeliveryDelayMs ?? redeliveryDelayMs;
  const durables = new Map<string, Durable>();
  let closed = false;

  function release(delivery: Delivery): void {
    for (const waiter of delivery.waiters.splice(0)) waiter();
  }

  /** The first delivery that may go now, skipping subjects whose earlier event waits for a retry. */
  function nextDelivery(durable: Durable, now: number): { index: number } | { wakeAt: number | undefined } {
    const waiting = new Set<string>();
    let wakeAt: number | undefined;
    for (const [index, delivery] of durable.queue.entries()) {
      if (waiting.has(delivery.event.subject)) continue;
      if (delivery.readyAt <= now) return { index };
      waiting.add(delivery.event.subject);
      wakeAt = wakeAt === undefined ? delivery.readyAt : Math.min(wakeAt, delivery.readyAt);
    }
    return { wakeAt };
  }

  async function run(durable: Durable): Promise<void> {
    for (;;) {
      const running = durable.running;
      if (!running || running.stopping) return;
      const next = nextDelivery(durable, Date.now());
      if (!('index' in next)) {
        await new Promise<void>((resolve) => {
          running.wake = resolve;
          if (next.wakeAt !== undefined) setTimeout(resolve, Math.max(0, next.wakeAt - Date.now())).unref();
        });
        continue;
      }
      const delivery = durable.queue[next.index] as Delivery;
      try {
        await running.handler(delivery.event);
        durable.queue.splice(durable.queue.indexOf(delivery), 1);
        release(delivery);
      } catch (error) {
        delivery.failures += 1;
        const pause = delay(delivery.failures);
        delivery.readyAt = Date.now() + pause;
        log.error(
          `[events] ${durable.name} failed on ${delivery.event.type} ${delivery.event.id} (attempt ${delivery.failures}, again in ${pause} ms): ${(error as Error).message}`,
        );
        if (delivery.failures >= waitAttempts) release(delivery);
      }
    }
  }

  function enqueue(durable: Durable, event: DomainEvent, pending: Promise<void>[]): void {
    if (durable.types && !durable.types.has(event.type)) return;
    // A republish (the relay crashed before marking) of an event still queued is the same delivery.
    const delivery = durable.queue.find((queued) => queued.event.id === event.id) ?? { event, failures: 0, readyAt: 0, waiters: [] };
    if (!durable.queue.includes(delivery)) durable.queue.push(delivery);
    if (durable.running && !durable.running.stopping) pending.push(new Promise<void>((resolve) => delivery.waiters.push(resolve)));
  }

  return {
    description: 'in-process events',
    async publish(events) {
      if (closed) throw new Error('the in-process event transport is closed');
      const pending: Promise<void>[] = [];
      for (const event of events) {
        checkEventType(event.type);
        for (const durable of durables.values()) enqueue(durable, event, pending);
      }
      for (const durable of durables.values()) durable.running?.wake();
      await Promise.all(pending);
    },

    async consume(name: string, consumeOptions: ConsumeOptions, handler: EventHandler): Promise<ConsumerHandle> {
      if (closed) throw new Error('the in-process event transport is closed');
      checkDurableName(name);
      const known = durables.get(name);
      const durable = known ?? { name, types: undefined, queue: [], running: undefined };
      if (durable.running) throw new Error(`durable ${name} is already consuming in this process`);
      durables.set(name, durable);
      durable.types = consumeOptions.types ? new Set(consumeOptions.types.map(checkEventType)) : undefined;
      if (!known && options.history) {
        // Queued before the run starts, so no publish waits on them; live events queue behind them.
        const replayed = await options.history(consumeOptions.types);
        for (const event of replayed) enqueue(durable, event, []);
        if (replayed.length) log.info(`[events] ${name} replays ${replayed.length} recent events from the outbox (handled ones are skipped by id)`);
      }
      const running: NonNullable<Durable['running']> = { handler, stopping: false, loop: Promise.resolve(), wake: () => undefined };
      durable.running = running;
      running.loop = run(durable);
      let stopped: Promise<void> | undefined;
      return {
        stop() {
          stopped ??= (async () => {
            running.stopping = true;
            running.wake();
            await running.loop;
            if (durable.running === running) durable.running = undefined;
            // Publishes waiting for this durable go on; its queue keeps the events for its next run.
            for (const delivery of durable.queue) release(delivery);
          })();
          return stopped;
        },
      };
    },

    async close() {
      closed = true;
      await Promise.all(
        [...durables.values()].map(async (durable) => {
          const running = durable.running;
          if (!running) return;
          running.stopping = true;
          running.wake();
          await running.loop;
          durable.running = undefined;
          for (const delivery of durable.queue) release(delivery);
        }),
      );
    },
  };
}
