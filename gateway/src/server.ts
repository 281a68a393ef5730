import type { IncomingMessage } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { QueryPlan } from '@apollo/query-planner';
import fetcher from 'make-fetch-happen';
import { createGraphQLHttpServer, maskUnexpectedErrors, sendJson, type HttpRoute } from '@dakgraph/graphql-kit';
import { graphiqlLandingPage, graphiqlRoutes } from './graphiql';
import { DEFAULT_LIMITS, operationLimitsRule, type OperationLimits } from './limits';

export interface GatewayOptions {
  /** The composed supergraph SDL (see scripts/compose.mjs). */
  supergraphSdl: string;
  /** Per-subgraph URL overrides, by subgraph name (e.g. `{ offices: 'http://10.0.0.5:4001/graphql' }`). */
  subgraphUrls?: Record<string, string>;
  /** Schema introspection; on by default outside production. */
  introspection?: boolean;
  /** Serve GraphiQL at GET /graphql for browsers. */
  graphiql?: boolean;
  limits?: OperationLimits;
  maxBodyBytes?: number;
  /** A subgraph that has not answered by then fails its part of the query. */
  subgraphTimeoutMs?: number;
  /** Memory for cached query plans. */
  queryPlanCacheBytes?: number;
}

export interface GatewayContext {
  /** The caller's IP, for limits and logs. */
  clientIp: string;
}

/** Reads SUBGRAPH_<NAME>_URL variables into overrides. */
export function subgraphUrlsFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key);
    if (match && value) urls[match[1]!.toLowerCase()] = value;
  }
  return urls;
}

export function clientIpOf(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/**
 * Builds the gateway (not listening). It serves any valid Federation 2 supergraph: nothing here
 * depends on dakgraph's own subgraphs, so standard @apollo/gateway behaviour is kept.
 */
export async function createGateway(options: GatewayOptions) {
  const production = process.env.NODE_ENV === 'production';
  const subgraphUrls = options.subgraphUrls ?? {};
  // One keep-alive agent pool for all subgraph calls; retries off (mutations must not repeat).
  const subgraphFetcher = fetcher.defaults({
    maxSockets: 256,
    retry: false,
    timeout: options.subgraphTimeoutMs ?? 30_000,
  });

  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource({ url: subgraphUrls[name] ?? url, fetcher: subgraphFetcher }),
    queryPlannerConfig: {
      cache: new InMemoryLRUCache<QueryPlan>({
        maxSize: options.queryPlanCacheBytes ?? 50 * 1024 * 1024,
        sizeCalculation: (plan) => Buffer.byteLength(JSON.stringify(plan), 'utf8'),
      }),
    },
  });

  const limits = options.limits ?? DEFAULT_LIMITS;
  const apollo = new ApolloServer<GatewayContext>({
    // The gateway interface versions of @apollo/server 5 and @apollo/gateway 2.14 differ only in types.
    gateway: gateway as unknown as ConstructorParameters<typeof ApolloServer>[0] extends { gateway?: infer G } ? G : never,
    introspection: options.introspection ?? !production,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    formatError: maskUnexpectedErrors,
    validationRules: [operationLimitsRule(limits)],
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();

  const health: HttpRoute = {
    method: 'GET',
    path: '/health',
    handle: (_req, res) => sendJson(res, 200, { status: 'ok' }),
  };
  const withGraphiql = options.graphiql ?? true;
  const http = createGraphQLHttpServer<GatewayContext>({
    apollo,
    context: async (req) => ({ clientIp: clientIpOf(req) }),
    maxBodyBytes: options.maxBodyBytes,
    routes: [health, ...(withGraphiql ? graphiqlRoutes() : [])],
    landingPage: withGraphiql ? graphiqlLandingPage() : undefined,
  });

  return { apollo, gateway, http };
}
