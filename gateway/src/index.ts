import { readFileSync } from 'node:fs';
import path from 'node:path';
import { secretsFromEnv } from '@dakgraph/auth';
import { listen } from '@dakgraph/graphql-kit';
import { createRateLimiter } from './rateLimit';
import { createGateway, DEFAULT_RATE_LIMITS, subgraphUrlsFromEnv } from './server';

/**
 * Runs the gateway on its own: `PORT=4000 SUPERGRAPH_PATH=dist/supergraph.graphql node dist/index.js`.
 * Any valid Federation 2 supergraph file works.
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

main().catch((error: unknown) => {
  console.error('gateway failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});

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
