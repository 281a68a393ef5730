import type { IncomingMessage } from 'node:http';
import { signIdentity, type Viewer } from '@dakgraph/auth';
import type { createAdmission } from './admission';

/** What every request through the gateway carries, as the subgraphs' own context.ts files do. */
export interface GatewayContext {
  /** The caller's IP, for limits and logs. */
  clientIp: string;
  /** Who is calling, as verified here. */
  viewer: Viewer;
  /** The signed identity forwarded to every subgraph (signed once per request). */
  identityHeader: string;
}

/**
 * The client's IP, for per-IP limits. Behind `trustedProxies` reverse proxies (load balancers), the
 * socket's address is the nearest proxy's, so the client is read from X-Forwarded-For: each trusted
 * proxy appends the address it saw, so the entry that many places from the right is the last one no
 * client could forge. With no trusted proxies the header is ignored (anyone can send it).
 */
export function clientIpOf(req: IncomingMessage, trustedProxies = 0): string {
  const socketAddress = req.socket.remoteAddress ?? 'unknown';
  if (trustedProxies <= 0) return socketAddress;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((ip) => ip.trim()).filter(Boolean);
  return forwarded[forwarded.length - trustedProxies] ?? forwarded[0] ?? socketAddress;
}

export interface GatewayContextOptions {
  /** Admits or refuses the caller (rate limits, then the credential): see admission.ts. */
  admit: ReturnType<typeof createAdmission>;
  /** Signs the identity the subgraphs trust. */
  identitySecret: string;
  /** Reverse proxies in front of the gateway whose X-Forwarded-For is trusted (0: none). */
  trustedProxies?: number;
}

/**
 * Builds a request's context: who is calling, admitted or refused before GraphQL runs (a refusal
 * here is the HTTP status the client sees), and the identity header signed once for every subgraph.
 */
export function createContextBuilder(options: GatewayContextOptions): (req: IncomingMessage) => Promise<GatewayContext> {
  return async (req) => {
    const clientIp = clientIpOf(req, options.trustedProxies);
    const caller = await options.admit(req, clientIp);
    return { clientIp, viewer: caller.viewer, identityHeader: signIdentity(caller.viewer, options.identitySecret) };
  };
}
