import type { IncomingMessage } from 'node:http';
import type { GraphQLError } from 'graphql';
import { apiError } from '@dakgraph/graphql-kit';
import { presentsCredential, type Caller, type createAuthenticator } from './auth';
import type { RateLimitDecision, RateLimiter } from './rateLimit';

/** Requests per window (a minute unless said). */
export interface AdmissionLimits {
  /** Every request from one client IP, counted before its credential is checked. */
  perIpPerMinute: number;
  /** A partner's requests, per API key (many partners may share an IP, one partner may use many). */
  perApiKeyPerMinute: number;
  /** Failed authentications (bad tokens, unknown keys) from one client IP: far fewer than requests. */
  failedAuthPerIpPerMinute?: number;
  windowSeconds?: number;
}

export const DEFAULT_FAILED_AUTH_PER_IP_PER_MINUTE = 20;

function refused(decision: RateLimitDecision, window: number, what: string): GraphQLError {
  return apiError(
    'RATE_LIMITED',
    `${what}: the limit is ${decision.limit} per ${window} s; retry after ${decision.retryAfterSeconds} s`,
    { retryAfterSeconds: decision.retryAfterSeconds },
    { 'retry-after': String(decision.retryAfterSeconds) },
  );
}

const isUnauthenticated = (error: unknown): boolean =>
  (error as { extensions?: { code?: unknown } } | null)?.extensions?.code === 'UNAUTHENTICATED';

/**
 * Who may come in, in the order that keeps abuse cheap:
 * 1. a partner whose API key was verified moments ago is counted against its key alone (no other work);
 * 2. every other request counts against its IP before its credential is looked at, so a flood of
 *    garbage credentials is throttled like any other flood;
 * 3. an IP that has failed authentication too often is refused before its next credential is checked
 *    (no question to customers), and its failures are counted as they happen;
 * 4. a partner's key, once verified, is counted against the key as well.
 */
export function createAdmission(options: {
  authenticate: ReturnType<typeof createAuthenticator>;
  rateLimiter: RateLimiter;
  limits: AdmissionLimits;
}) {
  const { authenticate, rateLimiter, limits } = options;
  const window = limits.windowSeconds ?? 60;
  const failedAuthLimit = limits.failedAuthPerIpPerMinute ?? DEFAULT_FAILED_AUTH_PER_IP_PER_MINUTE;

  const countPartner = async (caller: Caller): Promise<Caller> => {
    const decision = await rateLimiter.hit(`key:${caller.apiKeyPrefix}`, limits.perApiKeyPerMinute, window);
    if (!decision.allowed) throw refused(decision, window, `Too many requests with API key ${caller.apiKeyPrefix}`);
    return caller;
  };

  return async function admit(req: IncomingMessage, clientIp: string): Promise<Caller> {
    const knownPartner = authenticate.verifiedPartnerOf(req);
    if (knownPartner) return countPartner(knownPartner);

    const perIp = await rateLimiter.hit(`ip:${clientIp}`, limits.perIpPerMinute, window);
    if (!perIp.allowed) throw refused(perIp, window, 'Too many requests from this address');
    if (!presentsCredential(req)) return authenticate(req);

    const failuresSoFar = await rateLimiter.peek(`authfail:${clientIp}`, failedAuthLimit, window);
    if (!failuresSoFar.allowed) throw refused(failuresSoFar, window, 'Too many failed authentications from this address');
    let caller: Caller;
    try {
      caller = await authenticate(req);
    } catch (error) {
      if (isUnauthenticated(error)) {
        const failures = await rateLimiter.hit(`authfail:${clientIp}`, failedAuthLimit, window);
        if (!failures.allowed) throw refused(failures, window, 'Too many failed authentications from this address');
      }
      throw error;
    }
    return caller.apiKeyPrefix ? countPartner(caller) : caller;
  };
}
