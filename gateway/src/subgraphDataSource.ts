import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { FetcherResponse } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import { IDENTITY_HEADER } from '@dakgraph/auth';
import { describeCallFailure } from '@dakgraph/graphql-kit';
import { publicMaxAge, type EntityCache } from './entityCache';

/** What a subgraph fetch answers (the gateway's response type, which @apollo/gateway does not export by name). */
type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

/** A read on its way to a subgraph, and how many identical reads wait for it. */
interface InFlightRead {
  answer: Promise<GatewayGraphQLResponse>;
  waiters: number;
  snapshot: Pick<GatewayGraphQLResponse, 'data' | 'errors' | 'extensions'> | undefined;
}

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
  private readonly identityOf: (context: TContext) => string | undefined;
  private readonly viewerKeyOf?: (context: TContext) => string;
  private readonly entityCache?: EntityCache;
  /** Reads being fetched now, by subgraph, viewer, query and variables: an identical one joins it. */
  private readonly inFlight = new Map<string, InFlightRead>();

  constructor(
    private readonly serviceName: string,
    config: DataSourceConfig<TContext>,
    options: {
      /** The signed identity header of the request's viewer. */
      identityOf: (context: TContext) => string | undefined;
      /** Who the viewer is, as a key (without the header's time): only the same viewer's reads are merged. Unset: none are. */
      viewerKeyOf?: (context: TContext) => string;
      entityCache?: EntityCache;
    },
  ) {
    super(config);
    this.identityOf = options.identityOf;
    this.viewerKeyOf = options.viewerKeyOf;
    this.entityCache = options.entityCache;
  }

  /**
   * An `_entities` fetch is answered from the entity cache where it can be: wholly when every entity is
   * cached, else the subgraph is asked for the missing ones only. What the subgraph declares public and
   * cacheable is kept (see entityCache.ts). Anything else goes to the subgraph unchanged.
   */
  override async process(options: GraphQLDataSourceProcessOptions<TContext>): Promise<GatewayGraphQLResponse> {
    const { query, variables } = options.request;
    const representations = variables?.representations;
    if (!this.entityCache?.maxEntries || !Array.isArray(representations) || !query?.startsWith('query')) return this.fetchMerged(options);
    const { representations: _all, ...otherVariables } = variables!;
    const prefix = `${this.serviceName}\u0000${query}\u0000${JSON.stringify(otherVariables)}\u0000`;
    const keys = representations.map((representation) => prefix + JSON.stringify(representation));
    const entities = keys.map((key) => this.entityCache!.get(key));
    const missing = entities.flatMap((entity, i) => (entity === undefined ? [i] : []));
    if (missing.length === 0) return { data: { _entities: entities } };

    const partial = missing.length < representations.length;
    const asked = partial ? { ...options, request: { ...options.request, variables: { ...otherVariables, representations: missing.map((i) => representations[i]) } } } : options;
    const response = (await this.fetchMerged(asked)) as GatewayGraphQLResponse & { http?: { headers: { get(name: string): string | null } } };
    const fetched = response.data?._entities;
    if (response.errors?.length || !Array.isArray(fetched) || fetched.length !== missing.length) {
      // Errors name positions in what was asked: ask again for all of them, so they name the client's.
      return partial ? this.fetchMerged(options) : response;
    }
    const maxAge = publicMaxAge(response.http?.headers.get('cache-control'));
    missing.forEach((position, i) => {
      entities[position] = fetched[i];
      if (maxAge > 0 && fetched[i] !== null) this.entityCache!.set(keys[position]!, fetched[i], maxAge);
    });
    return partial ? { ...response, data: { ...response.data, _entities: entities } } : response;
  }

  /**
   * A read identical to one already on its way to this subgraph (same viewer, query and variables: the
   * same article tracked by many people at once) waits for that one's answer instead of asking again, as
   * Hive Gateway and Apollo Router merge them. Each waiter gets its own copy, since the gateway merges into
   * what it is given. Mutations are never merged.
   */
  private fetchMerged(options: GraphQLDataSourceProcessOptions<TContext>): Promise<GatewayGraphQLResponse> {
    const { query, variables } = options.request;
    if (!this.viewerKeyOf || !query?.startsWith('query')) return super.process(options);
    const key = `${this.viewerKeyOf(options.context as TContext)}\u0000${query}\u0000${JSON.stringify(variables ?? {})}`;
    const pending = this.inFlight.get(key);
    if (pending) {
      pending.waiters += 1;
      return pending.answer.then(() => structuredClone(pending.snapshot!));
    }
    const entry: InFlightRead = { waiters: 0, snapshot: undefined, answer: undefined as never };
    // The snapshot is taken before the first asker sees the answer (and may merge into it), and only if
    // someone else waits; the key goes at the same moment, so nobody joins a read already answered.
    entry.answer = super.process(options).then(
      (response) => {
        this.inFlight.delete(key);
        if (entry.waiters) entry.snapshot = structuredClone({ data: response.data, errors: response.errors, extensions: response.extensions });
        return response;
      },
      (error: unknown) => {
        this.inFlight.delete(key);
        throw error;
      },
    );
    this.inFlight.set(key, entry);
    return entry.answer;
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
