import type { IncomingMessage } from 'node:http';
import { AuthError, PUBLIC_VIEWER, parseApiKey, sessionFromToken, type Viewer, type ViewerSession } from '@dakgraph/auth';
import {
  apiError,
  callInternalRoute,
  describeCallFailure,
  InternalRouteFailure,
  internalRouteUrl,
  unauthenticated,
  type InternalReceived,
  type InternalRequest,
  type InternalRoute,
} from '@dakgraph/graphql-kit';
import { apiKeyVerifyRoute, sessionVerifyRoute } from '@dakgraph/internal-api';

/** Who is calling, as far as the gateway could verify, and the key their rate limit is counted on. */
export interface Caller {
  viewer: Viewer;
  /** The API key's public prefix, for partners. */
  apiKeyPrefix: string | null;
}

export interface AuthOptions {
  jwtSecret: string;
  identitySecret: string;
  /**
   * The customers subgraph (its base URL or GraphQL endpoint), which checks API keys and whether a
   * login token's session is still open (not signed out, account not disabled). Null when the
   * supergraph has no such service: API keys are then refused, and a token's signature and expiry
   * are all that is checked.
   */
  customersUrl: string | null;
  /**
   * How long a verified API key or session is trusted without asking again: a revoked key, a disabled
   * account or a signed-out session is refused within this many seconds.
   */
  credentialCacheSeconds: number;
  /**
   * How long an API key the customers subgraph refused (unknown or revoked) is refused from memory, so
   * a flood of bad keys reaches customers at most once per key (60 s by default).
   */
  refusedKeyCacheSeconds?: number;
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Answers of the customers subgraph, kept for a few seconds: a busy counter sends many requests a
 * second and one check covers them all, and a flood of one bad key asks once. Bounded, so a flood of
 * distinct credentials cannot grow it: past `maxEntries` the oldest entry goes first.
 */
class ExpiringAnswers<T> {
  private readonly entries = new Map<string, { answer: T; until: number }>();

