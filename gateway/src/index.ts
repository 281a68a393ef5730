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
    apiKeyCacheSeconds: Number(process.env.API_KEY_CACHE_SECONDS ?? 5),
    trustedProxies: Number(process.env.TRUSTED_PROXIES ?? 0),
    rateLimits: {
      perIpPerMinute: Number(process.env.RATE_LIMIT_PER_IP_PER_MINUTE ?? DEFAULT_RATE_LIMITS.perIpPerMinute),
      perApiKeyPerMinute: Number(process.env.RATE_LIMIT_PER_API_KEY_PER_MINUTE ?? DEFAULT_RATE_LIMITS.perApiKeyPerMinute),
    },
  });
  const bound = await listen(http, port);
  console.log(`dakgraph gateway ready at http://localhost:${bound}/graphql (supergraph ${supergraphPath})`);
}

main().catch((error: unknown) => {
  console.error('gateway failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
