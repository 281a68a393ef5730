import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { QueryPlan } from '@apollo/query-planner';
import fetcher from 'make-fetch-happen';
import type { DakgraphSecrets } from '@dakgraph/auth';
import {
  createGraphQLHttpServer,
  maskUnexpectedErrors,
  safeLiteralsRule,
  safeVariablesPlugin,
  sendJson,
  type HttpRoute,
} from '@dakgraph/graphql-kit';
import { createAdmission, DEFAULT_FAILED_AUTH_PER_IP_PER_MINUTE, type AdmissionLimits } from './admission';
import { createAuthenticator, subgraphUrlIn } from './auth';
import { createContextBuilder, type GatewayContext } from './context';
import { DEFAULT_COST_OPTIONS, operationCost, tooCostly, type CostOptions } from './cost';
import { demandModelOf } from './demand';
import { forwardedRoute } from './forward';
import { dashboardRoutes } from './dashboard';
import { graphiqlLandingPage, graphiqlRoutes } from './graphiql';
import { DEFAULT_LIMITS, operationLimitsRule, type OperationLimits } from './limits';
import { unresolvedOperation } from './operations';
import { MemoryRateLimiter, type RateLimiter } from './rateLimit';
import { EntityCache } from './entityCache';
import { SubgraphDataSource } from './subgraphDataSource';

export interface GatewayOptions {
  /** The composed supergraph SDL (see scripts/compose.mjs). */
  supergraphSdl: string;
  /** Per-subgraph URL overrides, by subgraph name (e.g. `{ offices: 'http://10.0.0.5:4001/graphql' }`). */
  subgraphUrls?: Record<string, string>;
  /** Schema introspection; on by default outside production. */
  introspection?: boolean;
  /** Serve GraphiQL at GET /graphql for browsers. */
  graphiql?: boolean;
  /** Depth, alias, directive, token and cost limits. */
  limits?: Partial<OperationLimits & CostOptions & { maxCost: number }>;
  maxBodyBytes?: number;
  /** Signs identities for subgraphs and verifies login tokens. */
  secrets: DakgraphSecrets;
  /** Counts requests per API key and per IP (Redis or memory; see rateLimit.ts). */
  rateLimiter?: RateLimiter;
  /** Requests per window (a minute unless said): per client IP, per partner API key, failed authentications per IP. */
  rateLimits?: AdmissionLimits;
  /** How long a verified API key or login session is trusted before asking the customers subgraph again (5 s). */
  credentialCacheSeconds?: number;
  /** Reverse proxies in front of the gateway whose X-Forwarded-For is trusted (0: none). */
  trustedProxies?: number;
  /** A subgraph that has not answered by then fails its part of the query. */
  subgraphTimeoutMs?: number;
  /** Memory for cached query plans. */
  queryPlanCacheBytes?: number;
  /** Entities kept from public, cacheable `_entities` answers (see entityCache.ts); 0 turns the cache off. 20,000 by default. */
  entityCacheEntries?: number;
}

export const DEFAULT_RATE_LIMITS: AdmissionLimits = { perIpPerMinute: 600, perApiKeyPerMinute: 3_000, failedAuthPerIpPerMinute: DEFAULT_FAILED_AUTH_PER_IP_PER_MINUTE };
export const DEFAULT_MAX_COST = 25_000;

export { clientIpOf, type GatewayContext } from './context';

/** Reads SUBGRAPH_<NAME>_URL variables into overrides. */
export function subgraphUrlsFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key);
    if (match && value) urls[match[1]!.toLowerCase()] = value;
  }
  return urls;
}

/**
 * Builds the gateway (not listening). It serves any valid Federation 2 supergraph: nothing here
 * depends on dakgraph's own subgraphs, so standard @apollo/gateway behaviour is kept.
 */
