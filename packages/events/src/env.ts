import type { EventHistory } from './history';
import { createInProcessTransport } from './inProcess';
import { createJetStreamTransport, type JetStreamTransportOptions } from './jetstream';
import type { EventLogger, EventTransport } from './transport';

/** The NATS servers NATS_URL names (one or more, comma-separated); none when it is unset or empty. */
export function natsServersFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.NATS_URL ?? '')
    .split(',')
    .map((server) => server.trim())
    .filter(Boolean);
}

/**
 * The transport of a host that runs every subgraph in one process (`npm start`): NATS JetStream when
 * NATS_URL is set, otherwise the in-process one of the embedded single-process mode. `options` refine
 * the JetStream one (stream, subject prefix, ...), give both the logger, and the in-process one its
 * history (what the outbox holds from before this process; JetStream keeps its own).
 */
export async function transportFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  options: Omit<JetStreamTransportOptions, 'servers'> & { log?: EventLogger; history?: EventHistory } = {},
): Promise<EventTransport> {
  const servers = natsServersFromEnv(env);
  const { history, ...jetStream } = options;
  if (servers.length === 0) return createInProcessTransport({ log: options.log, history });
  return createJetStreamTransport({ ...jetStream, servers });
}

/**
 * The transport of a subgraph running as its own process (`node dist/index.js`): JetStream when NATS_URL
 * is set, and none otherwise. Never the in-process transport: its consumers live in other processes, so
 * events published into this process's memory would be marked published and reach nobody. Without a
 * transport the events wait in the outbox until a relay with NATS runs, so nothing is lost.
 */
export async function standaloneTransport(subgraph: string, env: NodeJS.ProcessEnv = process.env, log: EventLogger = console): Promise<EventTransport | undefined> {
  const servers = natsServersFromEnv(env);
  if (servers.length === 0) {
    log.error(`${subgraph}: NATS_URL is not set, so domain events are neither published nor consumed by this process (they wait in the outbox)`);
    return undefined;
  }
  return createJetStreamTransport({ servers, log });
}
