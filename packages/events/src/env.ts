import { createInProcessTransport } from './inProcess';
import { createJetStreamTransport, type JetStreamTransportOptions } from './jetstream';
import type { EventLogger, EventTransport } from './transport';

/**
 * The transport the environment asks for: NATS JetStream when NATS_URL is set (one or more servers,
 * comma-separated), otherwise the in-process one of the embedded single-process mode. `options` refine
 * the JetStream one (stream, subject prefix, ...) and give both the logger.
 */
export async function transportFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  options: Omit<JetStreamTransportOptions, 'servers'> & { log?: EventLogger } = {},
): Promise<EventTransport> {
  const servers = (env.NATS_URL ?? '')
    .split(',')
    .map((server) => server.trim())
    .filter(Boolean);
  if (servers.length === 0) return createInProcessTransport({ log: options.log });
  return createJetStreamTransport({ ...options, servers });
}
