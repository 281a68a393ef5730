/**
 * The dashboard's only way to data: GraphQL POSTs to the gateway's own origin (the CSP allows connect-src
 * 'self' and nothing else). The bearer token lives in this module's memory only: closing or reloading the tab
 * signs out, and no storage an injected script could read ever holds it.
 */

/** A GraphQL error as the graph answers it: a message a person can act on and a stable code. */
export class GraphError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

interface GraphResponse<T> {
  data?: T | null;
  errors?: Array<{ message?: string; extensions?: { code?: string } }>;
}

export interface GraphClient {
  /** Runs an operation; rejects with a GraphError on any error in the answer (data or not). */
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  setToken(token: string | null): void;
  readonly signedIn: boolean;
}

export function createGraphClient(endpoint: string): GraphClient {
  let token: string | null = null;
  return {
    get signedIn() {
      return token !== null;
    },
    setToken(value) {
      token = value;
    },
    async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers,
          body: JSON.stringify({ query, variables }),
          credentials: 'omit',
          cache: 'no-store',
        });
      } catch {
        throw new GraphError('The gateway cannot be reached. Check the connection and try again.', 'NETWORK_ERROR', 0);
      }
      let body: GraphResponse<T>;
      try {
        body = (await response.json()) as GraphResponse<T>;
      } catch {
        throw new GraphError(`The gateway answered HTTP ${response.status} without a GraphQL result.`, 'BAD_RESPONSE', response.status);
      }
      // A report is all or nothing: partial data would show wrong totals, so any error fails the request.
      const first = body.errors?.[0];
      if (first) {
        throw new GraphError(first.message ?? 'The graph reported an error.', first.extensions?.code ?? 'UNKNOWN', response.status);
      }
      if (!body.data) throw new GraphError('The graph answered with no data.', 'BAD_RESPONSE', response.status);
      return body.data;
    },
  };
}
