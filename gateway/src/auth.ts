import type { IncomingMessage } from 'node:http';
import { AuthError, PUBLIC_VIEWER, parseApiKey, viewerFromToken, type Viewer } from '@dakgraph/auth';
import { apiError, badInput, callInternal, describeCallFailure, unauthenticated, type InternalAnswer } from '@dakgraph/graphql-kit';

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
   * The customers subgraph's API key check (POST, signed); absent when the supergraph has no such
   * service, in which case API keys are refused.
   */
  apiKeyVerifyUrl: string | null;
  /** How long a verified key is trusted without asking again; revocation takes effect within this. */
  apiKeyCacheSeconds: number;
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Authenticates requests at the gateway: `Authorization: Bearer <token>` for staff and customers (tokens
 * issued by `login`), `x-api-key` for partners, neither for the public. A credential that is present but
 * wrong is refused (UNAUTHENTICATED), never silently downgraded to the public viewer.
 */
export function createAuthenticator(options: AuthOptions) {
  // Only successful checks are cached, keyed by the whole key; bounded so a flood of keys cannot grow it.
  const verified = new Map<string, { viewer: Viewer; prefix: string; until: number }>();
  const MAX_CACHED_KEYS = 10_000;

  async function partnerOfKey(apiKey: string): Promise<Caller> {
    const parsed = parseApiKey(apiKey);
    if (!parsed) throw unauthenticated('The x-api-key header is not a dakgraph API key (they look like dgk_<prefix>_<secret>)');
    const cached = verified.get(apiKey);
    if (cached && cached.until > Date.now()) return { viewer: cached.viewer, apiKeyPrefix: cached.prefix };
    if (!options.apiKeyVerifyUrl) throw unauthenticated('This gateway has no API key service; use a token instead');

    let answer: InternalAnswer;
    try {
      answer = await callInternal(options.apiKeyVerifyUrl, options.identitySecret, { key: apiKey });
    } catch (error) {
      console.error(`[gateway] API key check: ${options.apiKeyVerifyUrl} unreachable:`, describeCallFailure(error));
      throw apiError('SERVICE_UNAVAILABLE', 'API keys cannot be checked right now; try again shortly');
    }
    if (answer.status === 401) {
      verified.delete(apiKey);
      const reason = (answer.body as { error?: string } | null)?.error ?? 'it is unknown or revoked';
      throw unauthenticated(`API key ${parsed.prefix} is refused: ${reason}`);
    }
    if (answer.status !== 200) throw apiError('SERVICE_UNAVAILABLE', 'API keys cannot be checked right now; try again shortly');
    const { partnerId } = answer.body as { partnerId: string };
    const viewer: Viewer = { ...PUBLIC_VIEWER, kind: 'PARTNER', id: partnerId, partnerId };
    if (options.apiKeyCacheSeconds > 0) {
      if (verified.size >= MAX_CACHED_KEYS) verified.delete(verified.keys().next().value!);
      verified.set(apiKey, { viewer, prefix: parsed.prefix, until: Date.now() + options.apiKeyCacheSeconds * 1000 });
    }
    return { viewer, apiKeyPrefix: parsed.prefix };
  }

  return async function authenticate(req: IncomingMessage): Promise<Caller> {
    const authorization = header(req, 'authorization');
    const apiKey = header(req, 'x-api-key');
    if (authorization && apiKey) throw badInput('Send either an Authorization token or an x-api-key, not both');
    if (apiKey) return partnerOfKey(apiKey.trim());
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
      if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>", with the token from the login mutation');
      try {
        return { viewer: viewerFromToken(match[1]!, options.jwtSecret), apiKeyPrefix: null };
      } catch (error) {
        if (error instanceof AuthError) throw unauthenticated(error.message);
        throw error;
      }
    }
    return { viewer: PUBLIC_VIEWER, apiKeyPrefix: null };
  };
}

/** A subgraph's URL as the supergraph names it (the `@join__graph` directive), or null. */
export function subgraphUrlIn(supergraphSdl: string, name: string): string | null {
  const pattern = new RegExp(`@join__graph\\(name:\\s*"${name}",\\s*url:\\s*"([^"]+)"\\)`);
  return pattern.exec(supergraphSdl)?.[1] ?? null;
}
