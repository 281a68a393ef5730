import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { parse, type GraphQLSchema } from 'graphql';
import type { Viewer } from '@dakgraph/auth';
import { maskUnexpectedErrors } from './errors';
import { runHousekeepingWhileListening, runWorkersWhileListening, type BackgroundWorker, type HousekeepingTask } from './housekeeping';
import { createGraphQLHttpServer, sendJson, type HttpRoute } from './http';
import { safeLiteralsRule, safeVariablesPlugin } from './inputSafety';
import { viewerOfRequest } from './viewer';

/** Reads a subgraph's SDL file (the single source of its schema, also read by composition). */
export function readTypeDefs(file: string) {
  return parse(readFileSync(file, 'utf8'));
}

export interface SubgraphOptions<TContext extends BaseContext> {
  name: string;
  schemaFile: string;
  resolvers: unknown;
  /** Verifies the gateway's identity header on every request. */
  identitySecret: string;
  /** Builds the per-request context for a verified viewer. */
  context: (viewer: Viewer, req: IncomingMessage) => Promise<TContext>;
  /** Extra HTTP routes (e.g. internal service endpoints); they do their own authentication. */
  routes?: HttpRoute[];
  /** Resolves when the subgraph can serve (e.g. its database answers); rejects otherwise. */
  ready: () => Promise<void>;
  plugins?: ApolloServerPlugin<TContext>[];
  /** Background tasks run while the server listens (see runHousekeepingWhileListening). */
  housekeeping?: HousekeepingTask[];
  /** Long-running workers (outbox relay, event consumers) run while the server listens. */
  workers?: BackgroundWorker[];
}

export interface Subgraph<TContext extends BaseContext> {
  name: string;
  schema: GraphQLSchema;
  apollo: ApolloServer<TContext>;
  http: Server;
  /** Resolves when the workers and housekeeping runs a close of `http` stopped have finished (close the database after it). */
  workersStopped: () => Promise<void>;
}

/**
 * A resolver's error may carry an HTTP status (UNAUTHENTICATED is 401 at the gateway's edge), but a
 * subgraph that answered with an execution result must answer 200: the gateway treats a non-2xx
 * subgraph response as a transport failure and would replace the real error with "401: Unauthorized".
 */
const executionResultsAreOk: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind === 'single' && 'data' in response.body.singleResult) response.http.status = 200;
      },
    };
  },
};

/** The same server shape for every subgraph: federated schema, masked errors, /health, body limits. */
export async function createSubgraph<TContext extends BaseContext>(options: SubgraphOptions<TContext>): Promise<Subgraph<TContext>> {
  const schema = buildSubgraphSchema({
    typeDefs: readTypeDefs(options.schemaFile),
    resolvers: options.resolvers as GraphQLResolverMap<unknown>,
  });
  const apollo = new ApolloServer<TContext>({
    schema,
    formatError: maskUnexpectedErrors,
    includeStacktraceInErrorResponses: false,
    // Subgraphs sit behind the gateway; they keep introspection so composition tooling can read them.
    introspection: true,
    // The gateway refuses NUL characters and infinite floats at the edge; a subgraph refuses them too,
    // rather than trust every caller to have gone through the gateway.
    validationRules: [safeLiteralsRule],
    // Inline traces (ftv1) only feed Apollo's hosted usage reporting, which dakgraph does not use.
    plugins: [ApolloServerPluginInlineTraceDisabled(), executionResultsAreOk, safeVariablesPlugin, ...(options.plugins ?? [])],
  });
  await apollo.start();
  const health: HttpRoute = {
    method: 'GET',
    path: '/health',
    async handle(_req, res) {
      try {
        await options.ready();
        sendJson(res, 200, { status: 'ok', subgraph: options.name });
      } catch (error) {
        sendJson(res, 503, { status: 'unavailable', subgraph: options.name, reason: (error as Error).message });
      }
    },
  };
  const http = createGraphQLHttpServer({
    apollo,
    context: (req) => options.context(viewerOfRequest(req, options.identitySecret), req),
    routes: [health, ...(options.routes ?? [])],
  });
  const housekeepingFinished = runHousekeepingWhileListening(http, options.housekeeping ?? []);
  const workersFinished = runWorkersWhileListening(http, options.workers ?? []);
  const workersStopped = async (): Promise<void> => {
    await Promise.all([workersFinished(), housekeepingFinished()]);
  };
  return { name: options.name, schema, apollo, http, workersStopped };
}