  constructor(
    private readonly seconds: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(credential: string): T | null {
    const entry = this.entries.get(credential);
    if (!entry) return null;
    if (entry.until > Date.now()) return entry.answer;
    this.entries.delete(credential);
    return null;
  }

  remember(credential: string, answer: T): void {
    if (this.seconds <= 0) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(credential, { answer, until: Date.now() + this.seconds * 1000 });
  }

  forget(credential: string): void {
    this.entries.delete(credential);
  }
}

/**
 * Asks the customers subgraph about a credential. A network failure or an answer outside the route's
 * declaration is SERVICE_UNAVAILABLE: the gateway cannot vouch for the caller, and must not pass them as
 * the public. A refused signature is one such answer: it is this deployment's fault (IDENTITY_SECRET
 * differs between gateway and customers), not the caller's, and the log says so.
 */
async function askCustomers<Route extends InternalRoute>(
  route: Route,
  customersUrl: string,
  identitySecret: string,
  request: InternalRequest<Route>,
  what: string,
): Promise<InternalReceived<Route>> {
  try {
    return await callInternalRoute(route, customersUrl, identitySecret, request);
  } catch (error) {
    if (error instanceof InternalRouteFailure) console.error(`[gateway] ${what} check: ${error.message}`);
    else console.error(`[gateway] ${what} check: ${internalRouteUrl(route, customersUrl)} unreachable:`, describeCallFailure(error));
    throw apiError('SERVICE_UNAVAILABLE', `${what}s cannot be checked right now; try again shortly`);
  }
}

/**
 * Authenticates requests at the gateway: `Authorization: Bearer <token>` for staff and customers (tokens
 * issued by `login`), `x-api-key` for partners, neither for the public. A credential that is present but
 * wrong is refused (UNAUTHENTICATED), never silently downgraded to the public viewer.
 */
export function createAuthenticator(options: AuthOptions) {
  // Good answers (a valid key, an open session), keyed by the whole credential.
  const verified = new ExpiringAnswers<Caller>(options.credentialCacheSeconds);
  // Refused API keys, with the reason customers gave.
  const refusedKeys = new ExpiringAnswers<string>(options.refusedKeyCacheSeconds ?? 60);

  async function partnerOfKey(apiKey: string): Promise<Caller> {
    const parsed = parseApiKey(apiKey);
    if (!parsed) throw unauthenticated('The x-api-key header is not a dakgraph API key (they look like dgk_<prefix>_<secret>)');
    const cached = verified.get(apiKey);
    if (cached) return cached;
    const refused = refusedKeys.get(apiKey);
    if (refused) throw unauthenticated(`API key ${parsed.prefix} is refused: ${refused}`);
    if (!options.customersUrl) throw unauthenticated('This gateway has no API key service; use a token instead');
    const answer = await askCustomers(apiKeyVerifyRoute, options.customersUrl, options.identitySecret, { key: apiKey }, 'API key');
    if (answer.status === 401) {
      verified.forget(apiKey);
      const reason = answer.body.error;
      refusedKeys.remember(apiKey, reason);
      throw unauthenticated(`API key ${parsed.prefix} is refused: ${reason}`);
    }
    const { partnerId } = answer.body;
    const caller: Caller = { viewer: { ...PUBLIC_VIEWER, kind: 'PARTNER', id: partnerId, partnerId }, apiKeyPrefix: parsed.prefix };
    verified.remember(apiKey, caller);
    return caller;
  }

  async function viewerOfToken(token: string): Promise<Caller> {
    // Signature and expiry first, every time: the cache below only saves the session question.
    let session: ViewerSession;
    try {
      session = sessionFromToken(token, options.jwtSecret);
    } catch (error) {
      if (error instanceof AuthError) throw unauthenticated(error.message);
      throw error;
    }
    const caller: Caller = { viewer: session.viewer, apiKeyPrefix: null };
    if (!options.customersUrl || verified.get(token)) return caller;
    const { kind, id } = session.viewer;
    // sessionFromToken reads only staff and customer tokens, each with its subject: the Viewer type is wider.
    if ((kind !== 'STAFF' && kind !== 'CUSTOMER') || !id) throw unauthenticated('The token is not a dakgraph login token; log in again');
    const request = { kind, id, sessionVersion: session.sessionVersion };
    const answer = await askCustomers(sessionVerifyRoute, options.customersUrl, options.identitySecret, request, 'Login session');
    if (answer.status === 401) throw unauthenticated(answer.body.error);
    verified.remember(token, caller);
    return caller;
  }

  /**
   * The partner behind a request's API key when that key was verified within the cache period: such a
   * request needs no question to customers, so it is counted against its key's limit alone.
   */
  function verifiedPartnerOf(req: IncomingMessage): Caller | null {
    const apiKey = header(req, 'x-api-key');
    return apiKey && !header(req, 'authorization') ? verified.get(apiKey.trim()) : null;
  }

  async function authenticate(req: IncomingMessage): Promise<Caller> {
    const authorization = header(req, 'authorization');
    const apiKey = header(req, 'x-api-key');
    if (authorization && apiKey) {
      // Refused while building the context, before GraphQL runs: without a status Apollo would say 500.
      throw apiError('BAD_USER_INPUT', 'Send either an Authorization token or an x-api-key, not both', { http: { status: 400 } });
    }
    if (apiKey) return partnerOfKey(apiKey.trim());
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
      if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>", with the token from the login mutation');
      return viewerOfToken(match[1]!);
    }
    return { viewer: PUBLIC_VIEWER, apiKeyPrefix: null };
  }

  return Object.assign(authenticate, { verifiedPartnerOf });
}

/** Whether a request presents any credential (and so can fail authentication). */
export function presentsCredential(req: IncomingMessage): boolean {
  return Boolean(header(req, 'authorization') || header(req, 'x-api-key'));
}

/** A subgraph's URL as the supergraph names it (the `@join__graph` directive), or null. */
export function subgraphUrlIn(supergraphSdl: string, name: string): string | null {
  const pattern = new RegExp(`@join__graph\\(name:\\s*"${name}",\\s*url:\\s*"([^"]+)"\\)`);
  return pattern.exec(supergraphSdl)?.[1] ?? null;
}
