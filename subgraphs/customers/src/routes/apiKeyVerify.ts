import { serveInternalRoute, type HttpRoute } from '@dakgraph/graphql-kit';
import { apiKeyVerifyRoute } from '@dakgraph/internal-api';
import type { CustomersPrisma } from '../db';
import { verifyApiKey, type ApiKeyRefusal } from '../services/apiKeys';

const REFUSALS: Record<ApiKeyRefusal, string> = {
  MALFORMED: 'This is not a dakgraph API key (dgk_<prefix>_<secret>)',
  UNKNOWN: 'The API key is not valid',
  REVOKED: 'The API key has been revoked; ask for a new one',
  PARTNER_SUSPENDED: "The partner's access is suspended; contact India Post",
};

/**
 * The gateway's API key check (it has no database of its own), declared in @dakgraph/internal-api:
 * 200 for an active key of an active partner, 401 with the reason for a refused key.
 */
export function apiKeyVerifyHandler(prisma: CustomersPrisma, identitySecret: string): HttpRoute {
  return serveInternalRoute(apiKeyVerifyRoute, identitySecret, async ({ key }) => {
    const verdict = await verifyApiKey(prisma, key);
    if (!verdict.ok) return { status: 401, body: { error: REFUSALS[verdict.reason], reason: verdict.reason } };
    return { status: 200, body: { partnerId: verdict.partnerId, keyId: verdict.keyId, prefix: verdict.prefix } };
  });
}
