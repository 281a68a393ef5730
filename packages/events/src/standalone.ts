import { createJetStreamTransport } from './jetstream';
import type { EventLogger, EventTransport } from './transport';

/**
 * The transport of a subgraph running as its own process (`node dist/index.js`): JetStream when NATS_URL
 * is set, and none otherwise. Never the in-process transport: its consumers live in other processes, so
 * events published into this process's memory would be marked published and reach nobody. Without a
 * transport the events wait in the outbox until a relay with NATS runs, so nothing is lost.
 */
export async function standaloneTransport(subgraph: string, env: NodeJS.ProcessEnv = process.env, log: EventLogger = console): Promise<EventTransport | undefined> {
  const servers = (env.NATS_URL ?? '').split(',').map((server) => server.trim()).filter(Boolean);
  if (servers.length === 0) {
    log.error(`${subgraph}: NATS_URL is not set, so domain events are neither published nor consumed by this process (they wait in the outbox)`);
    return undefined;
  }
  return createJetStreamTransport({ servers, log });
}
