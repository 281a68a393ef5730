import type { IncomingMessage } from 'node:http';
import { AuthError, IDENTITY_HEADER, verifyIdentity, type Viewer } from '@dakgraph/auth';
import { unauthenticated } from './errors';

/**
 * The viewer the gateway vouched for. A subgraph trusts nothing else: a request without a valid
 * signed identity header (e.g. one sent straight to the subgraph) is refused, so identities cannot
 * be forged by skipping the gateway.
 */
export function viewerOfRequest(req: IncomingMessage, identitySecret: string): Viewer {
  const header = req.headers[IDENTITY_HEADER];
  try {
    return verifyIdentity(Array.isArray(header) ? header[0] : header, identitySecret);
  } catch (error) {
    if (error instanceof AuthError) {
      throw unauthenticated(
        `This service only answers requests relayed by the dakgraph gateway (identity ${error.reason.toLowerCase().replace(/_/g, ' ')})`,
      );
    }
    throw error;
  }
}
