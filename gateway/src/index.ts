import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { secretsFromEnv } from '@dakgraph/auth';
import { listen } from '@dakgraph/graphql-kit';
import { createRateLimiter } from './rateLimit';
import { createGateway, DEFAULT_RATE_LIMITS, subgraphUrlsFromEnv } from './server';

/**
 * Runs the gateway on its own: `PORT=4000 SUPERGRAPH_PATH=dist/supergraph.graphql node dist/index.js`.
 * Any valid Federation 2 supergraph file works. GATEWAY_PROCESSES=n (1 by default) runs n workers behind
 * the one port (node:cluster): query planning and response shaping are CPU work, and one Node process uses
 * one core. With more than one, set REDIS_URL so the workers share their abuse limits.
 */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 4000);
  const supergraphPath = path.resolve(process.env.SUPERGRAPH_PATH ?? path.join(__dirname, 'supergraph.graphql'));
  const supergraphSdl = readFileSync(supergraphPath, 'utf8');
  const { http } = await createGateway({
    supergraphSdl,
    subgraphUrls: subgraphUrlsFromEnv(),
    introspection: process.env.INTROSPECTION ? process.env.INTROSPECTION === 'true' : undefined,
    secrets: secretsFromEnv(),
    rateLimiter: createRateLimiter(),
    credentialCacheSeconds: credentialCacheSecondsFromEnv(),
    entityCacheEntries: entityCacheEntriesFromEnv(),
    trustedProxies: Number(process.env.TRUSTED_PROXIES ?? 0),
    rateLimits: {
      perIpPerMinute: Number(process.env.RATE_LIMIT_PER_IP_PER_MINUTE ?? DEFAULT_RATE_LIMITS.perIpPerMinute),
      perApiKeyPerMinute: Number(process.env.RATE_LIMIT_PER_API_KEY_PER_MINUTE ?? DEFAULT_RATE_LIMITS.perApiKeyPerMinute),
      failedAuthPerIpPerMinute: Number(process.env.RATE_LIMIT_FAILED_AUTH_PER_IP_PER_MINUTE ?? DEFAULT_RATE_LIMITS.failedAuthPerIpPerMinute),
    },
  });
  const bound = await listen(http, port);
  console.log(`dakgraph gateway ready at http://localhost:${bound}/graphql (supergraph ${supergraphPath})`);
}

const processes = gatewayProcessesFromEnv();
if (processes > 1 && cluster.isPrimary) {
  if (!process.env.REDIS_URL) console.error(`gateway: ${processes} processes without REDIS_URL count abuse limits per process, so each limit is ${processes} times as loose`);
  for (let i = 0; i < processes; i += 1) cluster.fork();
  let stopping = false;
  // A worker that dies is replaced; the others keep serving the port meanwhile.
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(`gateway: worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another`);
    setTimeout(() => !stopping && cluster.fork(), 500);
  });
  const stop = (): void => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    setTimeout(() => process.exit(0), 10_000).unref();
    cluster.on('exit', () => Object.keys(cluster.workers ?? {}).length === 0 && process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  main().catch((error: unknown) => {
    console.error('gateway failed to start:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

/** ENTITY_CACHE_ENTRIES: how many public entities the gateway keeps (20,000 by default; 0 turns it off). */
function entityCacheEntriesFromEnv(): number {
  const raw = (process.env.ENTITY_CACHE_ENTRIES ?? '20000').trim();
  if (!/^\d{1,7}$/.test(raw)) throw new Error(`ENTITY_CACHE_ENTRIES must be a whole number from 0 to 9999999, not "${raw}"`);
  return Number(raw);
}

function gatewayProcessesFromEnv(): number {
  const raw = (process.env.GATEWAY_PROCESSES ?? '1').trim();
  const count = Number(raw);
  if (/^\d+$/.test(raw) && count >= 1 && count <= 64) return count;
  console.error(`gateway failed to start: GATEWAY_PROCESSES must be a whole number from 1 to 64, not "${raw}"`);
  process.exit(2);
}

/**
 * CREDENTIAL_CACHE_SECONDS (API_KEY_CACHE_SECONDS is its older name): 0 to 300, 5 by default. It bounds
 * how long a revoked key or an ended session keeps working, so nonsense must not pass for "forever".
 */
function credentialCacheSecondsFromEnv(): number {
  const raw = (process.env.CREDENTIAL_CACHE_SECONDS ?? process.env.API_KEY_CACHE_SECONDS ?? '5').trim();
  const seconds = Number(raw);
  if (!/^\d+$/.test(raw) || seconds > 300) {
    throw new Error(`CREDENTIAL_CACHE_SECONDS must be a whole number of seconds from 0 to 300, not "${raw}"`);
  }
  return seconds;
}
