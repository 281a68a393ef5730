import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { FetcherResponse } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import { IDENTITY_HEADER } from '@dakgraph/auth';
import { describeCallFailure } from '@dakgraph/graphql-kit';

type DataSourceConfig<TContext extends Record<string, unknown>> = ConstructorParameters<typeof RemoteGraphQLDataSource<TContext>>[0];

/** What a subgraph answered when it answered with an HTTP error: @apollo/gateway keeps it on the error. */
interface FailedResponse {
  status?: number;
  body?: unknown;
}

const firstGraphQLError = (body: unknown): { message?: unknown; extensions?: { code?: unknown } } | undefined =>
  body && typeof body === 'object' && Array.isArray((body as { errors?: unknown }).errors) ? (body as { errors: never[] }).errors[0] : undefined;

/**
 * One subgraph as the gateway calls it: forwards the verified viewer in the signed identity header
 * (subgraphs trust nothing else), and turns a failed call into an error a client can act on.
 *
 * @apollo/gateway reports a subgraph that is down, slow or answering 5xx with the transport's own
 * message ("request to http://10.0.0.5:4001/graphql failed, reason: connect ECONNREFUSED") and no code,
 * which reaches clients as INTERNAL_SERVER_ERROR. Here it is SERVICE_UNAVAILABLE naming the service
 * (`extensions.service`), with the cause in the log only. The rest of the query plan still runs, so
 * fields from healthy subgraphs are answered and only the missing service's fields are null.
 */
export class SubgraphDataSource<TContext extends Record<string, unknown>> extends RemoteGraphQLDataSource<TContext> {
  constructor(
    private readonly serviceName: string,
    config: DataSourceConfig<TContext>,
    private readonly identityOf: (context: TContext) => string | undefined,
  ) {
    super(config);
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<TContext>): void {
    const identity = 'identityHeader' in context ? this.identityOf(context as TContext) : undefined;
    if (identity) request.http?.headers.set(IDENTITY_HEADER, identity);
  }

  override didEncounterError(error: Error, _request: unknown, fetchResponse?: FetcherResponse): void {
    const failed = (error as { extensions?: { response?: FailedResponse } }).extensions?.response;
    const status = failed?.status ?? fetchResponse?.status;
    // A 400 with a GraphQL body is the subgraph refusing the request itself (e.g. an input the gateway
    // let through): its error, with its code, is the answer.
    const refusal = status === 400 ? firstGraphQLError(failed?.body) : undefined;
    if (refusal && typeof refusal.message === 'string') {
      throw new GraphQLError(refusal.message, { extensions: { code: refusal.extensions?.code ?? 'BAD_REQUEST', service: this.serviceName } });
    }
    const cause = status ? `answered HTTP ${status}${status === 401 ? ' (is IDENTITY_SECRET the same everywhere?)' : ''}` : describeCallFailure(error);
    console.error(`[gateway] subgraph ${this.serviceName} failed: ${cause}`);
    const timedOut = /timeout|timed out/i.test(`${(error as { type?: string }).type ?? ''} ${error.message}`);
    throw new GraphQLError(
      `The ${this.serviceName} service ${timedOut ? 'did not answer in time' : 'is unavailable right now'}, so the fields it provides are missing from this answer; try again shortly`,
      // No HTTP status here: the rest of the answer is still good, and a 503 would make clients drop it.
      { extensions: { code: 'SERVICE_UNAVAILABLE', service: this.serviceName } },
    );
  }
}