export async function createGateway(options: GatewayOptions) {
  const production = process.env.NODE_ENV === 'production';
  const subgraphUrls = options.subgraphUrls ?? {};
  // One for all subgraphs (keys name the subgraph): memory is bounded by entries, not per subgraph.
  const entityCache = new EntityCache(options.entityCacheEntries ?? 20_000);
  // One keep-alive agent pool for all subgraph calls; retries off (mutations must not repeat).
  const subgraphFetcher = fetcher.defaults({
    maxSockets: 256,
    retry: false,
    timeout: options.subgraphTimeoutMs ?? 30_000,
  });

  // @apollo/gateway otherwise starts anonymous usage telemetry for Apollo: it probes cloud metadata
  // addresses (169.254.169.254 ...) and exports metrics to Apollo's servers. A national API that must
  // run offline does not phone home; set APOLLO_TELEMETRY_DISABLED=false to allow it deliberately.
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) =>
      new SubgraphDataSource(name, { url: subgraphUrls[name] ?? url, fetcher: subgraphFetcher }, {
        identityOf: (context) => context.identityHeader,
        viewerKeyOf: (context) => JSON.stringify(context.viewer),
        entityCache,
      }),
    queryPlannerConfig: {
      cache: new InMemoryLRUCache<QueryPlan>({
        maxSize: options.queryPlanCacheBytes ?? 50 * 1024 * 1024,
        sizeCalculation: (plan) => Buffer.byteLength(JSON.stringify(plan), 'utf8'),
      }),
    },
  });

  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const maxCost = options.limits?.maxCost ?? DEFAULT_MAX_COST;
  const costOptions: CostOptions = { ...DEFAULT_COST_OPTIONS, ...options.limits };
  // Weights, list sizes and single-use fields as the subgraphs declared them (@cost, @listSize,
  // @oncePerOperation), read once from the supergraph.
  const demand = demandModelOf(options.supergraphSdl);
  const rateLimiter = options.rateLimiter ?? new MemoryRateLimiter();
  const customersUrl = subgraphUrls.customers ?? subgraphUrlIn(options.supergraphSdl, 'customers');
  const authenticate = createAuthenticator({
    jwtSecret: options.secrets.jwtSecret,
    identitySecret: options.secrets.identitySecret,
    customersUrl,
    credentialCacheSeconds: options.credentialCacheSeconds ?? 5,
  });
  const admit = createAdmission({ authenticate, rateLimiter, limits: options.rateLimits ?? DEFAULT_RATE_LIMITS });
  const apollo = new ApolloServer<GatewayContext>({
    // The gateway interface versions of @apollo/server 5 and @apollo/gateway 2.14 differ only in types.
    gateway: gateway as unknown as ConstructorParameters<typeof ApolloServer>[0] extends { gateway?: infer G } ? G : never,
    introspection: options.introspection ?? !production,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    formatError: maskUnexpectedErrors,
    // The parser stops counting at maxTokens, so a huge document costs no more than a refused one.
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: [safeLiteralsRule, operationLimitsRule(limits, demand.oncePerOperation)],
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // The same refusal of NUL characters and infinite numbers in variables as every subgraph's.
      safeVariablesPlugin,
      {
        // What needs the request's operationName and variables is checked once the operation is
        // resolved, before it is planned: anything refused here never reaches a subgraph.
        async requestDidStart() {
          return {
            async didResolveOperation({ document, operation, request, schema }) {
              if (!operation) throw unresolvedOperation(document, request.operationName);
              const cost = operationCost(schema, demand, document, operation, request.variables ?? {}, costOptions);
              if (cost > maxCost) throw tooCostly(cost, maxCost);
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  const health: HttpRoute = {
    method: 'GET',
    path: '/health',
    handle: (_req, res) => sendJson(res, 200, { status: 'ok' }),
  };
  const withGraphiql = options.graphiql ?? true;
  // The payment provider's callbacks reach the gateway's port and go on to the payments subgraph, when the
  // supergraph has one (the gateway serves any supergraph).
  const paymentsUrl = subgraphUrls.payments ?? subgraphUrlIn(options.supergraphSdl, 'payments');
  const forwarded: HttpRoute[] = paymentsUrl
    ? [
        forwardedRoute({
          path: '/payments/callback',
          target: paymentsUrl,
          headers: ['content-type', 'webhook-id', 'webhook-timestamp', 'webhook-signature'],
          maxBodyBytes: 16 * 1024,
        }),
      ]
    : [];
  const http = createGraphQLHttpServer<GatewayContext>({
    apollo,
    context: createContextBuilder({ admit, identitySecret: options.secrets.identitySecret, trustedProxies: options.trustedProxies }),
    maxBodyBytes: options.maxBodyBytes,
    // The operations dashboard (/dashboard) beside GraphiQL: a page for staff, so served whatever `graphiql` says.
    routes: [health, ...forwarded, ...(withGraphiql ? graphiqlRoutes() : []), ...dashboardRoutes()],
    landingPage: withGraphiql ? graphiqlLandingPage() : undefined,
  });

  http.on('close', () => void rateLimiter.close());
  return { apollo, gateway, http, entityCache };
}
